from datetime import date, timedelta

import pytest

from storage.models import Account, Opportunity, Visit
from tests.tools.conftest import ADMIN_ID
from tools.base import ToolError


def kinds(data) -> list[str]:
    return [s["kind"] for s in data["steps"]]


def test_negotiation_with_a_pending_quote_chases_the_approval_first(runner):
    data = runner.run(4, "suggest_next_steps", account="Acme", question="how do I close this?").data
    first = data["steps"][0]
    assert first["kind"] == "chase_approval" and first["facts"]["quote_id"] == 101
    assert first["facts"]["amount"] == {"amount": "200000.00", "currency": "USD"}
    assert "book_check_in" in kinds(data)  # negotiation and never visited
    assert data["question"] == "how do I close this?"


def test_an_evaluation_deal_gets_a_check_in_only_when_it_went_quiet(runner, clock):
    with runner.session() as session:
        session.add(Visit(account_id=1, rep_id=1, occurred_on=date(2026, 11, 22), next_step="发方案"))
    recent = runner.run(1, "suggest_next_steps", account="蓝鲸").data
    assert "book_check_in" not in kinds(recent)

    clock.advance(days=20)
    quiet = runner.run(1, "suggest_next_steps", account="蓝鲸").data
    [check_in] = [s for s in quiet["steps"] if s["kind"] == "book_check_in"]
    assert check_in["facts"] == {"stage": "evaluation", "days_since_visit": 23}
    assert check_in["deal"] == {"id": 1, "name": "数据平台扩容"}


def test_a_promise_without_a_reminder_is_brought_up(runner):
    with runner.session() as session:
        session.add(Visit(account_id=9, rep_id=1, occurred_on=date(2026, 11, 24), next_step="周五前发测试报告"))
    data = runner.run(1, "suggest_next_steps", account="北辰").data
    [promise] = [s for s in data["steps"] if s["kind"] == "keep_promise"]
    assert promise["facts"] == {"next_step": "周五前发测试报告", "agreed_on": "2026-11-24"}
    runner.run(1, "create_reminder", due_at="2026-11-27T09:00", text="发测试报告", account="北辰")
    assert "keep_promise" not in kinds(runner.run(1, "suggest_next_steps", account="北辰").data)


def test_a_passed_close_date_comes_first(runner):
    with runner.session() as session:
        session.get(Opportunity, 6).expected_close = date(2026, 11, 15)
    data = runner.run(1, "suggest_next_steps", account="北辰").data
    assert data["steps"][0]["kind"] == "close_date_passed"
    assert data["steps"][0]["facts"]["days_overdue"] == 10


def test_a_lost_account_learns_from_the_loss(runner):
    data = runner.run(4, "suggest_next_steps", account="Northwind").data
    [loss] = [s for s in data["steps"] if s["kind"] == "learn_from_loss"]
    assert loss["facts"]["pattern"] == "budget" and loss["facts"]["competitor"] == "Oracle Retail"
    assert "qualify_opportunity" in kinds(data)


def test_every_reachable_account_gets_two_to_four_distinct_steps(runner):
    for name in [a.name for a in runner.all(Account)]:
        steps = runner.run(ADMIN_ID, "suggest_next_steps", account=name).data["steps"]
        assert 2 <= len(steps) <= 4, name
        assert len({s["kind"] for s in steps}) == len(steps)
        assert all(isinstance(s["facts"], dict) for s in steps)


def test_another_teams_account_is_unknown_and_a_teammates_is_refused(runner):
    with pytest.raises(ToolError) as err:
        runner.run(1, "suggest_next_steps", account="Acme")
    assert err.value.code == "unknown_account"
    with pytest.raises(ToolError) as err:
        runner.run(1, "suggest_next_steps", account="金桥物流")
    assert err.value.code == "not_your_account" and err.value.params["owner"] == "李娜"


def test_quiet_threshold_follows_settings(runner, clock):
    with runner.session() as session:
        session.add(Visit(account_id=1, rep_id=1, occurred_on=clock().date() - timedelta(days=5)))
    runner.settings = runner.settings.model_copy(update={"stale_deal_days": 3})
    assert "book_check_in" in kinds(runner.run(1, "suggest_next_steps", account="蓝鲸").data)
