"""Group chats: the bot answers only when mentioned or commanded, presses are checked against the
card's owner, invite codes stay private, and nothing unasked is posted where others read."""
from __future__ import annotations

import logging

from prompts.telegram import tg
from prompts.ui import t
from storage.db import session_scope
from storage.models import InviteCode, ProcessedMessage, Visit
from tests.bot.telegram.conftest import TG, button

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"
GROUP_ID = -1001234


async def test_unaddressed_group_messages_are_not_answered_or_recorded(harness):
    h = harness
    group = h.api.group(GROUP_ID)
    rep = h.person(1)
    before = h.count(ProcessedMessage)
    assert await h.say(rep, NOTE, chat=group) == []
    assert await h.say(rep, "/help@some_other_bot", chat=group) == []
    assert h.count(ProcessedMessage) == before


async def test_mentioned_in_a_group_the_card_is_answered_there_and_only_its_owner_may_press(harness):
    h = harness
    group = h.api.group(GROUP_ID)
    rep, colleague = h.person(1), h.person(2)
    before = h.count(Visit)
    asked = rep.compose(f"@{h.api.bot['username']} {NOTE}", chat=group)
    h.api.deliver(asked)
    await h.settled()
    [card] = h.api.bot_messages(GROUP_ID)
    assert "蓝鲸数据" in card["text"]
    assert card["reply_to_message"]["message_id"] == asked["message"]["message_id"]

    answer = await h.press(colleague, card, button(card, "confirm"))
    assert answer == {"text": t("zh", "draft_not_yours"), "show_alert": True}
    assert h.api.current(GROUP_ID, card["message_id"]) == card
    assert len(h.api.bot_messages(GROUP_ID)) == 1  # the refusal went to the presser alone
    assert h.count(Visit) == before

    await h.press(rep, card, button(card, "confirm"))
    assert h.api.current(GROUP_ID, card["message_id"])["text"].startswith(t("zh", "confirmed"))
    assert h.count(Visit) == before + 1


async def test_commands_in_a_group_are_answered(harness):
    h = harness
    group = h.api.group(GROUP_ID)
    rep = h.person(1)
    [reply] = await h.say(rep, "/help", chat=group)
    assert reply["text"] == t("zh", "help")


async def test_an_invite_code_posted_in_a_group_is_not_redeemed_there(harness):
    h = harness
    from bot.identity import create_invite

    group = h.api.group(GROUP_ID)
    newcomer = h.person(2, linked=False)
    with session_scope(h.app.db) as session:
        code = create_invite(2, session=session, now=h.app.clock())
    [reply] = await h.say(newcomer, f"/start {code}", chat=group)
    assert reply["text"] == tg("zh", "link_in_private")
    with session_scope(h.app.db) as session:
        assert session.get(InviteCode, code).used_at is None


async def test_a_quote_asked_for_in_a_group_sends_the_approval_to_the_managers_private_chat(harness):
    h = harness
    group = h.api.group(GROUP_ID)
    rep = h.person(1)
    h.person(3)  # the approver, linked on Telegram
    [card] = await h.say(rep, f"@{h.api.bot['username']} 给青松报价50万，九折", chat=group)
    await h.press(rep, card, button(card, "confirm"))
    [request] = h.api.bot_messages(TG[3])
    assert "青松" in request["text"] and button(request, "approve")
    group_texts = [m["text"] for m in h.api.bot_messages(GROUP_ID)]
    assert len(group_texts) == 1  # only the rep's own card, now its result


async def test_proactive_messages_are_never_posted_into_a_group(harness, caplog):
    from bot.messages import Outgoing, Reply

    h = harness
    caplog.set_level(logging.ERROR, logger="salesbot.outbox")
    sent = await h.adapter.outbox.deliver([Outgoing("telegram", str(GROUP_ID), Reply("王磊的报价被驳回"))])
    assert sent == 0
    assert h.api.bot_messages(GROUP_ID) == []
    assert any("group chat" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
