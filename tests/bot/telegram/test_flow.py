"""Per-user token buckets, per-chat ordering with cross-chat concurrency, the typing indicator."""
from __future__ import annotations

import asyncio


from bot.adapters.telegram.flow import TypingIndicator, UserRateLimiter, Verdict


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
