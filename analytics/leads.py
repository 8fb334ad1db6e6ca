"""Lead analytics: how many leads came in, how many were contacted and converted to deals, and how
fast the first contact came, by source and by rep.

A lead counts in a period when it was created in it. `converted` is its conversion to a deal
(whenever it happened, so a quarter's leads keep converting after the quarter); `first contact
hours` is from its assignment (its creation when it was never assigned) to the first time it was
marked contacted, median over the leads contacted. A lead that came from several channels counts
under its first source; the rep is its owner now.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Lead, LeadEvent, User


@dataclass(frozen=True)
class LeadRow:
    key: str                     # the source, or the rep's name
    leads: int
    contacted: int
    converted: int
    disqualified: int
    first_contact_hours: float | None  # median

    @property
    def conversion(self) -> float | None:
        return self.converted / self.leads if self.leads else None


@dataclass(frozen=True)
class LeadFunnel:
    total: LeadRow
    by_source: list[LeadRow]
    by_rep: list[LeadRow]

    def as_json(self) -> dict:
        def row(r: LeadRow) -> dict:
            return {"key": r.key, "leads": r.leads, "contacted": r.contacted, "converted": r.converted,
                    "disqualified": r.disqualified, "conversion": None if r.conversion is None else round(r.conversion, 4),
                    "first_contact_hours": None if r.first_contact_hours is None else round(r.first_contact_hours, 1)}
        return {"total": row(self.total), "by_source": [row(r) for r in self.by_source],
                "by_rep": [row(r) for r in self.by_rep]}


def lead_funnel(*, session: Session, start: datetime, end: datetime, unknown: str = "—") -> LeadFunnel:
    leads = list(session.exec(select(Lead).where(Lead.created_at >= start, Lead.created_at < end)).all())
    ids = [lead.id for lead in leads]
    first_contact: dict[int, datetime] = {}
    for i in range(0, len(ids), 500):
        for lead_id, at in session.exec(select(LeadEvent.lead_id, LeadEvent.at).where(
                col(LeadEvent.lead_id).in_(ids[i:i + 500]), LeadEvent.to_status == "contacted")
                .order_by(LeadEvent.at)).all():
            first_contact.setdefault(lead_id, at)
    names = dict(session.exec(select(User.id, User.name)).all())
    by_source: dict[str, list[Lead]] = defaultdict(list)
    by_rep: dict[str, list[Lead]] = defaultdict(list)
    for lead in leads:
        by_source[(lead.sources or [lead.source or unknown])[0] or unknown].append(lead)
        by_rep[names.get(lead.owner_id, unknown) if lead.owner_id else unknown].append(lead)

    def row(key: str, group: list[Lead]) -> LeadRow:
        hours = [(first_contact[lead.id] - (lead.assigned_at or lead.created_at)).total_seconds() / 3600
                 for lead in group if lead.id in first_contact]
        contacted = sum(1 for lead in group if lead.id in first_contact or lead.status in ("contacted", "qualified", "converted"))
        return LeadRow(key, len(group), contacted, sum(1 for lead in group if lead.status == "converted"),
                       sum(1 for lead in group if lead.status == "disqualified"),
                       statistics.median([max(h, 0.0) for h in hours]) if hours else None)

    order = lambda rows: sorted(rows, key=lambda r: (-r.leads, r.key))  # noqa: E731
    return LeadFunnel(row("all", leads), order([row(k, g) for k, g in by_source.items()]),
                      order([row(k, g) for k, g in by_rep.items()]))
