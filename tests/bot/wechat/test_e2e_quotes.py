"""Quote approval across two WeChat chats: the rep's card, the manager's numbered request, typed
decisions (同意 / 驳回 / approve / reject with a reason), and the rep told the outcome."""
from __future__ import annotations

from sqlmodel import select

from prompts.errors import render_error
from prompts.ui import t
from storage.db import session_scope
from storage.models import Quote

QUOTE = "给青松报价50万，九折"


def quote(h, quote_id: int) -> Quote:
    with session_scope(h.app.db) as session:
        return session.get(Quote, quote_id)


async def test_rep_requests_manager_presses_1_and_the_rep_is_told(harness):
    h = harness
    rep, manager = await h.person(1), await h.person(3)
    [card] = await h.say(rep, QUOTE)
    assert "青松制药" in card and card.endswith("回复 1 确认 / 2 修改 / 3 取消")

    to_manager = len(h.gw.messages_to(manager))
    [saved] = await h.say(rep, "1")
    assert saved.startswith(t("zh", "confirmed"))
    with session_scope(h.app.db) as session:
        new = session.exec(select(Quote).order_by(Quote.id.desc())).first()
        assert (str(new.status), new.requested_by) == ("pending", 1)
        quote_id = new.id
    [request] = await h.replies(manager, to_manager, 1)
    assert f"#{quote_id}" in request and "青松制药" in request
    assert request.endswith(f"回复 1 同意 / 2 驳回\n也可以直接回复「同意 {quote_id}」或「驳回 {quote_id} 原因」")

    told_before = len(h.gw.messages_to(rep))
    h.app.clock.advance(minutes=30)
    [decided] = await h.say(manager, "1")
    assert f"#{quote_id}" in decided
    [told] = await h.replies(rep, told_before, 1)
    assert f"#{quote_id}" in told
    decided_quote = quote(h, quote_id)
    assert (str(decided_quote.status), decided_quote.approver_id) == ("approved", 3)
    assert (decided_quote.decided_at - decided_quote.requested_at).total_seconds() == 30 * 60


async def test_typed_tongyi_approves_like_the_button(harness):
    h = harness
    rep, manager = await h.person(1), await h.person(3)
    [decided] = await h.say(manager, "同意 102")
    assert "#102" in decided
    assert str(quote(h, 102).status) == "approved"
    [told] = await h.replies(rep, 0, 1)
    assert "#102" in told
    [again] = await h.say(manager, "同意 102")  # decided once: the second time says so
    assert "#102" in again and again != decided
    assert h.gw.messages_to(rep)[1:] == []


async def test_bohui_with_a_reason_rejects_in_one_message(harness):
    h = harness
    rep, manager = await h.person(1), await h.person(3)
    [decided] = await h.say(manager, "驳回 102 折扣太大，最多九五折")
    assert t("zh", "ask_reject_reason", quote_id=102) not in decided  # the reason came with it
    rejected = quote(h, 102)
    assert (str(rejected.status), rejected.comment) == ("rejected", "折扣太大，最多九五折")
    [told] = await h.replies(rep, 0, 1)
    assert "#102" in told and "折扣太大" in told


async def test_bohui_without_a_reason_asks_for_one(harness):
    h = harness
    await h.person(1)
    manager = await h.person(3)
    assert await h.say(manager, "驳回 102") == [t("zh", "ask_reject_reason", quote_id=102)]
    await h.say(manager, "客户预算不够")
    rejected = quote(h, 102)
    assert (str(rejected.status), rejected.comment) == ("rejected", "客户预算不够")


async def test_english_approve_and_reject(harness):
    h = harness
    alice, bob = await h.person(4), await h.person(5)
    await h.say(bob, "reject 101: discount too deep")
    await h.say(bob, "approve #103")
    assert (str(quote(h, 101).status), quote(h, 101).comment) == ("rejected", "discount too deep")
    assert str(quote(h, 103).status) == "approved"
    told = await h.replies(alice, 0, 2)
    assert "#101" in told[0] and "discount too deep" in told[0]
    assert "#103" in told[1]


async def test_a_rep_cannot_approve_their_own_quote_by_typing(harness):
    h = harness
    rep = await h.person(1)
    assert await h.say(rep, "同意 102") == [render_error("cannot_decide_own_quote", {"quote_id": 102}, "zh")]
    assert str(quote(h, 102).status) == "pending"
