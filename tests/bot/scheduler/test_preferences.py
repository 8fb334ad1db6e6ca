"""Quiet hours hold messages back until they end; each kind can be switched off from chat, with
the 🔕 button, or from the command line."""
from __future__ import annotations

from datetime import time

import pytest
from sqlmodel import Session, select

from bot.loop import ConversationLoop
from bot.scheduler.prefs import PreferenceError, QuietHours, parse_quiet, updated
from storage.models import AuditLog, JobRun, ReminderStatus, User
from tests.bot.conftest import message
from tests.bot.scheduler.conftest import SHANGHAI, add_reminder, local, reminder, set_prefs, tick


def digests(adapter, chat: str) -> list:
    return [r for r in adapter.to(chat) if "团队周报" in r.text or "Team week" in r.text]


def test_a_reminder_set_for_a_quiet_hour_goes_out_at_that_hour(app, clock, scheduler, adapter):
    set_prefs(app.db, 1, {"quiet_hours": "22:00-08:00"})
    rid = add_reminder(app.db, 1, local("2026-11-25", "23:00"), "看合同")
    clock.current = local("2026-11-25", "23:00")
    tick(scheduler)
    assert adapter.reminder_ids() == [rid]


def test_quiet_hours_hold_a_late_reminder_until_they_end(app, clock, scheduler, adapter):
    set_prefs(app.db, 1, {"quiet_hours": "22:00-08:00"})
    rid = add_reminder(app.db, 1, local("2026-11-25", "23:00"), "看合同")
    clock.current = local("2026-11-26", "01:30")  # the bot was down when it fell due
    tick(scheduler)
    assert rid not in adapter.reminder_ids()
    row = reminder(app.db, rid)
    assert row.status == ReminderStatus.pending and row.not_before == local("2026-11-26", "08:00")
    assert row.due_at == local("2026-11-25", "23:00")  # what was asked stays on record
    clock.current = local("2026-11-26", "07:59")
    tick(scheduler)
    assert rid not in adapter.reminder_ids()
    clock.current = local("2026-11-26", "08:00")
    tick(scheduler)
    assert adapter.reminder_ids() == [rid]


def test_quiet_hours_are_the_users_own_local_time(app, clock, scheduler, adapter):
    with Session(app.db) as session:
        alice = session.get(User, 4)
        alice.timezone, alice.preferences = "America/New_York", {"quiet_hours": "22:00-07:00"}
        session.add(alice)
        session.commit()
    rid = add_reminder(app.db, 4, local("2026-11-25", "10:00"), "call Rachel")  # 21:00 in New York
    tick(scheduler)
    assert adapter.reminder_ids() == [rid]
    late = add_reminder(app.db, 4, local("2026-11-25", "11:30"), "send deck",
                        kind="next_step")  # 22:30 in New York, generated rather than asked for
    clock.current = local("2026-11-25", "11:30")
    tick(scheduler)
    assert late not in adapter.reminder_ids()
    assert reminder(app.db, late).not_before.astimezone(SHANGHAI) == local("2026-11-25", "20:00")  # 07:00 NY


def test_no_digest_during_quiet_hours_then_at_their_end(app, clock, scheduler, adapter):
    set_prefs(app.db, 3, {"quiet_hours": "20:00-10:30"})
    tick(scheduler)  # Wednesday 10:00: last week's digest is due but 张伟 is in quiet hours
    assert digests(adapter, "chat3") == [] and len(digests(adapter, "chat5")) == 1
    clock.advance(minutes=30)
    tick(scheduler)
    assert len(digests(adapter, "chat3")) == 1


def test_a_switched_off_kind_is_not_sent(app, clock, scheduler, adapter):
    set_prefs(app.db, 3, {"off": ["weekly_digest"]})
    tick(scheduler)
    assert digests(adapter, "chat3") == [] and len(digests(adapter, "chat5")) == 1
    with Session(app.db) as session:
        keys = set(session.exec(select(JobRun.key)).all())
    assert not any(k.startswith("weekly_digest:3:") for k in keys)


