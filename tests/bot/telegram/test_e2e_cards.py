"""Linking and confirmation cards, end to end: the real PTB Application polling the fake Bot API
server over HTTP, the real loop, rules engine and database."""
from __future__ import annotations

from sqlmodel import select

from bot.identity import create_invite
from prompts.ui import t
from storage.db import session_scope
from storage.models import ChatIdentity, Draft, DraftStatus, InviteCode, Visit
from tests.bot.telegram.conftest import TG, button

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def actions(message: dict) -> list[str]:
    return [b["callback_data"].rsplit(":", 1)[1] for row in message["reply_markup"]["inline_keyboard"]
            for b in row]


async def test_unlinked_user_gets_a_short_refusal_then_links_with_an_invite_code(harness):
    h = harness
    newcomer = h.person(1, linked=False)
    assert [m["text"] for m in await h.say(newcomer, NOTE)] == [t("zh", "not_linked")]
    assert h.count(Draft) == 0

    with session_scope(h.app.db) as session:
        code = create_invite(1, session=session, now=h.app.clock())
    assert [m["text"] for m in await h.say(newcomer, f"/start {code}")] == [t("zh", "link_ok", name="王磊")]
    with session_scope(h.app.db) as session:
        identity = session.exec(select(ChatIdentity).where(ChatIdentity.platform == "telegram",
                                                           ChatIdentity.external_id == str(TG[1]))).one()
        assert (identity.user_id, identity.chat_id) == (1, str(TG[1]))
        assert session.get(InviteCode, code).used_at is not None

    thief = h.api.user(6666, "Mallory", language_code="en")
    assert [m["text"] for m in await h.say(thief, f"/start {code}")] == [t("en", "link_bad_code")]
    [card] = await h.say(newcomer, NOTE)  # linked now: the note becomes a card
    assert "蓝鲸数据" in card["text"]


async def test_visit_note_shows_a_card_and_confirm_writes_the_visit(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    assert card["text"].startswith(t("zh", "card_title", n=1, plural=""))
    assert "蓝鲸数据" in card["text"]
    assert actions(card) == ["confirm", "edit", "cancel"]
    assert h.count(Visit) == before  # nothing is written before the rep confirms

    answer = await h.press(rep, card, button(card, "confirm"))
    assert answer == {"text": None, "show_alert": False}
    shown = h.api.current(TG[1], card["message_id"])
    assert shown["text"].startswith(t("zh", "confirmed"))
    assert "reply_markup" not in shown  # the card became its result, without buttons
    assert len(h.api.bot_messages(TG[1])) == 1  # edited in place, nothing new posted
    with session_scope(h.app.db) as session:
        visit = session.exec(select(Visit).order_by(Visit.id.desc())).first()
        assert (visit.rep_id, visit.account_id, visit.source_text) == (1, 1, NOTE)
    assert h.count(Visit) == before + 1


async def test_cancel_edits_the_card_and_writes_nothing(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    await h.press(rep, card, button(card, "cancel"))
    shown = h.api.current(TG[1], card["message_id"])
    assert shown["text"] == t("zh", "cancelled") and "reply_markup" not in shown
    assert h.count(Visit) == before
    assert h.count(Draft, Draft.status == DraftStatus.cancelled) == 1


async def test_edit_asks_for_the_change_and_a_new_card_is_confirmed(harness):
    h = harness
    rep = h.person(1)
    [card] = await h.say(rep, NOTE)
    answer = await h.press(rep, card, button(card, "edit"))
    assert answer == {"text": None, "show_alert": False}
    [prompt] = [m for m in h.api.bot_messages(TG[1]) if m["message_id"] > card["message_id"]]
    assert prompt["text"] == t("zh", "edit_prompt")

    [new_card] = await h.say(rep, "改成昨天")
    assert actions(new_card) == ["confirm", "edit", "cancel"]
    assert "11-25" in card["text"] and "11-24" in new_card["text"]  # the visit moved to yesterday
    await h.press(rep, new_card, button(new_card, "confirm"))
    with session_scope(h.app.db) as session:
        visit = session.exec(select(Visit).order_by(Visit.id.desc())).first()
        assert (visit.rep_id, visit.account_id, str(visit.occurred_on)) == (1, 1, "2026-11-24")


async def test_double_press_writes_once_and_the_second_press_is_told_what_was_saved(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    first = rep.press(card, button(card, "confirm"))
    second = rep.press(card, button(card, "confirm"))  # tapped again before the card changed
    await h.settled()
    answers = h.api.callback_answers
    assert answers[first["callback_query"]["id"]] == {"text": None, "show_alert": False}
    assert answers[second["callback_query"]["id"]] == {"text": None, "show_alert": False}
    shown = h.api.current(TG[1], card["message_id"])["text"]
    assert shown.startswith(t("zh", "draft_already_saved")) and "蓝鲸数据" in shown
    assert h.count(Visit) == before + 1


async def test_forged_press_changes_nothing_and_the_card_still_works(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    for forged in ("d:99999:confirm", "d:1:confirm' OR 1=1", "q:102:approve"):
        answer = await h.press(rep, card, forged)
        assert h.api.current(TG[1], card["message_id"]) == card  # the card is untouched
        if forged.startswith("d:"):
            assert answer == {"text": t("zh", "draft_stale"), "show_alert": True}
    # q:102 is a real pending quote of this rep's: the tool refuses a rep's approval
    with session_scope(h.app.db) as session:
        from storage.models import Quote

        assert str(session.get(Quote, 102).status) == "pending"
    assert h.count(Visit) == before
    await h.press(rep, card, button(card, "confirm"))
    assert h.count(Visit) == before + 1


async def test_menu_commands_are_registered_in_chinese_and_english(harness):
    commands = harness.api.commands
    zh = commands[('{"type": "default"}', "zh")]
    en = commands[('{"type": "default"}', "en")]
    assert [c["command"] for c in zh] == [c["command"] for c in en]
    assert {"start", "help", "cancel"} <= {c["command"] for c in zh}
    assert zh != en and commands[('{"type": "default"}', "")] == zh


async def test_help_command_answers_in_the_users_language(harness):
    h = harness
    alice = h.person(4)
    [reply] = await h.say(alice, "/help")
    assert reply["text"] == t("en", "help")
