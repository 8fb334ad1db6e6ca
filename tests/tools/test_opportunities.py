from datetime import date, timedelta
from decimal import Decimal

import pytest

from storage.models import Account, AuditLog, Opportunity, StageChange
from tools.base import ToolError


def deal(runner, deal_id: int) -> Opportunity:
    return runner.all(Opportunity, Opportunity.id == deal_id)[0]


def changes_of(runner, deal_id: int) -> list[StageChange]:
    rows = runner.all(StageChange, StageChange.opportunity_id == deal_id)
    return sorted(rows, key=lambda c: c.id)


def test_stage_and_amount_change_is_written_with_history_and_audit(runner, clock):
    result = runner.run(1, "update_opportunity", account="蓝鲸", stage="negotiation", amount=900000)

    row = deal(runner, 1)
    assert (row.stage, row.amount, row.closed_on) == ("negotiation", Decimal("900000.00"), None)
    assert row.updated_at == clock()
    move = changes_of(runner, 1)[-1]
    assert (move.from_stage, move.to_stage, move.changed_at, move.changed_by) == (
        "evaluation", "negotiation", clock(), 1)
    assert result.data["changes"] == {"stage": {"before": "evaluation", "after": "negotiation"},
                                      "amount": {"before": "800000.00", "after": "900000.00"}}
    assert result.data["stage_backwards"] is False
    assert result.data["opportunity"]["amount"] == {"amount": "900000.00", "currency": "CNY"}
    update = runner.audits(AuditLog.entity == "opportunity", AuditLog.entity_id == 1)[-1]
    assert update.before == {"stage": "evaluation", "amount": "800000.00"}
    assert update.after == {"stage": "negotiation", "amount": "900000.00"}


def test_won_closes_today_and_lost_keeps_reason_and_competitor(runner):
    runner.run(1, "update_opportunity", account="青松", stage="won")
    assert (deal(runner, 2).stage, deal(runner, 2).closed_on) == ("won", date(2026, 11, 25))

    result = runner.run(1, "update_opportunity", account="北辰", stage="lost",
                        lost_reason="预算砍了", competitor="海康")
    lost = deal(runner, 6)
    assert (lost.stage, lost.closed_on, lost.lost_reason, lost.competitor) == (
        "lost", date(2026, 11, 25), "预算砍了", "海康")
    assert result.data["changes"]["closed_on"] == {"before": None, "after": "2026-11-25"}


def test_moving_backwards_is_allowed_and_recorded(runner):
    result = runner.run(1, "update_opportunity", account="青松", stage="evaluation")
    assert result.data["stage_backwards"] is True
    last = changes_of(runner, 2)[-1]
    assert (last.from_stage, last.to_stage) == ("negotiation", "evaluation")


def test_reopening_a_won_deal_clears_its_close_date(runner):
    runner.run(1, "update_opportunity", account="青松", stage="won")
    result = runner.run(1, "update_opportunity", account="青松", opportunity="GMP 合规系统",
                        stage="negotiation")
    assert deal(runner, 2).closed_on is None
    assert result.data["stage_backwards"] is True


def test_deal_named_by_a_fragment(runner):
    result = runner.run(1, "update_opportunity", account="蓝鲸", opportunity="扩容", expected_close="2026-12-31")
    assert result.data["opportunity"]["id"] == 1
    assert deal(runner, 1).expected_close == date(2026, 12, 31)


def test_an_unknown_deal_name_creates_that_deal(runner, clock):
    result = runner.run(1, "update_opportunity", account="蓝鲸", opportunity="安全审计", stage="evaluation",
                        amount=300000, currency="usd")
    new = deal(runner, result.data["opportunity"]["id"])
    assert (new.name, new.stage, new.amount, new.currency, new.owner_id) == (
        "安全审计", "evaluation", Decimal("300000.00"), "USD", 1)
    assert [(c.from_stage, c.to_stage) for c in changes_of(runner, new.id)] == [
        (None, "prospect"), ("prospect", "evaluation")]
    assert result.data["created_opportunity"] is True


def test_an_account_without_deals_gets_one_named_after_it(runner):
    result = runner.run(1, "update_opportunity", account="天衡", amount=450000)
    new = deal(runner, result.data["opportunity"]["id"])
    assert (new.account_id, new.name, new.stage, new.amount) == (6, "天衡能源 商机", "prospect", Decimal("450000.00"))


def test_an_unknown_account_gets_an_account_and_a_deal(runner):
    result = runner.run(1, "update_opportunity", account="星河科技", stage="evaluation")
    account = runner.all(Account, Account.name == "星河科技")[0]
    assert account.owner_id == 1
    assert result.data["created_account"] and result.data["created_opportunity"]
    assert deal(runner, result.data["opportunity"]["id"]).account_id == account.id


def test_the_most_recently_updated_open_deal_is_the_default(runner, clock):
    with runner.session() as session:
        session.get(Opportunity, 1).updated_at = clock() - timedelta(days=30)
        session.add(Opportunity(account_id=1, name="旧项目", stage="prospect", owner_id=1,
                                created_at=clock() - timedelta(days=90),
                                updated_at=clock() - timedelta(days=90)))
        session.add(Opportunity(account_id=1, name="新项目", stage="evaluation", owner_id=1,
                                created_at=clock() - timedelta(hours=1), updated_at=clock() - timedelta(hours=1)))
    result = runner.run(1, "update_opportunity", account="蓝鲸", stage="negotiation")
    assert result.data["opportunity"]["name"] == "新项目"


def test_ambiguous_deal_names_ask(runner, clock):
    with runner.session() as session:
        session.add(Opportunity(account_id=1, name="数据平台二期", stage="prospect", owner_id=1,
                                created_at=clock(), updated_at=clock()))
        session.add(Opportunity(account_id=1, name="数据平台三期", stage="prospect", owner_id=1,
                                created_at=clock(), updated_at=clock()))
    with pytest.raises(ToolError) as err:
        runner.run(1, "update_opportunity", account="蓝鲸", opportunity="数据平台", stage="evaluation")
    assert err.value.code == "ambiguous_opportunity"
    assert len(err.value.params["candidates"]) == 3


def test_stating_what_is_already_true_changes_nothing(runner):
    before = runner.counts()
    with pytest.raises(ToolError) as err:
        runner.run(1, "update_opportunity", account="蓝鲸", stage="evaluation", amount=800000)
    assert err.value.code == "nothing_to_update"
    assert runner.counts() == before


def test_absurd_amount_is_refused_before_anything_is_created(runner):
    before = runner.counts()
    with pytest.raises(ToolError) as err:
        runner.run(1, "update_opportunity", account="全新客户", amount="500000000000")
    assert err.value.code == "amount_out_of_range"
    assert runner.counts() == before
