"""Quote approval across two Feishu chats: the rep's card, the manager's Approve / Reject buttons
on a card of their own, the card updated with the decision, the rep told."""
from __future__ import annotations

from sqlmodel import select

from prompts.ui import t
from storage.db import session_scope
from storage.models import Quote
from tests.bot.feishu.conftest import button

QUOTE = "给青松报价50万，九折"


async def _request(h):
    rep, manager = h.person(1), h.person(3)
    [card] = await h.say(rep, QUOTE)
    assert "青松制药" in card.text
    await h.press(rep, card, "confirm")
    with session_scope(h.app.db) as session:
        quote = session.exec(select(Quote).order_by(Quote.id.desc())).first()
        assert (str(quote.status), quote.requested_by, quote.account_id) == ("pending", 1, 3)
        quote_id = quote.id
    [request] = h.server.bot_messages(manager.p2p_chat)
    assert request.msg_type == "interactive" and f"#{quote_id}" in request.text and "青松制药" in request.text
    assert button(request, "approve") == f"q:{quote_id}:approve"
    assert button(request, "reject") == f"q:{quote_id}:reject"
    return rep, manager, request, quote_id


async def test_manager_approves_with_a_button_and_the_rep_is_told(harness):
    h = harness
    rep, manager, request, quote_id = await _request(h)
    rep_messages = len(h.server.bot_messages(rep.p2p_chat))
    h.app.clock.advance(minutes=42)

    status, answer = await h.press(manager, request, "approve")
    assert (status, answer) == (200, {})
    assert request.updated_at is not None and request.choices == []  # the card shows the decision
    told = h.server.bot_messages(rep.p2p_chat)[rep_messages:]
    assert len(told) == 1 and f"#{quote_id}" in told[0].text
    with session_scope(h.app.db) as session:
        quote = session.get(Quote, quote_id)
        assert (str(quote.status), quote.approver_id) == ("approved", 3)
        assert (quote.decided_at - quote.requested_at).total_seconds() == 42 * 60


async def test_reject_asks_for_a_reason_and_the_rep_gets_it(harness):
    h = harness
    rep, manager, request, quote_id = await _request(h)
    rep_messages = len(h.server.bot_messages(rep.p2p_chat))
    await h.press(manager, request, "reject")
    asked = h.server.bot_messages(manager.p2p_chat)[-1]
    assert asked.text == t("zh", "ask_reject_reason", quote_id=quote_id)
    await h.say(manager, "折扣太大，最多九五折")
    told = h.server.bot_messages(rep.p2p_chat)[rep_messages:]
    assert len(told) == 1 and "折扣太大" in told[0].text
    with session_scope(h.app.db) as session:
        quote = session.get(Quote, quote_id)
        assert (str(quote.status), quote.comment) == ("rejected", "折扣太大，最多九五折")


async def test_a_rep_cannot_approve_their_own_quote_by_forging_the_button(harness):
    h = harness
    rep, manager, request, quote_id = await _request(h)
    own_card = h.server.bot_messages(rep.p2p_chat)[0]
    before = len(h.server.bot_messages(rep.p2p_chat))
    await rep.press(own_card, f"q:{quote_id}:approve")  # a value the rep's card never offered
    await h.settled()
    with session_scope(h.app.db) as session:
        assert str(session.get(Quote, quote_id).status) == "pending"
    assert request.updated_at is None  # the manager's card is untouched
    [answer] = h.server.bot_messages(rep.p2p_chat)[before:]
    assert f"#{quote_id}" in answer.text and answer.choices == []
