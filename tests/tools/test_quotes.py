from decimal import Decimal

import pytest

from storage.models import ApprovalRule, AuditLog, Quote, Role
from tests.tools.conftest import ADMIN_ID, ToolRunner
from tools.base import ToolError


def quote(runner, quote_id: int) -> Quote:
    return runner.all(Quote, Quote.id == quote_id)[0]


def add_rule(runner, **columns) -> None:
    with runner.session() as session:
        session.add(ApprovalRule(**columns))


def test_create_quote_waits_for_the_requesters_manager(runner, clock):
    result = runner.run(1, "create_quote", account="蓝鲸", amount=600000, discount_pct=15,
                        product="数据平台", note="年底前签")

    row = quote(runner, result.data["quote"]["id"])
    assert (row.account_id, row.opportunity_id, row.amount, row.currency) == (1, 1, Decimal("600000.00"), "CNY")
    assert (row.discount_pct, row.product, row.note) == (Decimal("15"), "数据平台", "年底前签")
    assert (row.status, row.requested_by, row.required_role, row.requested_at) == ("pending", 1, "manager", clock())
    assert result.data["approvers"] == [{"id": 3, "name": "张伟"}]
    [notice] = result.notify
    assert (notice.user_id, notice.kind, notice.data["quote_id"]) == (3, "approval_request", row.id)
    assert notice.data["quote"]["amount"] == {"amount": "600000.00", "currency": "CNY"}
    assert runner.audits(AuditLog.entity == "quote", AuditLog.entity_id == row.id)[0].action == "create"


def test_a_quote_for_an_account_without_deal_has_no_deal(runner):
    result = runner.run(1, "create_quote", account="天衡", amount=1000, currency="USD")
    row = quote(runner, result.data["quote"]["id"])
    assert (row.opportunity_id, row.currency, row.discount_pct) == (None, "USD", Decimal("0"))


def test_a_discount_rule_sends_the_quote_to_an_admin(runner):
    add_rule(runner, name="deep discount", min_discount_pct=Decimal("20"), approver_role=Role.admin)
    add_rule(runner, name="any", approver_role=Role.manager)
    result = runner.run(1, "create_quote", account="蓝鲸", amount=100000, discount_pct=25)
    assert result.data["required_role"] == "admin"
    assert [n.user_id for n in result.notify] == [ADMIN_ID]
    quote_id = result.data["quote"]["id"]
    assert runner.outcome(3, "approve_quote", quote_id=quote_id) == "not_allowed_to_decide"
    runner.run(ADMIN_ID, "approve_quote", quote_id=quote_id)
    assert quote(runner, quote_id).status == "approved"


def test_amount_rules_compare_only_in_their_currency(runner):
    add_rule(runner, name="big", min_amount=Decimal("1000000"), currency="CNY", approver_role=Role.admin)
    usd = runner.run(1, "create_quote", account="蓝鲸", amount=2000000, currency="USD")
    cny = runner.run(1, "create_quote", account="蓝鲸", amount=2000000)
    small = runner.run(1, "create_quote", account="蓝鲸", amount=999999)
    assert [usd.data["required_role"], cny.data["required_role"], small.data["required_role"]] == [
        "manager", "admin", "manager"]


def test_a_managers_own_quote_goes_to_an_admin_or_waits_for_one(runner, crm, clock, tool_settings):
    result = runner.run(3, "create_quote", account="蓝鲸", amount=5000)
    assert (result.data["required_role"], [n.user_id for n in result.notify]) == ("admin", [ADMIN_ID])


def test_without_any_admin_a_managers_quote_has_no_approver(crm, clock, tool_settings):
    plain = ToolRunner(crm, clock, tool_settings)  # the fixture alone: no admin
    result = plain.run(3, "create_quote", account="蓝鲸", amount=5000)
    assert result.data["no_approver"] is True and result.notify == []


def test_approve_by_id_records_the_decision_and_tells_the_requester(runner, clock):
    result = runner.run(3, "approve_quote", quote_id=102, comment="可以")
    row = quote(runner, 102)
    assert (row.status, row.approver_id, row.decided_at, row.comment) == ("approved", 3, clock(), "可以")
    [notice] = result.notify
    assert (notice.user_id, notice.kind, notice.data["decision"]) == (1, "quote_decided", "approved")
    audit = runner.audits(AuditLog.entity == "quote", AuditLog.entity_id == 102)[-1]
    assert (audit.action, audit.before["status"], audit.after["status"]) == ("approved", "pending", "approved")


