"""Linking, cards and presses end to end: members post encrypted callbacks to the real adapter's
callback URL; the adapter answers, the real loop, rules engine and database decide, and the
replies reach the fake WeCom server through message/send and update_template_card."""
from __future__ import annotations

from sqlmodel import select

from bot.identity import create_invite
from prompts.ui import t
from storage.db import session_scope
from storage.models import ChatIdentity, Draft, DraftStatus, InviteCode, Visit
from tests.bot.wecom.conftest import WC, make_adapter

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


async def test_unlinked_member_is_refused_then_links_with_an_invite_code(harness):
    h = harness
    newcomer = h.person(1, linked=False)
    assert [m.text for m in await h.say(newcomer, NOTE)] == [t("zh", "not_linked")]
    assert h.count(Draft) == 0

    with session_scope(h.app.db) as session:
        code = create_invite(1, session=session, now=h.app.clock())
    assert [m.text for m in await h.say(newcomer, f"绑定 {code}")] == [t("zh", "link_ok", name="王磊")]
    with session_scope(h.app.db) as session:
        identity = session.exec(select(ChatIdentity).where(ChatIdentity.platform == "wecom",
                                                           ChatIdentity.external_id == WC[1])).one()
        assert (identity.user_id, identity.chat_id) == (1, WC[1])
        assert session.get(InviteCode, code).used_at is not None

    thief = h.wecom.member("Mallory", "Mallory")
    assert [m.text for m in await h.say(thief, f"绑定 {code}")] == [t("zh", "link_bad_code")]
    [card] = await h.say(newcomer, NOTE)  # linked now: the note becomes a card
    assert card.msgtype == "template_card" and "蓝鲸数据" in card.text


async def test_visit_note_card_confirm_writes_the_visit_and_the_card_shows_the_decision(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    assert card.msgtype == "template_card"
    assert card.content["card_type"] == "button_interaction"
    assert "蓝鲸数据" in card.text
    keys = [b["key"] for b in card.content["button_list"]]
    assert [k.rsplit(":", 1)[1] for k in keys] == ["confirm", "edit", "cancel"]
    assert h.count(Visit) == before  # nothing written before the press

    answers = await h.press(rep, card, "confirm")
    assert h.count(Visit) == before + 1
    assert card.decided and "确认" in card.decided  # the buttons became the decision
    assert answers and "蓝鲸数据" in answers[0].text and answers[0].msgtype == "text"
    assert len(h.wecom.calls_of("message/update_template_card")) == 1


async def test_cancel_writes_nothing_and_a_stale_press_says_so(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    await h.press(rep, card, "cancel")
    assert h.count(Visit) == before
    with session_scope(h.app.db) as session:
        assert [str(d.status) for d in session.exec(select(Draft)).all()] == [str(DraftStatus.cancelled)]
    answers = await h.press(rep, card, "confirm")  # the old card pressed again
    assert h.count(Visit) == before
    assert [m.text for m in answers] == [t("zh", "draft_stale")]


async def test_the_same_callback_twice_writes_once(harness):
    h = harness
    rep = h.person(1)
    [card] = await h.say(rep, NOTE)
    before = h.count(Visit)
    code_press = card.button("confirm")
    first = await rep.press(card, code_press)
    xml = h.wecom.callbacks[-1].xml
    again = await h.wecom.post(xml)  # WeCom posts it again (no answer in 5 s)
    assert (first.status, again.status) == (200, 200)
    await h.settled()
    assert h.count(Visit) == before + 1
    # after a restart the adapter's memory is gone: the loop still knows the event
    await h.adapter.stop()
    adapter = make_adapter(h.wecom, h.app)
    await adapter.start()
    h.wecom.callback_url = adapter.callback_url
    sent = len(h.wecom.messages(WC[1]))
    try:
        assert (await h.wecom.post(xml)).status == 200
        await adapter.idle()
    finally:
        await adapter.stop()
    assert h.count(Visit) == before + 1
    assert len(h.wecom.messages(WC[1])) == sent  # answered once, not twice


async def test_token_expiry_mid_conversation_recovers(harness):
    h = harness
    rep = h.person(1)
    [card] = await h.say(rep, NOTE)
    fetched = h.adapter.api.tokens_fetched
    h.wecom.expire_tokens()
    answers = await h.press(rep, card, "confirm")
    assert answers and "蓝鲸数据" in answers[0].text
    assert h.adapter.api.tokens_fetched == fetched + 1
    refused = [c for c in h.wecom.calls if c.answer.get("errcode") == 42001]
    assert len(refused) == 1  # one refused call, then a new token and the same call again


async def test_enter_agent_tells_an_unlinked_member_how_to_link_once(harness):
    h = harness
    stranger = h.person(2, linked=False)
    assert (await stranger.enter()).status == 200
    await h.settled()
    assert [m.text for m in h.wecom.messages(WC[2])] == [t("zh", "not_linked")]
    await stranger.enter()
    await h.settled()
    assert len(h.wecom.messages(WC[2])) == 1
    linked = h.person(1)
    await linked.enter()
    await h.settled()
    assert h.wecom.messages(WC[1]) == []


async def test_directory_links_a_member_by_name_when_the_admin_allows_it(wecom, wc_app):
    adapter = make_adapter(wecom, wc_app, directory_link=True)
    await adapter.start()
    wecom.callback_url = adapter.callback_url
    try:
        rep = wecom.member("wl-from-directory", "王磊")  # the directory's name is user 1's
        await rep.send_text(NOTE)
        await adapter.idle()
        [card] = wecom.messages("wl-from-directory")
        assert card.msgtype == "template_card" and "蓝鲸数据" in card.text
        nobody = wecom.member("temp-worker", "临时工")
        await nobody.send_text(NOTE)
        await adapter.idle()
        assert [m.text for m in wecom.messages("temp-worker")] == [t("zh", "not_linked")]
    finally:
        await adapter.stop()
    with session_scope(wc_app.db) as session:
        identity = session.exec(select(ChatIdentity).where(ChatIdentity.external_id == "wl-from-directory")).one()
        assert (identity.platform, identity.user_id) == ("wecom", 1)
