"""Linking, confirmation cards and reliability, end to end: the real adapter serving
/feishu/events, events encrypted and signed by the fake open platform, the real loop, rules
engine and database."""
from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.identity import create_invite
from prompts.feishu import fs
from prompts.ui import t
from storage.db import session_scope
from storage.models import ChatIdentity, Draft, InviteCode, Visit
from tests.bot.feishu.conftest import OPEN_ID, button

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


async def test_unlinked_user_is_refused_then_links_with_an_invite_code(harness):
    h = harness
    newcomer = h.person(1, linked=False)
    assert [m.text for m in await h.say(newcomer, NOTE)] == [t("zh", "not_linked")]
    assert h.count(Draft) == 0

    with session_scope(h.app.db) as session:
        code = create_invite(1, session=session, now=h.app.clock())
    assert [m.text for m in await h.say(newcomer, f"绑定 {code}")] == [t("zh", "link_ok", name="王磊")]
    with session_scope(h.app.db) as session:
        identity = session.exec(select(ChatIdentity).where(ChatIdentity.platform == "feishu",
                                                           ChatIdentity.external_id == OPEN_ID[1])).one()
        assert (identity.user_id, identity.chat_id) == (1, newcomer.p2p_chat)
        assert session.get(InviteCode, code).used_at is not None
    [card] = await h.say(newcomer, NOTE)
    assert card.msg_type == "interactive" and "蓝鲸数据" in card.text


