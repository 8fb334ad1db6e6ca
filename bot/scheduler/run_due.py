"""Everything the scheduler would do at one moment, once: for cron deployments (a crontab line
instead of a long-running scheduler) and for tests.

`due_now` lists, without writing, the reminders, jobs (briefs, nudges, digests, reports) and lead
SLA steps due at `now` for users reachable on `platforms`, and the chat notices waiting;
`run_due` does one scheduler tick at `now` (lead SLA steps, notices, reminders, jobs), each job
at most once however often it is called (the job keys and reminder states the scheduler keeps).
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from bot.adapters import Outbox
from bot.app import App
from bot.scheduler import queue
from bot.scheduler.jobs import Job, plan
from bot.scheduler.lead_sla import lead_sla_step
from bot.scheduler.runner import Scheduler, TickReport
from storage.models import ChatIdentity, OutboxMessage, Reminder, ReminderStatus, User
from tools.lead_sla import SlaStep


@dataclass
class Due:
    reminders: list[dict] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    lead_sla: list[SlaStep] = field(default_factory=list)
    notices: int = 0

    def as_json(self) -> dict:
        return {"reminders": self.reminders,
                "jobs": [{"key": j.key, "kind": j.kind, "user_id": j.user_id} for j in self.jobs],
                "lead_sla": [{"kind": s.kind, "lead_id": s.lead_id, "company": s.company, "owner_id": s.owner_id,
                              "notify_id": s.notify_id} for s in self.lead_sla],
                "notices": self.notices}


def due_now(app: App, platforms: Collection[str] | None, now: datetime) -> Due:
    """What is due at `now` for users linked on `platforms` (None: on any platform)."""
    due = Due(lead_sla=lead_sla_step(app, now, dry_run=True))
    with Session(app.db) as session:
        reachable = select(ChatIdentity.user_id)
        if platforms is not None:
            reachable = reachable.where(col(ChatIdentity.platform).in_(list(platforms) or [""]))
        users = list(session.exec(select(User).where(User.active.is_(True), col(User.id).in_(reachable))
                                  .order_by(User.id)).all())
        jobs = plan(session, users, now, app.settings)
        for r in session.exec(select(Reminder).where(Reminder.status == ReminderStatus.pending.value,
                                                     Reminder.due_at <= now).order_by(Reminder.due_at)).all():
            if r.user_id in {u.id for u in users}:
                due.reminders.append({"id": r.id, "user_id": r.user_id, "text": r.text, "due_at": r.due_at.isoformat()})
        due.notices = len(session.exec(select(OutboxMessage.id).where(OutboxMessage.status == "pending")).all())
    done = queue.known_keys(app.db, [j.key for j in jobs], now=now, lease=Scheduler(app, Outbox(), platforms=()).lease)
    due.jobs = [j for j in jobs if j.key not in done]
    return due


async def run_due(app: App, outbox: Outbox, platforms: Collection[str]) -> TickReport:
    """One tick at `app.clock()` through `outbox`'s adapters."""
    return await Scheduler(app, outbox, platforms=platforms).tick()
