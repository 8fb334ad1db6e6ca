"""The scheduler's lead SLA step: nudges, reassignments and manager notices for leads whose first
contact is overdue (`tools.lead_sla`), in one transaction; the notices leave through the chat
outbox on the same tick. Without a rules file (leads not used) the step does nothing; an invalid
one is logged and skipped, the rest of the tick runs."""
from __future__ import annotations

import logging
from datetime import datetime

from bot.app import App
from storage.db import session_scope
from tools.lead_rules import RulesError, load_rules
from tools.lead_sla import SlaStep, plan_sla, run_sla

log = logging.getLogger("salesbot.scheduler")


def lead_sla_step(app: App, now: datetime, *, dry_run: bool = False) -> list[SlaStep]:
    try:
        rules = load_rules(app.settings.routing_rules)
    except RulesError as exc:
        if any(line for line, _ in exc.problems) or "no such file" not in str(exc):
            log.warning("lead SLA skipped: the routing rules are not valid", extra={"problems": str(exc)})
        return []
    with session_scope(app.db) as session:
        if dry_run:
            steps = plan_sla(session, rules, now)
            session.rollback()
            return steps
        steps = run_sla(session, rules, now)
    if steps:
        log.info("lead SLA", extra={"steps": len(steps), "kinds": sorted({s.kind for s in steps})})
    return steps
