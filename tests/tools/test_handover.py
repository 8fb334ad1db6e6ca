from datetime import timedelta

import pytest

from storage.models import Account, AuditLog, Opportunity, Reminder, Visit
from tests.tools.conftest import ADMIN_ID
from tools.base import ToolError


def owners(runner, model, *ids) -> list[int]:
    rows = {r.id: r for r in runner.all(model)}
    return [rows[i].owner_id for i in ids]


def add_reminders(runner, clock) -> tuple[int, int]:
    with runner.session() as session:
        about = Reminder(user_id=1, account_id=1, text="回访李总", due_at=clock() + timedelta(days=1),
                         created_at=clock())
        private = Reminder(user_id=1, text="交周报", due_at=clock() + timedelta(days=1), created_at=clock())
        session.add_all([about, private])
        session.add(Visit(account_id=1, rep_id=1, occurred_on=clock().date(), summary="谈扩容",
                          next_step="下周发方案"))
        session.flush()
        return about.id, private.id


def test_a_manager_hands_all_of_a_reps_accounts_over(runner, clock):
    about, private = add_reminders(runner, clock)
    result = runner.run(3, "reassign_accounts", from_user="小王", to_user="娜娜")

    assert owners(runner, Account, 1, 3, 6, 9) == [2, 2, 2, 2]
    assert owners(runner, Opportunity, 1, 2, 6) == [2, 2, 2]
    reminders = {r.id: r.user_id for r in runner.all(Reminder)}
    assert (reminders[about], reminders[private]) == (2, 1)  # only reminders about moved accounts
    assert result.data["moved"] == {"accounts": 4, "deals": 3, "reminders": 1}
    reassigned = {(a.entity, a.entity_id) for a in runner.audits(AuditLog.action == "reassign")}
    assert reassigned == {("account", 1), ("account", 3), ("account", 6), ("account", 9),
                          ("opportunity", 1), ("opportunity", 2), ("opportunity", 6), ("reminder", about)}

    [notice] = result.notify
    assert (notice.user_id, notice.kind) == (2, "handover_brief")
    brief = next(b for b in notice.data["accounts"] if b["account"]["name"] == "蓝鲸数据")
    assert [c["name"] for c in brief["contacts"]] == ["李明", "陈静"]
    assert [d["name"] for d in brief["open_deals"]] == ["数据平台扩容"]
    assert brief["promises"] == [{"next_step": "下周发方案", "agreed_on": "2026-11-25"}]
    assert [q["id"] for q in brief["pending_quotes"]] == [102]


def test_one_account_only(runner):
    result = runner.run(3, "reassign_accounts", from_user="王磊", to_user="刘洋", account="青松")
    assert owners(runner, Account, 1, 3) == [1, 6]
    assert owners(runner, Opportunity, 2) == [6]
    assert result.data["moved"] == {"accounts": 1, "deals": 1, "reminders": 0}


def test_an_admin_moves_across_teams(runner):
    runner.run(ADMIN_ID, "reassign_accounts", from_user="Alice", to_user="王磊", account="Acme")
    assert owners(runner, Account, 12) == [1]


@pytest.mark.parametrize("actor, args, code", [
    (1, {"from_user": "王磊", "to_user": "李娜"}, "not_allowed_to_reassign"),
    (3, {"from_user": "Alice", "to_user": "王磊"}, "not_allowed_to_reassign"),
    (5, {"from_user": "Alice", "to_user": "王磊"}, "not_allowed_to_reassign"),
    (3, {"from_user": "王磊", "to_user": "小王"}, "same_user"),
    (3, {"from_user": "王磊", "to_user": "Nobody Here"}, "unknown_user"),
    (3, {"from_user": "王磊", "to_user": "李娜", "account": "蓝海"}, "account_not_owned_by_user"),
    (3, {"from_user": "张伟", "to_user": "李娜"}, "nothing_to_reassign"),
])
def test_refused_handovers_write_nothing(runner, actor, args, code):
    before = runner.counts()
    with pytest.raises(ToolError) as err:
        runner.run(actor, "reassign_accounts", **args)
    assert err.value.code == code
    assert runner.counts() == before
    assert owners(runner, Account, 1, 12) == [1, 4]
