"""How long quotes wait for a decision: median and 90th percentile hours from request to
decision, by approver, by discount band and by the role the rules required, for quotes requested
in a period; and the quotes still waiting, oldest first."""
from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session, select

from storage.models import Quote

BANDS = ((Decimal(0), Decimal(10), "0–10%"), (Decimal(10), Decimal(20), "10–20%"), (Decimal(20), Decimal(101), "20%+"))


@dataclass(frozen=True)
class Wait:
    key: str          # an approver id (as text), a band label or a role
    count: int
    median_hours: float
    p90_hours: float


@dataclass(frozen=True)
class ApprovalTiming:
    decided: int
    median_hours: float | None
    p90_hours: float | None
    by_approver: tuple[Wait, ...]
    by_band: tuple[Wait, ...]
    by_role: tuple[Wait, ...]
    waiting: tuple[tuple[int, float], ...]   # (quote id, hours waiting so far), longest first


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def band_of(discount: Decimal) -> str:
    return next(label for low, high, label in BANDS if low <= discount < high)


def _waits(groups: dict[str, list[float]]) -> tuple[Wait, ...]:
    rows = [Wait(k, len(v), statistics.median(v), percentile(v, 0.9)) for k, v in groups.items() if v]
    return tuple(sorted(rows, key=lambda w: -w.median_hours))


def approval_timing(*, session: Session, start: datetime, end: datetime, now: datetime,
                    requester_ids: Collection[int] | None = None) -> ApprovalTiming:
    query = select(Quote).where(Quote.requested_at >= start, Quote.requested_at < end)
    if requester_ids is not None:
        query = query.where(Quote.requested_by.in_(list(requester_ids)))
    quotes = list(session.exec(query).all())
    hours, approver, band, role = [], defaultdict(list), defaultdict(list), defaultdict(list)
    waiting = []
    for q in quotes:
        if q.decided_at is None:
            if q.status == "pending":
                waiting.append((q.id, (now - q.requested_at).total_seconds() / 3600))
            continue
        h = max(0.0, (q.decided_at - q.requested_at).total_seconds() / 3600)
        hours.append(h)
        approver[str(q.approver_id)].append(h)
        band[band_of(q.discount_pct or Decimal(0))].append(h)
        role[str(q.required_role)].append(h)
    return ApprovalTiming(
        decided=len(hours),
        median_hours=statistics.median(hours) if hours else None,
        p90_hours=percentile(hours, 0.9) if hours else None,
        by_approver=_waits(approver), by_band=_waits(band), by_role=_waits(role),
        waiting=tuple(sorted(waiting, key=lambda w: -w[1])))
