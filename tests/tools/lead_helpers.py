"""Running lead intake against a test database."""
from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from storage.db import session_scope
from storage.models import Lead, LeadEvent
from tests.conftest import NOW
from tools.lead_rules import parse_rules
from tools.leads import intake

CATCH_ALL = "rules:\n  - assign: {team: 张伟, strategy: least_loaded}\n"


def run_intake(engine, rows: list[dict[str, Any]], rules_text: str = CATCH_ALL, *, now=NOW, actor_id=None):
    rules = parse_rules(rules_text)
    with session_scope(engine) as session:
        return intake(list(enumerate(rows, start=2)), session=session, rules=rules, now=now, actor_id=actor_id)


def leads(engine) -> list[Lead]:
    with Session(engine) as session:
        return list(session.exec(select(Lead).order_by(Lead.id)).all())


def history(engine, lead_id: int) -> list[LeadEvent]:
    with Session(engine) as session:
        return list(session.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id).order_by(LeadEvent.id)).all())