def test_the_off_button_under_a_digest_switches_it_off(app, clock, scheduler, adapter):
    tick(scheduler)
    [_, trend] = digests(adapter, "chat3") + [r for r in adapter.to("chat3") if r.text.startswith("📈")]
    off = trend.choices[-1]
    assert off.id == "p:3:off_digest"
    loop = ConversationLoop(app)
    stranger = loop.handle_sync(message(5, choice=off.id))
    assert "过期" in stranger.replies[0].text or "expired" in stranger.replies[0].text
    answer = loop.handle_sync(message(3, choice=off.id))
    assert "已关闭「团队周报」" in answer.replies[0].text
    with Session(app.db) as session:
        assert session.get(User, 3).preferences["off"] == ["weekly_digest"]
        assert session.get(User, 5).preferences.get("off") in (None, [])
        audit = session.exec(select(AuditLog).where(AuditLog.action == "preferences")).one()
        assert (audit.actor_id, audit.entity_id, audit.after["off"]) == (3, 3, ["weekly_digest"])
    clock.advance(days=7)
    tick(scheduler)
    assert len(digests(adapter, "chat3")) == 1


def test_notify_in_chat(app, clock):
    loop = ConversationLoop(app)
    shown = loop.handle_sync(message(1, "/notify")).replies[0].text
    assert "免打扰：22:00-08:00" in shown and "早报时间：08:30" in shown
    loop.handle_sync(message(1, "/notify off brief stale"))
    loop.handle_sync(message(1, "/notify quiet 23:00-07:30"))
    loop.handle_sync(message(1, "/notify on stale"))
    bad = loop.handle_sync(message(1, "/notify quiet 25:00-07:00")).replies[0].text
    assert "没看懂这个设置" in bad
    with Session(app.db) as session:
        prefs = session.get(User, 1).preferences
    assert prefs["off"] == ["morning_brief"] and prefs["quiet_hours"] == "23:00-07:30"


def test_users_prefs_on_the_command_line(app, monkeypatch, capsys):
    from bot.cli import main

    if app.db.dialect.name != "sqlite":
        pytest.skip("the command line reads DATABASE_URL; the SQLite run covers it")
    monkeypatch.setenv("DATABASE_URL", app.db.url.render_as_string(hide_password=False))
    assert main(["users", "prefs", "3", "--off", "weekly_digest", "data_star", "--quiet", "off"]) == 0
    assert main(["users", "prefs", "3", "--on", "data_star", "--brief-at", "7:45"]) == 0
    with Session(app.db) as session:
        assert session.get(User, 3).preferences == {"off": ["weekly_digest"], "quiet_hours": "off", "brief_at": "07:45"}
    assert main(["users", "prefs", "3", "--off", "newsletter"]) == 2
    assert "unknown message kind 'newsletter'" in capsys.readouterr().err


def test_quiet_hours_arithmetic():
    overnight = parse_quiet("22:00-08:00")
    assert overnight == QuietHours(time(22), time(8))
    assert overnight.contains(time(23, 59)) and overnight.contains(time(7, 59)) and not overnight.contains(time(8))
    assert overnight.held_until(local("2026-11-25", "22:30"), SHANGHAI) == local("2026-11-26", "08:00")
    assert overnight.held_until(local("2026-11-26", "03:00"), SHANGHAI) == local("2026-11-26", "08:00")
    assert overnight.held_until(local("2026-11-26", "12:00"), SHANGHAI) is None
    lunch = parse_quiet("12:00–13:30")
    assert lunch.held_until(local("2026-11-26", "12:10"), SHANGHAI) == local("2026-11-26", "13:30")
    assert parse_quiet("off") is None
    for bad in ("22:00", "8-9", "22:00-22:00"):
        with pytest.raises(PreferenceError):
            parse_quiet(bad)
    user = User(name="x", preferences={"off": ["weekly_digest"]})
    assert updated(user, off=("digest", "brief"), on=("weekly_digest",))["off"] == ["morning_brief"]
