"""Due reminders leave once, with Done / Snooze 1h / Tomorrow, and the presses work."""
from __future__ import annotations

from datetime import timedelta

from bot.loop import ConversationLoop
from storage.models import ReminderStatus
from tests.bot.conftest import message
from tests.bot.scheduler.conftest import add_reminder, local, reminder, tick


def test_a_reminder_goes_out_when_due_and_only_once(app, clock, scheduler, adapter):
    rid = add_reminder(app.db, 1, local("2026-11-25", "11:00"), "给青松回电话", account_id=3)
    tick(scheduler)
    assert rid not in adapter.reminder_ids()
    clock.advance(minutes=59)
    tick(scheduler)
    assert rid not in adapter.reminder_ids()
    clock.advance(minutes=1)
    tick(scheduler)
    tick(scheduler)
    assert adapter.reminder_ids().count(rid) == 1
    [reply] = [r for r in adapter.to("chat1") if r.choices and r.choices[0].id == f"r:{rid}:done"]
    assert [c.id for c in reply.choices] == [f"r:{rid}:done", f"r:{rid}:snooze1h", f"r:{rid}:tomorrow"]
    assert "给青松回电话" in reply.text and "原定" not in reply.text
    row = reminder(app.db, rid)
    assert row.status == ReminderStatus.sent and row.delivered_at == clock() and row.claimed_by == "w1"


def test_what_fell_due_while_the_bot_was_down_goes_out_on_start(app, clock, make_scheduler, adapter):
    yesterday = add_reminder(app.db, 2, local("2026-11-24", "15:00"), "发合同")
    this_morning = add_reminder(app.db, 4, local("2026-11-25", "08:00"), "call Rachel")
    later = add_reminder(app.db, 4, local("2026-11-25", "18:00"), "send deck")
    tick(make_scheduler("fresh-start"))
    assert sorted(adapter.reminder_ids()) == sorted([yesterday, this_morning])
    late = next(r for r in adapter.to("chat2") if r.choices and r.choices[0].id == f"r:{yesterday}:done")
    assert "原定 11-24 15:00" in late.text
    english = next(r for r in adapter.to("chat4") if r.choices and r.choices[0].id == f"r:{this_morning}:done")
    assert "was due 11-25 08:00" in english.text and english.choices[1].label == "⏰ Snooze 1h"
    assert reminder(app.db, later).status == ReminderStatus.pending


def test_done_snooze_and_tomorrow_from_the_delivered_message(app, clock, scheduler, adapter):
    loop = ConversationLoop(app)
    first = add_reminder(app.db, 1, local("2026-11-25", "10:00"), "一")
    second = add_reminder(app.db, 1, local("2026-11-25", "10:00"), "二")
    third = add_reminder(app.db, 1, local("2026-11-25", "10:00"), "三")
    tick(scheduler)
    assert sorted(adapter.reminder_ids()) == [first, second, third]

    loop.handle_sync(message(1, choice=f"r:{first}:done"))
    loop.handle_sync(message(1, choice=f"r:{second}:snooze1h"))
    loop.handle_sync(message(1, choice=f"r:{third}:tomorrow"))
    assert reminder(app.db, first).status == ReminderStatus.done
    assert reminder(app.db, second).due_at == clock() + timedelta(hours=1)
    assert reminder(app.db, third).due_at == local("2026-11-26", "09:00")

    clock.advance(hours=1)
    tick(scheduler)
    assert adapter.reminder_ids().count(second) == 2 and adapter.reminder_ids().count(third) == 1
    clock.current = local("2026-11-26", "09:00")
    tick(scheduler)
    assert adapter.reminder_ids().count(third) == 2 and adapter.reminder_ids().count(first) == 1


def test_a_failed_send_is_retried_with_back_off(app, clock, scheduler, adapter):
    rid = add_reminder(app.db, 1, local("2026-11-25", "10:00"))
    adapter.fail = True
    report = tick(scheduler)
    assert report.reminders_failed == 1
    row = reminder(app.db, rid)
    assert (row.status, row.attempts, row.not_before) == (ReminderStatus.pending, 1, clock() + timedelta(minutes=1))
    clock.advance(minutes=1)
    tick(scheduler)
    assert reminder(app.db, rid).not_before == clock() + timedelta(minutes=2)  # doubles each time
    adapter.fail = False
    clock.advance(minutes=1)
    tick(scheduler)
    assert rid not in adapter.reminder_ids()
    clock.advance(minutes=1)
    tick(scheduler)
    assert adapter.reminder_ids() == [rid]


def test_reminders_of_users_not_reachable_here_stay_pending(app, clock, scheduler, adapter):
    unlinked = add_reminder(app.db, 6, local("2026-11-25", "09:00"))  # 刘洋 has no chat on "test"
    tick(scheduler)
    row = reminder(app.db, unlinked)
    assert unlinked not in adapter.reminder_ids() and row.status == ReminderStatus.pending and row.attempts == 0
