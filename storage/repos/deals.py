"""Opportunities and their stage history."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlmodel import Session, select

from storage.models import Opportunity, Stage, StageChange

OPEN_STAGES = (Stage.prospect, Stage.evaluation, Stage.negotiation)


def get_deal(deal_id: int, *, session: Session) -> Opportunity | None:
    return session.get(Opportunity, deal_id)


def deals_of_accounts(account_ids: Collection[int], *, session: Session,
                      open_only: bool = False) -> list[Opportunity]:
    """Deals of the accounts, most recently updated first."""
    if not account_ids:
        return []
    query = select(Opportunity).where(Opportunity.account_id.in_(list(account_ids)))
    if open_only:
        query = query.where(Opportunity.stage.in_([s.value for s in OPEN_STAGES]))
    query = query.order_by(Opportunity.updated_at.desc(), Opportunity.id.desc())
    return list(session.exec(query).all())


def deals_owned_by(owner_ids: Collection[int] | None, *, session: Session) -> list[Opportunity]:
    """Deals whose owner is in `owner_ids` (None = every deal)."""
    query = select(Opportunity)
    if owner_ids is not None:
        query = query.where(Opportunity.owner_id.in_(list(owner_ids)))
    return list(session.exec(query.order_by(Opportunity.id)).all())


def stage_history(deal_ids: Collection[int], *, session: Session) -> dict[int, list[StageChange]]:
    """Stage changes per deal, oldest first."""
    if not deal_ids:
        return {}
    rows = session.exec(select(StageChange).where(StageChange.opportunity_id.in_(list(deal_ids)))
                        .order_by(StageChange.changed_at, StageChange.id)).all()
    history: dict[int, list[StageChange]] = defaultdict(list)
    for row in rows:
        history[row.opportunity_id].append(row)
    return dict(history)


def deal_rows(owner_ids: Collection[int] | None, *, session: Session) -> list:
    """`deals_owned_by` as light read-only rows (same attributes, no ORM objects): for reports over
    many deals."""
    query = select(*Opportunity.__table__.columns)
    if owner_ids is not None:
        query = query.where(Opportunity.owner_id.in_(list(owner_ids)))
    return list(session.connection().execute(query.order_by(Opportunity.id)).all())


def stage_history_rows(owner_ids: Collection[int] | None, *, session: Session) -> dict[int, list]:
    """`stage_history` of the deals of `owner_ids`, as light rows, oldest first."""
    query = select(*StageChange.__table__.columns)
    if owner_ids is not None:
        owned = select(Opportunity.id).where(Opportunity.owner_id.in_(list(owner_ids)))
        query = query.where(StageChange.opportunity_id.in_(owned))
    history: dict[int, list] = defaultdict(list)
    for row in session.connection().execute(query.order_by(StageChange.changed_at, StageChange.id)).all():
        history[row.opportunity_id].append(row)
    return dict(history)
