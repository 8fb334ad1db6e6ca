"""Reliability over the wire: redelivered updates write once, a stop drains what was received,
failures get an apology with an error id, per-user and flood limits."""
from __future__ import annotations

import asyncio
import logging
import re

from bot.loop import ConversationLoop
from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.flow import UserRateLimiter
from prompts.ui import t
from storage.models import Draft, Visit
from tests.bot.telegram.conftest import TG, Harness, button, config_for

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


class SlowLoop:
    """The real loop, behind a delay: updates are still being handled when stop() is called."""

    def __init__(self, loop: ConversationLoop, delay_s: float) -> None:
        self.loop, self.delay_s, self.app = loop, delay_s, loop.app

    async def handle(self, msg, *, progress=None, before_commit=None):
        await asyncio.sleep(self.delay_s)
        return await self.loop.handle(msg, progress=progress, before_commit=before_commit)


class BrokenLoop:
    """The real loop, except that one message makes it raise (a bug, an outage)."""

    def __init__(self, loop: ConversationLoop) -> None:
        self.loop, self.app = loop, loop.app

    async def handle(self, msg, *, progress=None, before_commit=None):
        if msg.text == "boom":
            raise RuntimeError("database went away")
        return await self.loop.handle(msg, progress=progress, before_commit=before_commit)


async def test_a_message_delivered_twice_makes_one_card(harness):
    h = harness
    rep = h.person(1)
    update = rep.send(NOTE)
    await h.settled()
    h.api.deliver(update, again=True)
    await h.settled()
    assert len(h.api.bot_messages(TG[1])) == 1
    assert h.count(Draft) == 1


async def test_a_press_delivered_twice_writes_once_and_keeps_the_result(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    press = rep.press(card, button(card, "confirm"))
    await h.settled()
    h.api.deliver(press, again=True)
    await h.settled()
    assert h.count(Visit) == before + 1
    assert h.api.current(TG[1], card["message_id"])["text"].startswith(t("zh", "confirmed"))
    assert len(h.api.bot_messages(TG[1])) == 1


async def test_stop_handles_every_update_already_received(api, tg_app):
    adapter = TelegramAdapter(SlowLoop(ConversationLoop(tg_app), 0.3), config_for(api), poll_timeout=1)
    await adapter.start()
    h = Harness(api, adapter, tg_app)
    reps = [h.person(i) for i in (1, 2, 6)]
    for rep in reps:
        rep.send("/help")
    await api.delivered()  # fetched and confirmed to the server: only the bot has them now
    await adapter.stop()
    for rep in reps:
        assert [m["text"] for m in api.bot_messages(rep.id)] == [t("zh", "help")]


async def test_a_failure_is_logged_with_an_error_id_the_user_is_given(api, tg_app, caplog):
    caplog.set_level(logging.ERROR, logger="salesbot.telegram")
    adapter = TelegramAdapter(BrokenLoop(ConversationLoop(tg_app)), config_for(api), poll_timeout=1)
    await adapter.start()
    try:
        h = Harness(api, adapter, tg_app)
        rep = h.person(1)
        [apology] = await h.say(rep, "boom")
        error_id = re.search(r"[0-9a-f]{10}", apology["text"]).group(0)
        assert apology["text"] == t("zh", "apology", error_id=error_id)
        [record] = [r for r in caplog.records if getattr(r, "error_id", None) == error_id]
        assert record.exc_info and "database went away" in str(record.exc_info[1])
        [card] = await h.say(rep, NOTE)  # the next message is handled normally
        assert "蓝鲸数据" in card["text"]
    finally:
        await adapter.stop()


async def test_a_user_sending_too_fast_is_told_once_to_slow_down(api, tg_app):
    limits = UserRateLimiter(burst=2, per_minute=0.5)
    adapter = TelegramAdapter(ConversationLoop(tg_app), config_for(api), poll_timeout=1, user_limits=limits)
    await adapter.start()
    try:
        h = Harness(api, adapter, tg_app)
        rep, other = h.person(1), h.person(2)
        for _ in range(5):
            rep.send("/help")
        other.send("/help")
        await h.settled()
        assert [m["text"] for m in api.bot_messages(rep.id)] == [t("zh", "help")] * 2 + [t("zh", "rate_limited")]
        assert [m["text"] for m in api.bot_messages(other.id)] == [t("zh", "help")]
    finally:
        await adapter.stop()


async def test_flood_control_answers_are_waited_out_by_the_rate_limiter(harness):
    h = harness
    rep = h.person(1)
    h.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    [reply] = await h.say(rep, "/help")
    assert reply["text"] == t("zh", "help")
    assert [c.status for c in h.api.calls_of("sendMessage")] == [429, 200]


async def test_polling_does_not_confirm_an_update_the_database_refused(harness):
    """The insert fails once (the database is down): the offset stays before the update, Telegram
    keeps it, and it is stored and answered on the next fetch."""
    from sqlalchemy.exc import OperationalError

    h = harness
    rep = h.person(1)
    store = h.adapter.inbox.store
    accept, refused = store.accept, []

    def once_down(msg, *args, **kwargs):
        if not refused:
            refused.append(msg.message_id)
            raise OperationalError("INSERT", {}, ConnectionError("database is down"))
        return accept(msg, *args, **kwargs)

    store.accept = once_down
    update = rep.send("/help")
    await h.settled()
    assert [m["text"] for m in h.api.bot_messages(rep.id)] == [t("zh", "help")] and len(refused) == 1
    fetched = [c for c in h.api.calls_of("getUpdates")
               if any(u["update_id"] == update["update_id"] for u in c.result or ())]
    assert len(fetched) == 2  # Telegram still had it after the refusal, and gave it again
