"""Hostile or unlucky deliveries over the wire: unencodable text, duplicate deliveries, forged
presses, presses after a crash and updates the library cannot read."""
from __future__ import annotations

import logging

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.flow import UserRateLimiter
from bot.loop import ConversationLoop
from bot.messages import IncomingMessage
from prompts.ui import t
from sqlmodel import select

from storage.db import session_scope
from storage.models import Draft, Quote, Visit
from tests.bot.telegram.conftest import TG, Harness, button, config_for

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


async def test_a_lone_surrogate_in_a_note_is_dropped_and_the_note_is_saved(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, "今天拜访了蓝鲸李总\ud800，聊了扩容\udfff方案")
    assert "蓝鲸数据" in card["text"] and "\ufffd" not in card["text"]
    await h.press(rep, card, button(card, "confirm"))
    assert h.api.current(TG[1], card["message_id"])["text"].startswith(t("zh", "confirmed"))
    assert h.count(Visit) == before + 1


async def test_only_unencodable_and_control_characters_get_a_clear_reply(harness):
    h = harness
    rep = h.person(1)
    for text in ("\ud800\udc00\udbff", "\x00\x01\x1b\u202e\u2066", "\udfff" * 5000):
        [reply] = await h.say(rep, text)
        assert reply["text"] in (t("zh", "unreadable"), t("zh", "empty_message"))


async def test_duplicate_deliveries_do_not_use_up_the_rate_limit(api, tg_app):
    limits = UserRateLimiter(burst=2, per_minute=0.5)
    adapter = TelegramAdapter(ConversationLoop(tg_app), config_for(api), poll_timeout=1, user_limits=limits)
    await adapter.start()
    try:
        h = Harness(api, adapter, tg_app)
        rep = h.person(1)
        before = h.count(Visit)
        first = rep.send(NOTE)
        await h.settled()
        [card] = api.bot_messages(rep.id)
        for _ in range(6):
            api.deliver(first, again=True)
        press = rep.press(card, button(card, "confirm"))
        await h.settled()
        for _ in range(6):
            api.deliver(press, again=True)
        await h.settled()
        texts = [m["text"] for m in api.bot_messages(rep.id)]
        assert t("zh", "rate_limited") not in texts
        assert not any(t("zh", "rate_limited") in (a or "") for a in api.callback_answers.values())
        assert h.count(Visit) == before + 1
        assert api.current(TG[1], card["message_id"])["text"].startswith(t("zh", "confirmed"))
        [reply] = await h.say(rep, "/help")  # the third new message is over the burst of two
        assert reply["text"] == t("zh", "rate_limited")
    finally:
        await adapter.stop()


async def test_a_forged_reject_press_leaves_no_question_for_the_next_message(harness):
    h = harness
    rep, outsider = h.person(1), h.person(5)  # Bob manages another team
    h.person(3)
    [card] = await h.say(rep, "给青松报价50万，九折")
    await h.press(rep, card, button(card, "confirm"))
    with session_scope(h.app.db) as session:
        quote_id = session.exec(select(Quote).order_by(Quote.id.desc())).first().id
    for who in (rep, outsider):  # the requester on their own quote; a manager of another team
        await h.press(who, card, f"q:{quote_id}:reject")
        chat = h.api.bot_messages(who.id)
        assert not any(m["text"] == t(lang_of(who), "ask_reject_reason", quote_id=quote_id) for m in chat)
    [next_card] = await h.say(rep, NOTE)  # the rep's next note is a note, not a reason
    assert "蓝鲸数据" in next_card["text"]
    [reply] = await h.say(outsider, "Visited Acme today, talked about the renewal")
    assert "Acme" in reply["text"]
    with session_scope(h.app.db) as session:
        quote = session.get(Quote, quote_id)
        assert (str(quote.status), quote.comment) == ("pending", None)
        assert not [d for d in session.exec(select(Draft)).all() if d.pending_question]


def lang_of(user) -> str:
    return "en" if user.id in (TG[4], TG[5]) else "zh"


async def test_confirm_after_a_crash_that_lost_the_reply_says_what_was_saved(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    # The press was handled and committed, then the process died before Telegram heard back:
    # the visit is saved, the card still shows its buttons, the rep presses Confirm again.
    lost = IncomingMessage(platform="telegram", chat_id=str(TG[1]), external_user_id=str(TG[1]),
                           message_id="cb:lost-before-the-crash", choice=button(card, "confirm"))
    await h.adapter.loop.handle(lost)
    assert h.count(Visit) == before + 1
    for action in ("confirm", "cancel"):
        answer = await h.press(rep, card, button(card, action))
        shown = h.api.current(TG[1], card["message_id"])["text"]
        assert shown.startswith(t("zh", "draft_already_saved")) and "蓝鲸数据" in shown
        assert t("zh", "draft_stale") not in shown and not (answer or {}).get("show_alert")
    assert h.count(Visit) == before + 1


async def test_an_update_the_library_cannot_read_is_logged_once_and_skipped(harness, caplog):
    caplog.set_level(logging.ERROR, logger="salesbot.telegram")
    h = harness
    rep, other = h.person(1), h.person(2)
    broken = rep.compose("")
    del broken["message"]["text"]
    broken["message"]["poll"] = {"id": "p1", "question": "下周哪天开会？"}  # an older server's poll: no options
    h.api.deliver(broken)
    other.send("/help")
    rep.send("/help")
    await h.settled()  # the offset moved past the broken update: nothing is waiting
    assert [m["text"] for m in h.api.bot_messages(rep.id)] == [t("zh", "help")]
    assert [m["text"] for m in h.api.bot_messages(other.id)] == [t("zh", "help")]
    logged = [r for r in caplog.records if getattr(r, "update_id", None) == broken["update_id"]]
    assert len(logged) == 1 and logged[0].getMessage() == "unreadable telegram update skipped"
    assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]
    [reply] = await h.say(rep, "/help")  # and the bot carries on
    assert reply["text"] == t("zh", "help")
