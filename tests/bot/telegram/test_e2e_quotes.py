"""Quote approval across two chats: the rep's card, the manager's Approve / Reject buttons, the
rep told the outcome, the decision time recorded."""
from __future__ import annotations

from sqlmodel import select

from prompts.ui import t
from storage.db import session_scope
from storage.models import Quote
from tests.bot.telegram.conftest import TG, button

QUOTE = "给青松报价50万，九折"


async def _request(h) -> tuple[dict, dict, int]:
    rep = h.person(1)
    h.person(3)  # the approver, linked on Telegram
    [card] = await h.say(rep, QUOTE)
    assert "青松制药" in card["text"]
    await h.press(rep, card, button(card, "confirm"))
    with session_scope(h.app.db) as session:
        quote = session.exec(select(Quote).order_by(Quote.id.desc())).first()
        assert (str(quote.status), quote.requested_by, quote.account_id) == ("pending", 1, 3)
        quote_id = quote.id
    [request] = h.api.bot_messages(TG[3])
    assert f"#{quote_id}" in request["text"] and "青松制药" in request["text"]
    assert button(request, "approve") == f"q:{quote_id}:approve"
    assert button(request, "reject") == f"q:{quote_id}:reject"
    return card, request, quote_id


async def test_manager_approves_with_a_button_and_the_rep_is_told(harness):
    h = harness
    card, request, quote_id = await _request(h)
    rep_messages = len(h.api.bot_messages(TG[1]))
    h.app.clock.advance(minutes=42)

    answer = await h.press(h.api.user(TG[3], "张伟"), request, button(request, "approve"))
    assert answer == {"text": None, "show_alert": False}
    decided = h.api.current(TG[3], request["message_id"])
    assert "reply_markup" not in decided and decided["text"] != request["text"]
    told = h.api.bot_messages(TG[1])[rep_messages:]
    assert len(told) == 1 and f"#{quote_id}" in told[0]["text"]
    with session_scope(h.app.db) as session:
        quote = session.get(Quote, quote_id)
        assert (str(quote.status), quote.approver_id) == ("approved", 3)
        assert (quote.decided_at - quote.requested_at).total_seconds() == 42 * 60

    again = await h.press(h.api.user(TG[3], "张伟"), request, button(request, "approve"))
    assert again is not None  # a second press is answered, and changes nothing
    with session_scope(h.app.db) as session:
        assert str(session.get(Quote, quote_id).status) == "approved"


async def test_reject_asks_for_a_reason_and_the_rep_gets_it(harness):
    h = harness
    card, request, quote_id = await _request(h)
    manager = h.api.user(TG[3], "张伟")
    rep_messages = len(h.api.bot_messages(TG[1]))
    await h.press(manager, request, button(request, "reject"))
    asked = h.api.bot_messages(TG[3])[-1]
    assert asked["text"] == t("zh", "ask_reject_reason", quote_id=quote_id)
    await h.say(manager, "折扣太大，最多九五折")
    told = h.api.bot_messages(TG[1])[rep_messages:]
    assert len(told) == 1 and "折扣太大" in told[0]["text"]
    with session_scope(h.app.db) as session:
        quote = session.get(Quote, quote_id)
        assert (str(quote.status), quote.comment) == ("rejected", "折扣太大，最多九五折")


async def test_a_rep_cannot_approve_their_own_quote_by_forging_the_button(harness):
    h = harness
    card, request, quote_id = await _request(h)
    rep = h.api.user(TG[1], "王磊")
    await h.press(rep, card, f"q:{quote_id}:approve")
    with session_scope(h.app.db) as session:
        assert str(session.get(Quote, quote_id).status) == "pending"


async def test_a_manager_asking_whether_a_quote_was_approved_approves_nothing_and_sees_it_waiting(harness):
    h = harness
    card, request, quote_id = await _request(h)
    manager = h.person(3)
    for question in (f"{quote_id}号报价批了吗", "青松的报价批了没有"):
        replies = await h.say(manager, question)
        assert any(f"#{quote_id}" in r["text"] and "青松制药" in r["text"] for r in replies), (question, replies)
        assert not any("reply_markup" in r for r in replies)  # a list, not a card to approve it
        with session_scope(h.app.db) as session:
            assert str(session.get(Quote, quote_id).status) == "pending", question
