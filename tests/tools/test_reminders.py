from datetime import datetime, timedelta, timezone

import pytest

from storage.models import Reminder, ReminderStatus, User
from tools.base import ToolError

UTC = timezone.utc


def test_local_due_time_is_stored_as_utc_with_the_users_zone(runner, clock):
    result = runner.run(1, "create_reminder", due_at="2026-11-26T15:00", text="给李总回电话", account="蓝鲸")
    row = runner.all(Reminder, Reminder.id == result.data["reminder_id"])[0]
    assert row.due_at == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
    assert (row.user_id, row.account_id, row.timezone, row.status) == (1, 1, "Asia/Shanghai", "pending")
    assert (row.text, row.created_at) == ("给李总回电话", clock())
    assert result.data["due_at"] == "2026-11-26T15:00+08:00"
    assert result.data["account"] == {"id": 1, "name": "蓝鲸数据"}


def test_wall_clock_follows_the_users_own_timezone(runner):
    with runner.session() as session:
        session.get(User, 4).timezone = "America/Los_Angeles"
    result = runner.run(4, "create_reminder", due_at="2026-11-26T09:00", text="Call Ken")
    row = runner.all(Reminder, Reminder.id == result.data["reminder_id"])[0]
    assert row.due_at == datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    assert row.timezone == "America/Los_Angeles" and row.account_id is None


@pytest.mark.parametrize("args, code", [
    ({"due_at": "2026-11-25T09:59", "text": "晚了"}, "reminder_in_past"),
    ({"due_at": "2026-11-20T09:00", "text": "上周的"}, "reminder_in_past"),
    ({"due_at": "2026-11-26T09:00", "text": "x", "account": "Acme"}, "unknown_account"),
    ({"due_at": "2026-11-26T09:00", "text": "x", "account": "金桥物流"}, "not_your_account"),
    ({"due_at": "2026-11-26T09:00", "text": "x", "account": "不存在的公司"}, "unknown_account"),
])
def test_refused_reminders_write_nothing(runner, args, code):
    before = runner.counts()
    with pytest.raises(ToolError) as err:
        runner.run(1, "create_reminder", **args)
    assert err.value.code == code
    assert runner.counts() == before


def add_reminder(runner, user_id: int, due: datetime, text: str, status=ReminderStatus.pending) -> None:
    with runner.session() as session:
        session.add(Reminder(user_id=user_id, text=text, due_at=due, status=status, created_at=due))


def test_list_shows_only_my_pending_reminders_soonest_first(runner, clock):
    now = clock()
    add_reminder(runner, 1, now + timedelta(days=8), "下周二")
    add_reminder(runner, 1, now + timedelta(hours=2), "今天中午")
    add_reminder(runner, 1, now - timedelta(days=1), "昨天忘了的")
    add_reminder(runner, 1, now + timedelta(hours=3), "已完成", status=ReminderStatus.done)
    add_reminder(runner, 2, now + timedelta(hours=1), "别人的")

    everything = runner.run(1, "list_reminders").data
    assert [r["text"] for r in everything["reminders"]] == ["昨天忘了的", "今天中午", "下周二"]
    assert [r["overdue"] for r in everything["reminders"]] == [True, False, False]
    assert everything["reminders"][1]["due_at"] == "2026-11-25T12:00+08:00"

    today = runner.run(1, "list_reminders", period="today").data
    assert [r["text"] for r in today["reminders"]] == ["今天中午"]
    assert today["range"] == {"start": "2026-11-25", "end": "2026-11-25"}
    next_week = runner.run(1, "list_reminders", period="next_week").data
    assert [r["text"] for r in next_week["reminders"]] == ["下周二"]
