"""What the index knows about a deal, read from storage in bulk.

`DealRecord` is a plain snapshot (no ORM rows travel further), so documents can be built the same
way from the database (`load_deals`) and from synthetic data (the benchmark).

A deal's stage path is derived from everything known about it (`derive_path`), because a history
imported from another CRM rarely carries stage changes: the recorded stage changes (both ends of
each), the audit log's before/after stages, the final stage (stages are ordered, so a won deal
went through evaluation and negotiation), and its visits, whose days date the stages nothing else
dates. `path_known` says whether the stages before a lost deal's end are known: when they are not,
the deal may have reached any open stage, and a filter on "went through evaluation" keeps it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from storage.models import Account, AuditLog, Opportunity, Stage, StageChange, Visit

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
    path_known: bool = True  # False: a lost deal whose stages before the loss are unknown

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
        """Whether the deal went through `stage`; a lost deal of unknown path may have reached
        any open stage, so it is not ruled out."""
        if any(s == stage for s, _ in self.history) or self.stage == stage:
            return True
        return not self.path_known and stage in OPEN_PATH

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
    seen: dict[int, list[tuple[Stage, date]]] = defaultdict(list)
    visits: dict[int, list[VisitRecord]] = defaultdict(list)
    for chunk in _chunks(ids, 500):
        for change in session.exec(select(StageChange).where(col(StageChange.opportunity_id).in_(chunk))
                                   .order_by(StageChange.changed_at, StageChange.id)).all():
            on = change.changed_at.date()
            if change.from_stage:
                seen[change.opportunity_id].append((Stage(change.from_stage), on))
            seen[change.opportunity_id].append((Stage(change.to_stage), on))
        for entry in session.exec(select(AuditLog).where(AuditLog.entity == "opportunity",
                                                         col(AuditLog.entity_id).in_(chunk))).all():
            for side in (entry.before, entry.after):
                stage = (side or {}).get("stage") if isinstance(side, dict) else None
                if stage in Stage.__members__:
                    seen[entry.entity_id].append((Stage(stage), entry.at.date()))
        for visit in session.exec(select(Visit).where(col(Visit.opportunity_id).in_(chunk))
                                  .order_by(Visit.occurred_on, Visit.id)).all():
            visits[visit.opportunity_id].append(VisitRecord(
                id=visit.id, occurred_on=visit.occurred_on,
                channel=str(visit.channel) if visit.channel else None,
                summary=(visit.summary or visit.transcript or visit.source_text or "").strip(),
                next_step=visit.next_step, objections=tuple(visit.objections or ())))
    for deal in deals:
        account = accounts.get(deal.account_id)
        days = [v.occurred_on for v in visits.get(deal.id, [])]
        start = deal.created_at.date() if deal.created_at else None
        history, known = derive_path(Stage(deal.stage), seen.get(deal.id, []), days, start=start,
                                     closed_on=deal.closed_on)
        yield DealRecord(
            id=deal.id, name=deal.name, account_id=deal.account_id,
            account=account.name if account else "", industry=account.industry if account else None,
            region=account.region if account else None, stage=Stage(deal.stage), amount=deal.amount,
            currency=deal.currency, competitor=deal.competitor, lost_reason=deal.lost_reason,
            closed_on=deal.closed_on, history=history, visits=tuple(visits.get(deal.id, [])),
            path_known=known)


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


def derive_path(final: Stage, seen: list[tuple[Stage, date]], visit_days: list[date], *,
                start: date | None = None, closed_on: date | None = None,
                ) -> tuple[tuple[tuple[Stage, date], ...], bool]:
    """The stages a deal went through, oldest first, and whether the path before a loss is known.

    `seen` are (stage, day) facts in any order (stage changes, audit entries); `final` is the
    deal's stage now. Open stages are ordered (prospect → evaluation → negotiation), so a deal seen
    in a later one went through the earlier ones, and a won deal went through all three. A stage
    nothing dates gets a day from the visits between its known neighbours (spread evenly), else
    its neighbour's day. A lost deal seen in no open stage has an unknown path."""
    first_day: dict[Stage, date] = {}
    for stage, on in seen:
        if stage not in first_day or on < first_day[stage]:
            first_day[stage] = on
    end = closed_on or first_day.get(final) or (max(visit_days) if visit_days else None) or start or date.min
    if final.is_closed:
        first_day[final] = min(first_day.get(final, end), end) if closed_on is None else closed_on
    elif final not in first_day:
        first_day[final] = min([d for d in (start, *visit_days[:1]) if d] or [end])
    furthest = {Stage.won: len(OPEN_PATH) - 1}.get(final)
    if furthest is None:
        open_seen = [OPEN_PATH.index(s) for s in first_day if s in OPEN_PATH]
        furthest = max(open_seen) if open_seen else None
    known = not (final is Stage.lost and furthest is None)
    stages = list(OPEN_PATH[: furthest + 1]) if furthest is not None else []
    if final.is_closed:
        stages.append(final)
    elif not stages:
        stages = [final]
    begin = min([d for d in (start, *visit_days[:1], *first_day.values()) if d and d != date.min] or [end])
    path: list[tuple[Stage, date | None]] = [(s, first_day.get(s)) for s in stages]
    if path and path[0][1] is None:
        path[0] = (path[0][0], begin)
    _date_gaps(path, sorted(visit_days))
    days = [on for _, on in path]
    for i in range(1, len(days)):  # never earlier than the stage before
        days[i] = max(days[i], days[i - 1])
    return tuple((s, on) for (s, _), on in zip(path, days)), known


def _date_gaps(path: list[tuple[Stage, date | None]], visit_days: list[date]) -> None:
    """Give each undated stage a day: visits between the dated stages around it, spread evenly."""
    i = 0
    while i < len(path):
        if path[i][1] is not None:
            i += 1
            continue
        j = i
        while j < len(path) and path[j][1] is None:
            j += 1
        before = path[i - 1][1]
        after = path[j][1] if j < len(path) else None
        inside = [d for d in visit_days if d > before and (after is None or d < after)]
        gap = j - i
        for n, k in enumerate(range(i, j)):
            if inside:
                on = inside[min(len(inside) - 1, (n + 1) * len(inside) // (gap + 1))]
            else:
                on = before
            path[k] = (path[k][0], on)
        i = j


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
