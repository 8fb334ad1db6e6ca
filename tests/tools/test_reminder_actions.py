"""Completing, deleting and moving a reminder named by its words, customer, day or time."""
from __future__ import annotations

from datetime import datetime

import pytest

from storage.models import AuditLog, Reminder
from tests.conftest import SHANGHAI


@pytest.fixture
def reminders(runner) -> dict[str, int]:
    """王磊's reminders (now: Wed 2026-11-25 10:00) and one of 李娜's."""
    made = {}
    for key, user, args in [
        ("call", 1, {"due_at": "2026-11-27T15:00", "text": "给王总回电话", "account": "北辰"}),
        ("plan", 1, {"due_at": "2026-12-31T09:00", "text": "发扩容方案", "account": "蓝鲸"}),
        ("dana", 1, {"due_at": "2026-11-25T15:00", "text": "call Dana about the renewal"}),
        ("report", 1, {"due_at": "2026-11-26T15:00", "text": "整理周报"}),
        ("other", 2, {"due_at": "2026-11-27T15:00", "text": "给王总回电话", "account": "金桥"}),
    ]:
        made[key] = runner.run(user, "create_reminder", **args).data["reminder_id"]
    return made


def row(runner, reminder_id: int) -> Reminder:
    return runner.all(Reminder, Reminder.id == reminder_id)[0]


@pytest.mark.parametrize("args", [
    {"text": "给北辰王总回电话", "account": "北辰汽车"},
    {"text": "王总回电话"},
    {"account": "北辰"},
    {"text": "回电话", "due_on": "2026-11-27"},
])
def test_complete_by_words_customer_or_day(runner, reminders, args):
    result = runner.run(1, "complete_reminder", **args)
    assert result.data["reminder_id"] == reminders["call"]
    assert row(runner, reminders["call"]).status == "done"
    assert row(runner, reminders["other"]).status == "pending"  # 李娜's reminder with the same words
    audit = runner.audits(AuditLog.entity == "reminder", AuditLog.entity_id == reminders["call"])[-1]
    assert (audit.action, audit.before, audit.after) == ("complete", {"status": "pending"}, {"status": "done"})


@pytest.mark.parametrize("args", [{"due_on": "2026-12-31"}, {"text": "扩容方案"}, {"account": "Bluewhale"}])
def test_delete(runner, reminders, args):
    result = runner.run(1, "delete_reminder", **args)
    assert result.data["reminder_id"] == reminders["plan"]
    assert row(runner, reminders["plan"]).status == "cancelled"


@pytest.mark.parametrize("args, due", [
    ({"due_time": "15:00", "due_on": "2026-11-25", "new_day": "2026-11-26"}, datetime(2026, 11, 26, 15, 0)),
    ({"text": "Dana", "new_time": "17:30"}, datetime(2026, 11, 25, 17, 30)),
    ({"text": "call dana", "new_day": "2026-11-30", "new_time": "10:00"}, datetime(2026, 11, 30, 10, 0)),
])
def test_move_keeps_what_is_not_said(runner, reminders, args, due):
    result = runner.run(1, "move_reminder", **args)
    moved = row(runner, reminders["dana"])
    assert moved.due_at.astimezone(SHANGHAI).replace(tzinfo=None) == due
    assert moved.status == "pending"
    assert result.data["moved_from"].startswith("2026-11-25T15:00")


def test_a_vague_reference_asks_which(runner, reminders):
    assert runner.outcome(1, "complete_reminder", due_time="15:00") == "ambiguous_reminder"
    assert runner.outcome(1, "complete_reminder") == "ambiguous_reminder"


def test_refusals(runner, reminders):
    assert runner.outcome(1, "complete_reminder", text="去火星出差") == "reminder_not_found"
    assert runner.outcome(1, "complete_reminder", reminder_id=reminders["other"]) == "reminder_not_found"
    assert runner.outcome(3, "delete_reminder", text="给王总回电话") == "reminder_not_found"  # a manager's own only
    assert runner.outcome(1, "move_reminder", text="Dana", new_time="08:00") == "reminder_in_past"
    runner.run(1, "complete_reminder", text="整理周报")
    assert runner.outcome(1, "complete_reminder", text="整理周报") == "reminder_not_found"  # done already
