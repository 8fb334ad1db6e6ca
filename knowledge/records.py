"""What the index knows about a deal, read from storage in bulk.

`DealRecord` is a plain snapshot (no ORM rows travel further), so documents can be built the same
way from the database (`load_deals`) and from synthetic data (the benchmark).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from storage.models import Account, Opportunity, Stage, StageChange, Visit

OPEN_PATH = (Stage.prospect, Stage.evaluation, Stage.negotiation)


@dataclass(frozen=True)
class VisitRecord:
    id: int
    occurred_on: date
    channel: str | None
    summary: str
    next_step: str | None
    objections: tuple[str, ...] = ()


@dataclass(frozen=True)
class DealRecord:
    id: int
    name: str
    account_id: int
    account: str
    industry: str | None
    region: str | None
    stage: Stage
    amount: Decimal | None
    currency: str
    competitor: str | None
    lost_reason: str | None
    closed_on: date | None
    history: tuple[tuple[Stage, date], ...]  # (stage entered, on), oldest first
    visits: tuple[VisitRecord, ...] = field(default=())  # oldest first

    @property
    def outcome(self) -> str:
        """won, lost or open."""
        return self.stage.value if self.stage.is_closed else "open"

    @property
    def objections(self) -> tuple[str, ...]:
        """Objection keys raised on any visit, first raised first."""
        seen: dict[str, None] = {}
        for visit in self.visits:
            for key in visit.objections:
                seen.setdefault(key, None)
        return tuple(seen)

    def reached(self, stage: Stage) -> bool:
        return any(s == stage for s, _ in self.history) or self.stage == stage

    def entered(self, stage: Stage) -> date | None:
        return next((on for s, on in self.history if s == stage), None)

    def left(self, stage: Stage) -> tuple[Stage, date] | None:
        """The stage that followed `stage` and the day the deal moved there."""
        for (s, _), nxt in zip(self.history, self.history[1:]):
            if s == stage:
                return nxt
        return None

    def stage_on(self, day: date) -> Stage:
        current = self.history[0][0] if self.history else self.stage
        for stage, on in self.history:
            if on <= day:
                current = stage
        return current

    @property
    def text(self) -> str:
        return " ".join(v.summary for v in self.visits)


def load_deals(*, session: Session, deal_ids: Collection[int] | None = None) -> list[DealRecord]:
    """Snapshots of the deals (all of them when `deal_ids` is None), ordered by id.

    Deals of accounts merged into another one are read under the surviving account's name."""
    query = select(Opportunity)
    if deal_ids is not None:
        if not deal_ids:
            return []
        query = query.where(col(Opportunity.id).in_(list(deal_ids)))
    deals = list(session.exec(query.order_by(Opportunity.id)).all())
    return list(_records(deals, session))


def _records(deals: list[Opportunity], session: Session) -> Iterator[DealRecord]:
    ids = [d.id for d in deals]
    accounts = _accounts({d.account_id for d in deals}, session)
    history: dict[int, list[tuple[Stage, date]]] = defaultdict(list)
    visits: dict[int, list[VisitRecord]] = defaultdict(list)
    for chunk in _chunks(ids, 500):
        for change in session.exec(select(StageChange).where(col(StageChange.opportunity_id).in_(chunk))
                                   .order_by(StageChange.changed_at, StageChange.id)).all():
            history[change.opportunity_id].append((Stage(change.to_stage), change.changed_at.date()))
        for visit in session.exec(select(Visit).where(col(Visit.opportunity_id).in_(chunk))
                                  .order_by(Visit.occurred_on, Visit.id)).all():
            visits[visit.opportunity_id].append(VisitRecord(
                id=visit.id, occurred_on=visit.occurred_on,
                channel=str(visit.channel) if visit.channel else None,
                summary=(visit.summary or visit.transcript or visit.source_text or "").strip(),
                next_step=visit.next_step, objections=tuple(visit.objections or ())))
    for deal in deals:
        account = accounts.get(deal.account_id)
        yield DealRecord(
            id=deal.id, name=deal.name, account_id=deal.account_id,
            account=account.name if account else "", industry=account.industry if account else None,
            region=account.region if account else None, stage=Stage(deal.stage), amount=deal.amount,
            currency=deal.currency, competitor=deal.competitor, lost_reason=deal.lost_reason,
            closed_on=deal.closed_on, history=_clean_history(history.get(deal.id, []), deal),
            visits=tuple(visits.get(deal.id, [])))


def _accounts(account_ids: set[int], session: Session) -> dict[int, Account]:
    """Account id → the account its deals are read under (the survivor of a merge)."""
    rows: dict[int, Account] = {}
    wanted = set(account_ids)
    for _ in range(5):  # merge chains are short; bad data must not loop forever
        if not wanted:
            break
        rows.update({a.id: a for a in session.exec(select(Account).where(col(Account.id).in_(list(wanted)))).all()})
        wanted = {a.merged_into_id for a in rows.values() if a.merged_into_id and a.merged_into_id not in rows}
    out = {}
    for account_id in account_ids:
        survivor = rows.get(account_id)
        for _ in range(5):
            if survivor is None or survivor.merged_into_id not in rows:
                break
            survivor = rows[survivor.merged_into_id]
        if survivor is not None:
            out[account_id] = survivor
    return out


def _clean_history(steps: list[tuple[Stage, date]], deal: Opportunity) -> tuple[tuple[Stage, date], ...]:
    """The stage path without repeats of the same stage in a row; a deal without history gets one
    step at its creation day."""
    path: list[tuple[Stage, date]] = []
    for stage, on in steps:
        if not path or path[-1][0] != stage:
            path.append((stage, on))
    if not path:
        path.append((Stage(deal.stage), deal.created_at.date() if deal.created_at else deal.closed_on or date.min))
    return tuple(path)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
