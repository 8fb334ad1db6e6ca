"""Per-user token buckets, per-chat ordering with cross-chat concurrency, the typing indicator."""
from __future__ import annotations

import asyncio

from telegram import Update

from bot.adapters.telegram.flow import PerChatUpdateProcessor, TypingIndicator, UserRateLimiter, Verdict


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_warning_then_silence_then_refill():
    ticks = Ticks()
    limiter = UserRateLimiter(burst=3, per_minute=6, clock=ticks)  # one token every 10 s
    assert [limiter.check("a") for _ in range(3)] == [Verdict.ALLOW] * 3
    assert limiter.check("a") is Verdict.WARN
    assert limiter.check("a") is Verdict.DROP
    assert limiter.check("b") is Verdict.ALLOW  # buckets are per user
    ticks.now += 10
    assert limiter.check("a") is Verdict.ALLOW
    assert limiter.check("a") is Verdict.WARN  # told again after recovering


def test_forgets_idle_users_when_full():
    ticks = Ticks()
    limiter = UserRateLimiter(burst=2, per_minute=60, clock=ticks, max_users=2)
    limiter.check("a"), limiter.check("b")
    ticks.now += 5
    limiter.check("c")
    assert set(limiter._buckets) == {"c"}


def _update(update_id: int, chat_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 1, "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "x"}, "text": "hi"}}, None)


async def test_one_chat_in_order_while_other_chats_run_alongside():
    processor = PerChatUpdateProcessor(max_concurrent_updates=8)
    log: list[tuple[str, int, int]] = []
    running = {"now": 0, "max": 0}

    async def work(update: Update, delay: float) -> None:
        running["now"] += 1
        running["max"] = max(running["max"], running["now"])
        log.append(("start", update.effective_chat.id, update.update_id))
        await asyncio.sleep(delay)
        log.append(("end", update.effective_chat.id, update.update_id))
        running["now"] -= 1

    updates = [_update(1, 10), _update(2, 10), _update(3, 20), _update(4, 10), _update(5, 30)]
    delays = {1: 0.05, 2: 0.0, 3: 0.02, 4: 0.0, 5: 0.01}
    await asyncio.gather(*(processor.process_update(u, work(u, delays[u.update_id])) for u in updates))
    chat10 = [(kind, uid) for kind, chat, uid in log if chat == 10]
    assert chat10 == [("start", 1), ("end", 1), ("start", 2), ("end", 2), ("start", 4), ("end", 4)]
    assert running["max"] >= 3  # chats 10, 20 and 30 overlapped
    assert not processor._locks and not processor._waiting


async def test_typing_indicator_sends_typing_and_stops():
    sent = []

    async def send_action(**kwargs):
        sent.append(kwargs)

    typing = TypingIndicator(send_action, 42, every_s=0.01)
    await typing()
    await typing()  # a second progress call does not start a second renewer
    await asyncio.sleep(0.035)
    await typing.stop()
    count = len(sent)
    await asyncio.sleep(0.03)
    assert count >= 2 and len(sent) == count
    assert sent[0]["chat_id"] == 42 and sent[0]["action"] == "typing"