async def test_visit_note_card_confirm_button_writes_the_visit_and_updates_the_card(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    assert card.msg_type == "interactive" and card.content["schema"] == "2.0"
    assert card.text.startswith(t("zh", "card_title", n=1, plural=""))
    assert [c.rsplit(":", 1)[1] for c in card.choices] == ["confirm", "edit", "cancel"]
    assert h.count(Visit) == before  # nothing is written before the rep confirms

    status, answer = await h.press(rep, card, "confirm")
    assert (status, answer) == (200, {})  # answered at once; the card is updated afterwards
    assert card.updated_at is not None and card.text.startswith(t("zh", "confirmed"))
    assert card.choices == []  # the card became its result, without buttons
    assert len(h.server.bot_messages(rep.p2p_chat)) == 1  # updated in place, nothing new posted
    with session_scope(h.app.db) as session:
        visit = session.exec(select(Visit).order_by(Visit.id.desc())).first()
        assert (visit.rep_id, visit.account_id, visit.source_text) == (1, 1, NOTE)
    assert h.count(Visit) == before + 1


async def test_the_same_event_delivered_twice_writes_once(harness):
    h = harness
    rep = h.person(1)
    status, _ = await rep.send(NOTE, event_id="ev_same_note")
    again, _ = await rep.send(NOTE, event_id="ev_same_note")  # Feishu's retry: same event id
    await h.settled()
    assert (status, again) == (200, 200)
    [card] = h.server.bot_messages(rep.p2p_chat)
    assert h.count(Draft) == 1

    before = h.count(Visit)
    first = await rep.press(card, button(card, "confirm"), event_id="ev_same_press")
    second = await rep.press(card, button(card, "confirm"), event_id="ev_same_press")
    await h.settled()
    assert first[0] == second[0] == 200
    assert h.count(Visit) == before + 1
    assert len(h.server.bot_messages(rep.p2p_chat)) == 1


async def test_a_redelivery_after_a_restart_is_still_written_once(harness, server, fs_app):
    """The adapter's memory of event ids is gone after a restart; the loop's record of message
    ids is not."""
    from bot.adapters.feishu.adapter import EVENTS_PATH, FeishuAdapter
    from bot.loop import ConversationLoop
    from tests.bot.feishu.conftest import config_for

    h = harness
    rep = h.person(1)
    await rep.send(NOTE, event_id="ev_before_restart")
    await h.settled()
    await h.adapter.stop()
    restarted = FeishuAdapter(ConversationLoop(fs_app), config_for(server))
    await restarted.start()
    h.adapter = restarted
    server.events_url = f"http://127.0.0.1:{restarted.port}{EVENTS_PATH}"
    # the same message (same message id) in a new delivery
    h.loop.received.clear()
    assert h.count(Draft) == 1
    status, _ = await server.post_raw(_same_message_again(server, rep))
    await restarted.idle()
    assert status == 200
    assert h.count(Draft) == 1 and len(server.bot_messages(rep.p2p_chat)) == 1


def _same_message_again(server, rep) -> str:
    import json

    first = next(m for m in server.delivered if m["header"]["event_id"] == "ev_before_restart")
    again = json.loads(json.dumps(first))
    again["header"]["event_id"] = "ev_after_restart"
    return json.dumps(again, ensure_ascii=False)


async def test_a_forged_signature_is_refused_and_never_handled(harness):
    h = harness
    rep = h.person(1)
    event = {"sender": {"sender_id": {"open_id": rep.open_id}, "sender_type": "user"},
             "message": {"message_id": "om_forged", "chat_id": rep.p2p_chat, "chat_type": "p2p",
                         "message_type": "text", "content": '{"text": "今天拜访了蓝鲸李总"}'}}
    status, _ = await h.server.post_event("im.message.receive_v1", event, forge=True)
    assert status == 403
    status, _ = await h.server.post_raw('{"schema": "2.0", "header": {"event_type": "im.message.receive_v1"}}',
                                        sign=False)
    assert status == 403  # unsigned, and not the URL challenge
    await h.settled()
    assert h.loop.received == [] and h.count(Draft) == 0
    assert h.server.bot_messages(rep.p2p_chat) == []


async def test_url_verification_challenge_is_answered_and_a_wrong_token_is_not(harness):
    h = harness
    challenge = '{"challenge": "ch-123", "token": "%s", "type": "url_verification"}'
    status, body = await h.server.post_raw(challenge % h.server.verification_token, sign=False)
    assert (status, body) == (200, {"challenge": "ch-123"})
    status, body = await h.server.post_raw(challenge % "someone-elses-token", sign=False)
    assert status == 400 and "challenge" not in body


async def test_token_expiry_mid_conversation_recovers(harness):
    h = harness
    rep = h.person(1)
    [card] = await h.say(rep, NOTE)
    tokens_before = len(h.server.calls_to("POST", "/open-apis/auth/v3/tenant_access_token"))
    h.server.expire_tokens()
    await h.press(rep, card, "confirm")
    assert card.text.startswith(t("zh", "confirmed"))
    assert len(h.server.calls_to("POST", "/open-apis/auth/v3/tenant_access_token")) == tokens_before + 1
    refused = [c for c in h.server.calls if c.code == 99991663]
    assert len(refused) == 1  # one refused call, renewed once, then everything went through
    [answer] = await h.say(rep, "今天拜访了青松制药王总")
    assert "青松制药" in answer.text


async def test_a_rate_limited_send_waits_and_goes_through(harness):
    h = harness
    rep = h.person(1)
    h.server.rate_limit_next(2)
    [card] = await h.say(rep, NOTE)
    assert "蓝鲸数据" in card.text
    assert [c.status for c in h.server.calls_to("POST", "/open-apis/im/v1/messages")] == [429, 429, 200]


async def test_messages_of_one_chat_are_handled_in_order(harness):
    h = harness
    rep = h.person(1)
    sent = [f"今天拜访了蓝鲸李总，第{i}次" for i in range(5)]
    for text in sent:  # each accepted at once, handled later
        assert (await rep.send(text))[0] == 200
    await h.settled()
    assert [m.text for m in h.loop.received] == sent
    assert len(h.server.bot_messages(rep.p2p_chat)) == 5


async def test_chats_are_handled_concurrently_and_each_gets_its_own_answer(harness):
    h = harness
    reps = {1: "蓝鲸数据", 2: "金桥物流"}
    people = {i: h.person(i) for i in reps}
    await asyncio.gather(*(people[i].send(f"今天拜访了{account}，聊了扩容方案") for i, account in reps.items()))
    await h.settled()
    for i, account in reps.items():
        [card] = h.server.bot_messages(people[i].p2p_chat)
        assert account in card.text


async def test_groups_answer_only_mentions_and_refuse_invite_codes(harness):
    h = harness
    rep = h.person(1)
    group = "oc_group_sales"
    assert await h.say(rep, NOTE, chat=group) == []  # not addressed to the bot
    [card] = await h.say(rep, NOTE, chat=group, mention_bot=True)
    assert "蓝鲸数据" in card.text
    assert h.loop.received[-1].is_group and h.loop.received[-1].mentions_bot
    assert h.loop.received[-1].text == NOTE  # the @mention itself is not part of the text
    [told] = await h.say(rep, "绑定 ABCD2345", chat=group, mention_bot=True)
    assert told.text == fs("zh", "link_in_private")


async def test_unsupported_messages_get_a_plain_answer(harness):
    h = harness
    rep = h.person(1)
    status, _ = await rep._message("sticker", {"file_key": "file_sticker"})
    await h.settled()
    assert status == 200
    assert [m.text for m in h.server.bot_messages(rep.p2p_chat)] == [fs("zh", "unsupported")]
