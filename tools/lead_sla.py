"""The first-contact SLA of assigned leads (`sla:` in the routing rules).

A lead assigned at T with `first_contact: 24h` is due for contact at T+24h (`contact_due`). Past
that, still `assigned` (nobody marked it contacted):
1. its owner is nudged (once per assignment);
2. `grace` (default 4h) after the nudge, `then: reassign` gives it to whom the rules pick with the
   current owner left out (the new owner is told and gets a fresh `contact_due`); `then:
   notify_manager` tells the owner's manager (once per assignment).
Every step is in the lead's history and in the audit log; notices go through the chat outbox.
`plan_sla` only reads; `run_sla` applies. The clock is the caller's (`now`), never the wall clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import AuditLog, Lead, LeadEvent, LeadStatus, User
from storage.repos import outbox
from tools.lead_routing import Router
from tools.lead_rules import RoutingRules
from tools.leads import lead_card, transition


@dataclass(frozen=True)
class SlaStep:
    kind: str                 # nudge | reassign | notify_manager
    lead_id: int
    company: str
    owner_id: int | None      # who holds the lead now
    notify_id: int | None     # who is told (the owner, the new owner, the manager)


def plan_sla(session: Session, rules: RoutingRules, now: datetime) -> list[SlaStep]:
    if rules.sla.first_contact is None:
        return []
    overdue = session.exec(select(Lead).where(Lead.status == LeadStatus.assigned.value,
                                              col(Lead.contact_due).is_not(None), Lead.contact_due <= now)
                           .order_by(Lead.contact_due, Lead.id)).all()
    if not overdue:
        return []
    escalated = _escalated(session, [lead.id for lead in overdue])
    users = {u.id: u for u in session.exec(select(User)).all()}
    router = Router(rules, session=session) if rules.sla.then == "reassign" else None
    steps = []
    for lead in overdue:
        if lead.nudged_at is None:
            steps.append(SlaStep("nudge", lead.id, lead.company, lead.owner_id, lead.owner_id))
        elif lead.nudged_at + rules.sla.grace <= now:
            if router is not None:
                new_owner = _reroute(router, lead)
                if new_owner is not None and new_owner != lead.owner_id:
                    steps.append(SlaStep("reassign", lead.id, lead.company, lead.owner_id, new_owner))
                    router.released(lead.owner_id)
                    router.assigned(new_owner)
                    continue
            if _escalated_since(escalated, lead):
                continue
            owner = users.get(lead.owner_id)
            manager = owner.manager_id if owner else None
            if manager is not None:
                steps.append(SlaStep("notify_manager", lead.id, lead.company, lead.owner_id, manager))
    return steps


def run_sla(session: Session, rules: RoutingRules, now: datetime) -> list[SlaStep]:
    """Apply `plan_sla`'s steps: history, audit entries and chat notices, in the caller's transaction."""
    steps = plan_sla(session, rules, now)
    for step in steps:
        lead = session.exec(select(Lead).where(Lead.id == step.lead_id).with_for_update()).one()
        before = {"status": lead.status, "owner_id": lead.owner_id}
        if step.kind == "nudge":
            lead.nudged_at = now
            session.add(lead)
            session.add(LeadEvent(lead_id=lead.id, at=now, action="nudged", owner_id=lead.owner_id,
                                  detail="first contact overdue"))
            outbox.enqueue(step.notify_id, "lead_nudge", {"lead": lead_card(lead, _zone(session, step.notify_id))},
                           session=session, now=now)
        elif step.kind == "reassign":
            transition(lead, LeadStatus.assigned.value, session=session, actor_id=None, now=now,
                       owner_id=step.notify_id, reason="first contact overdue", rules=rules)
            outbox.enqueue(step.notify_id, "lead_assigned",
                           {"lead": lead_card(lead, _zone(session, step.notify_id)), "reassigned": True},
                           session=session, now=now)
        else:
            session.add(LeadEvent(lead_id=lead.id, at=now, action="escalated", owner_id=lead.owner_id,
                                  detail="first contact overdue: manager told"))
            owner = session.get(User, lead.owner_id) if lead.owner_id else None
            outbox.enqueue(step.notify_id, "lead_overdue",
                           {"lead": lead_card(lead, _zone(session, step.notify_id)),
                            "owner": {"id": owner.id, "name": owner.name} if owner else None},
                           session=session, now=now)
        session.add(AuditLog(at=now, actor_id=None, action=f"lead_sla_{step.kind}", entity="lead",
                             entity_id=lead.id, before=before,
                             after={"status": lead.status, "owner_id": lead.owner_id, "told": step.notify_id}))
        session.flush()
    return steps


def _zone(session: Session, user_id: int | None) -> str | None:
    user = session.get(User, user_id) if user_id else None
    return user.timezone if user else None


def _reroute(router: Router, lead: Lead) -> int | None:
    """Whom the rules pick with the current owner left out."""
    return router.route(lead, exclude={lead.owner_id} if lead.owner_id else set()).owner_id


def _escalated(session: Session, lead_ids: list[int]) -> dict[int, datetime]:
    """When each lead's manager was last told."""
    return dict(session.exec(select(LeadEvent.lead_id, sa.func.max(LeadEvent.at))
                             .where(col(LeadEvent.lead_id).in_(lead_ids), LeadEvent.action == "escalated")
                             .group_by(LeadEvent.lead_id)).all())


def _escalated_since(escalated: dict[int, datetime], lead: Lead) -> bool:
    last = escalated.get(lead.id)
    return last is not None and lead.assigned_at is not None and last >= lead.assigned_at
