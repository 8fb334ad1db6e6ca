"""The lead first-contact SLA with an injected clock: the rep is nudged once at the due time, then
after the grace the lead is reassigned (or the manager told, once), each step in the lead's
history and the audit log, the notices delivered through the adapters with their buttons; and
`salesbot jobs run-due` lists and runs the same once."""
from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.adapters import Outbox
from bot.cli import main
from bot.scheduler.run_due import due_now, run_due
from storage.db import session_scope
from storage.models import AuditLog, Lead, LeadEvent
from tests.bot.conftest import message
from tests.bot.scheduler.conftest import add_reminder, quiet_everyone_off, tick
from tools.lead_rules import parse_rules
from tools.leads import intake

RULES = "sla: {first_contact: 24h, then: %s, grace: 4h}\nrules:\n  - assign: {team: 张伟, strategy: round_robin}\n"


@pytest.fixture
def rules_file(tmp_path, app):
    def write(then: str) -> Path:
        path = tmp_path / "routing.yaml"
        path.write_text(RULES % then, encoding="utf-8")
        app.settings.routing_rules = str(path)
        return path
    return write


def _lead(app, clock, then: str) -> int:
    with session_scope(app.db) as session:
        result = intake([(2, {"company": "远航物流", "contact": "刘经理", "source": "展会"})], session=session,
                        rules=parse_rules(RULES % then), now=clock(), actor_id=None)
        return result.leads[0][0].id


def _get(app, lead_id: int) -> Lead:
    with Session(app.db) as session:
        return session.get(Lead, lead_id)


def _actions(app, lead_id: int) -> list[str]:
    with Session(app.db) as session:
        return [e.action for e in session.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id)
                                               .order_by(LeadEvent.id)).all()]


def test_nudge_then_reassign(app, scheduler, adapter, clock, rules_file):
    quiet_everyone_off(app.db)
    rules_file("reassign")
    lead_id = _lead(app, clock, "reassign")
    assert _get(app, lead_id).owner_id == 1
    tick(scheduler)  # the assignment notice, with its buttons
    [assigned] = [r for r in adapter.to("chat1") if "远航物流" in r.text]
    assert [c.id for c in assigned.choices] == [f"l:{lead_id}:accept", f"l:{lead_id}:contacted", f"l:{lead_id}:notfit"]
    clock.advance(hours=23, minutes=59)
    assert tick(scheduler).lead_sla_steps == 0
    clock.advance(minutes=1)
    assert tick(scheduler).lead_sla_steps == 1
    nudges = [r for r in adapter.to("chat1") if "首次联系时限" in r.text]
    assert len(nudges) == 1 and nudges[0].choices
    clock.advance(hours=3)
    assert tick(scheduler).lead_sla_steps == 0  # nudged once; the grace is not over
    clock.advance(hours=1)
    assert tick(scheduler).lead_sla_steps == 1
    lead = _get(app, lead_id)
    assert lead.owner_id == 2 and lead.status == "assigned" and lead.nudged_at is None
    assert lead.contact_due == clock() + timedelta(hours=24)
    assert any("超时未联系的线索转给你" in r.text for r in adapter.to("chat2"))
    assert _actions(app, lead_id) == ["created", "assigned", "nudged", "reassigned"]
    with Session(app.db) as session:
        audits = [a.action for a in session.exec(select(AuditLog).where(AuditLog.entity == "lead")).all()]
    assert audits == ["lead_sla_nudge", "lead_sla_reassign"]


def test_contacted_in_time_stops_the_clock(app, scheduler, loop, clock, rules_file):
    quiet_everyone_off(app.db)
    rules_file("reassign")
    lead_id = _lead(app, clock, "reassign")
    replies = loop.handle_sync(message(1, choice=f"l:{lead_id}:contacted")).replies
    assert any("已联系" in r.text for r in replies)
    clock.advance(days=3)
    assert tick(scheduler).lead_sla_steps == 0
    assert _get(app, lead_id).status == "contacted"


def test_notify_manager_once(app, scheduler, adapter, clock, rules_file):
    quiet_everyone_off(app.db)
    rules_file("notify_manager")
    lead_id = _lead(app, clock, "notify_manager")
    clock.advance(hours=24)
    tick(scheduler)
    clock.advance(hours=4)
    assert tick(scheduler).lead_sla_steps == 1
    clock.advance(hours=10)
    assert tick(scheduler).lead_sla_steps == 0
    told = [r for r in adapter.to("chat3") if "超时未联系" in r.text]
    assert len(told) == 1 and "王磊" in told[0].text
    assert _get(app, lead_id).owner_id == 1
    assert _actions(app, lead_id)[-2:] == ["nudged", "escalated"]


def test_buttons_accept_and_not_a_fit(app, loop, clock, rules_file):
    rules_file("reassign")
    first = _lead(app, clock, "reassign")
    replies = loop.handle_sync(message(1, choice=f"l:{first}:accept")).replies
    assert any("已接受" in r.text for r in replies)
    replies = loop.handle_sync(message(2, choice=f"l:{first}:notfit")).replies  # 李娜 does not hold it
    assert any("王磊" in r.text for r in replies) and _get(app, first).status == "assigned"
    replies = loop.handle_sync(message(1, choice=f"l:{first}:notfit")).replies
    lead = _get(app, first)
    assert lead.status == "disqualified" and lead.disqualified_reason == "不合适"
    assert _actions(app, first)[-2:] == ["accepted", "disqualified"]


def test_run_due_lists_then_runs_once(app, adapter, clock, rules_file):
    quiet_everyone_off(app.db)
    rules_file("reassign")
    lead_id = _lead(app, clock, "reassign")
    reminder_id = add_reminder(app.db, 2, clock() + timedelta(hours=2), text="回访金桥")
    clock.advance(hours=25)
    due = due_now(app, ["test"], clock())
    assert [(s.kind, s.lead_id) for s in due.lead_sla] == [("nudge", lead_id)] and due.notices == 1
    assert [r["id"] for r in due.reminders] == [reminder_id]
    assert _get(app, lead_id).nudged_at is None  # listing writes nothing
    outbox = Outbox()
    outbox.register(adapter)
    first = asyncio.run(run_due(app, outbox, ["test"]))
    again = asyncio.run(run_due(app, outbox, ["test"]))
    assert first.lead_sla_steps == 1 and again.lead_sla_steps == 0
    assert first.reminders_sent == 1 and [r.text for r in adapter.to("chat2") if "回访金桥" in r.text]
    assert again.jobs_sent == 0 and again.notices_sent == 0 and again.reminders_sent == 0


def test_run_due_cli(app, clock, rules_file, monkeypatch, capsys):
    path = rules_file("reassign")
    monkeypatch.setenv("DATABASE_URL", str(app.db.url))
    monkeypatch.setenv("ROUTING_RULES", str(path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    lead_id = _lead(app, clock, "reassign")
    at = (clock() + timedelta(hours=30)).isoformat()
    assert main(["jobs", "run-due", "--at", at, "--dry-run", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["lead_sla"] == [{"kind": "nudge", "lead_id": lead_id, "company": "远航物流", "owner_id": 1,
                                   "notify_id": 1}]
    assert main(["jobs", "run-due", "--at", at, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lead_sla_steps"] == 1
    assert main(["jobs", "run-due", "--at", at, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["lead_sla_steps"] == 0
    assert main(["jobs", "run-due", "--at", "tomorrow"]) == 2