def test_reject_by_account_keeps_the_comment(runner):
    result = runner.run(5, "reject_quote", account="Initech", comment="discount too deep")
    row = quote(runner, 103)
    assert (row.status, row.comment, row.approver_id) == ("rejected", "discount too deep", 5)
    assert result.notify[0].user_id == 4 and result.data["decision"] == "rejected"


def test_reject_needs_no_comment(runner):
    runner.run(3, "reject_quote", quote_id=104)
    assert (quote(runner, 104).status, quote(runner, 104).comment) == ("rejected", None)


def test_several_pending_quotes_of_one_account_are_listed(runner):
    extra = runner.run(1, "create_quote", account="蓝鲸", amount=1000).data["quote"]["id"]
    with pytest.raises(ToolError) as err:
        runner.run(3, "approve_quote", account="蓝鲸")
    assert err.value.code == "several_pending_quotes"
    assert err.value.params["quote_ids"] == [102, extra]


@pytest.mark.parametrize("actor, args, code", [
    (3, {"quote_id": 9999}, "quote_not_found"),
    (3, {"quote_id": 101}, "quote_not_found"),  # Alice's, another team
    (2, {"quote_id": 102}, "quote_not_found"),  # a peer's quote is not visible to a rep
    (1, {"quote_id": 102}, "cannot_decide_own_quote"),
    (3, {"quote_id": 102, "account": "青松"}, "quote_account_mismatch"),
    (3, {"account": "天衡"}, "no_pending_quote"),
    (3, {"account": "Acme"}, "unknown_account"),  # another team's account is unknown: nothing revealed
    (3, {"account": "蓝"}, "ambiguous_account"),
])
def test_refused_decisions_write_nothing(runner, actor, args, code):
    before = runner.counts()
    for name in ("approve_quote", "reject_quote"):
        with pytest.raises(ToolError) as err:
            runner.run(actor, name, **args)
        assert err.value.code == code
    assert runner.counts() == before
    assert quote(runner, 102).status == "pending"


def test_missing_and_foreign_quotes_look_the_same(runner):
    errors = []
    for quote_id in (9999, 101):
        with pytest.raises(ToolError) as err:
            runner.run(3, "approve_quote", quote_id=quote_id)
        errors.append((err.value.code, sorted(err.value.params)))
    assert errors[0] == errors[1]


def test_a_decided_quote_is_not_decided_again(runner):
    runner.run(3, "approve_quote", quote_id=102)
    before = runner.counts()
    with pytest.raises(ToolError) as err:
        runner.run(3, "reject_quote", quote_id=102)
    assert (err.value.code, err.value.params["status"]) == ("quote_not_pending", "approved")
    assert runner.counts() == before


def test_nobody_decides_their_own_quote_not_even_an_admin(runner):
    own = runner.run(ADMIN_ID, "create_quote", account="蓝鲸", amount=1000).data["quote"]["id"]
    assert runner.outcome(ADMIN_ID, "approve_quote", quote_id=own) == "cannot_decide_own_quote"
    mine = runner.run(3, "create_quote", account="蓝鲸", amount=1000).data["quote"]["id"]
    assert runner.outcome(3, "approve_quote", quote_id=mine) == "cannot_decide_own_quote"


def ids(items) -> list[int]:
    return [q["id"] for q in items]


@pytest.mark.parametrize("actor, to_decide, mine", [
    (3, [102, 104], []),
    (5, [101, 103], []),
    (ADMIN_ID, [101, 102, 103, 104], []),
    (1, [], [102, 104]),
    (4, [], [101, 103]),
    (2, [], []),
])
def test_pending_approvals_per_role(runner, actor, to_decide, mine):
    data = runner.run(actor, "list_pending_approvals").data
    assert sorted(ids(data["to_decide"])) == to_decide
    assert sorted(ids(data["my_requests"])) == mine


def test_pending_approvals_show_waiting_days(runner, clock):
    created = runner.run(1, "create_quote", account="青松", amount=1000).data["quote"]["id"]
    clock.advance(days=3)
    [item] = [q for q in runner.run(3, "list_pending_approvals").data["to_decide"] if q["id"] == created]
    assert item["waiting_days"] == 3 and item["requested_by"] == {"id": 1, "name": "王磊"}
