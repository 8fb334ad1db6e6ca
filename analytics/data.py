"""The CRM's rows as plain frozen facts, so every model runs the same on the database and on a
generated history. Dates are the CRM's local dates (the deal's `closed_on`, a stage change's day
in the given timezone)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage.models import Stage
from storage.repos.deals import deals_owned_by, stage_history

OPEN = ("prospect", "evaluation", "negotiation")


@dataclass(frozen=True)
class DealFact:
    """One opportunity: its stage path as (stage, day entered), oldest first."""

    id: int
    account_id: int
    owner_id: int
    amount: float | None
    currency: str
    stage: str
    created: date
    path: tuple[tuple[str, date], ...] = field(default_factory=tuple)
    closed_on: date | None = None
    expected_close: date | None = None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN

    def stage_on(self, day: date) -> tuple[str, date] | None:
        """The stage the deal was in at the end of `day` and the day it entered it; None before
        the deal existed."""
        current = None
        for stage, entered in self.path:
            if entered <= day:
                current = (stage, entered)
        if current is None and self.created <= day:
            first = self.path[0][0] if self.path else self.stage
            current = (first if first in OPEN else "prospect", self.created)
        return current

    def entered(self, stage: str) -> date | None:
        return next((on for s, on in self.path if s == stage), None)

    @property
    def won_on(self) -> date | None:
        return self.closed_on if self.stage == "won" else None


def load_deals(*, session: Session, tz: ZoneInfo, owner_ids: Collection[int] | None = None) -> list[DealFact]:
    """Every deal of `owner_ids` (None = all) with its stage path."""
    deals = deals_owned_by(owner_ids, session=session)
    history = stage_history([d.id for d in deals], session=session)
    facts = []
    for d in deals:
        path = tuple((str(Stage(c.to_stage).value), c.changed_at.astimezone(tz).date())
                     for c in history.get(d.id, []))
        created = d.created_at.astimezone(tz).date()
        if path and path[0][1] < created:
            created = path[0][1]
        stage = str(Stage(d.stage).value)
        closed_on = d.closed_on or (path[-1][1] if stage in ("won", "lost") and path else None)
        facts.append(DealFact(
            id=d.id, account_id=d.account_id, owner_id=d.owner_id,
            amount=float(d.amount) if d.amount is not None else None, currency=d.currency, stage=stage,
            created=created, path=path, closed_on=closed_on, expected_close=d.expected_close))
    return facts


def by_currency(deals: list[DealFact]) -> dict[str, list[DealFact]]:
    groups: dict[str, list[DealFact]] = defaultdict(list)
    for d in deals:
        groups[d.currency].append(d)
    return dict(groups)


@dataclass(frozen=True)
class AccountFact:
    id: int
    name: str
    owner_id: int | None
    industry: str | None
    region: str | None
    created: date


@dataclass(frozen=True)
class VisitFact:
    account_id: int
    rep_id: int
    occurred_on: date
    recorded_on: date
    contact_ids: tuple[int, ...] = ()


def load_accounts(*, session: Session, tz: ZoneInfo, owner_ids: Collection[int] | None = None) -> list[AccountFact]:
    """Live (not merged) accounts of `owner_ids` (None = all)."""
    from storage.repos.accounts import live_accounts

    return [AccountFact(a.id, a.name, a.owner_id, a.industry, a.region, a.created_at.astimezone(tz).date())
            for a in live_accounts(session=session, owner_ids=owner_ids)]


def load_visits(account_ids: Collection[int], *, session: Session, tz: ZoneInfo) -> list[VisitFact]:
    from storage.repos.visits import contact_ids_of_visits, visits_of_accounts

    visits = visits_of_accounts(list(account_ids), session=session)
    met = contact_ids_of_visits([v.id for v in visits], session=session)
    return [VisitFact(v.account_id, v.rep_id, v.occurred_on, v.created_at.astimezone(tz).date(),
                      tuple(met.get(v.id, ()))) for v in visits]
