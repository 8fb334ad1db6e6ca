"""Opportunities and their stage history."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from storage.models import AuditLog, Opportunity, Stage, StageChange

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


def deal_rows(owner_ids: Collection[int] | None, *, session: Session, columns: Collection[str] | None = None) -> list:
    """`deals_owned_by` as light read-only rows (same attributes, or only `columns`; no ORM
    objects): for reports over many deals."""
    table = Opportunity.__table__.columns
    query = select(*(table[name] for name in columns) if columns else table)
    if owner_ids is not None:
        query = query.where(Opportunity.owner_id.in_(list(owner_ids)))
    return list(session.connection().execute(query.order_by(Opportunity.id)).all())


def stage_history_rows(owner_ids: Collection[int] | None, *, session: Session,
                       moved_in: tuple[datetime, datetime | None] | None = None,
                       won_in: tuple[date, date] | None = None) -> dict[int, list]:
    """`stage_history` of the deals of `owner_ids`, as light rows, oldest first. With `moved_in`
    (and `won_in`), only the deals that changed stage in that time (or were won with `closed_on`
    in those days; both half-open, `moved_in` open-ended when its end is None), with their whole
    history: what a period's figures read."""
    query = select(*StageChange.__table__.columns)
    if owner_ids is not None:
        owned = select(Opportunity.id).where(Opportunity.owner_id.in_(list(owner_ids)))
        query = query.where(StageChange.opportunity_id.in_(owned))
    if moved_in is not None:
        moved = select(StageChange.opportunity_id).where(StageChange.changed_at >= moved_in[0])
        if moved_in[1] is not None:
            moved = moved.where(StageChange.changed_at < moved_in[1])
        wanted = StageChange.opportunity_id.in_(moved)
        if won_in is not None:
            won = select(Opportunity.id).where(Opportunity.stage == Stage.won.value,
                                               Opportunity.closed_on >= won_in[0], Opportunity.closed_on < won_in[1])
            wanted = or_(wanted, StageChange.opportunity_id.in_(won))
        query = query.where(wanted)
    history: dict[int, list] = defaultdict(list)
    for row in session.connection().execute(query.order_by(StageChange.changed_at, StageChange.id)).all():
        history[row.opportunity_id].append(row)
    return dict(history)


def last_stage_changes(*, session: Session, owner_ids: Collection[int] | None = None,
                       deal_ids: Collection[int] | None = None) -> dict[int, datetime]:
    """When each deal last changed stage: the deals of `owner_ids` (None = all), or those of
    `deal_ids` when given. Deals that never changed are left out."""
    query = select(StageChange.opportunity_id, func.max(StageChange.changed_at)).group_by(StageChange.opportunity_id)
    if deal_ids is not None:
        if not deal_ids:
            return {}
        query = query.where(StageChange.opportunity_id.in_(list(deal_ids)))
    elif owner_ids is not None:
        query = query.where(StageChange.opportunity_id.in_(
            select(Opportunity.id).where(Opportunity.owner_id.in_(list(owner_ids)))))
    return dict(session.exec(query).all())


def account_currency(account_id: int, *, session: Session) -> str | None:
    """The currency the account's deals are in: its most recently updated deal's."""
    return session.exec(select(Opportunity.currency).where(Opportunity.account_id == account_id)
                        .order_by(Opportunity.updated_at.desc(), Opportunity.id.desc()).limit(1)).first()


def owner_currency(user_id: int, *, session: Session) -> str | None:
    """The currency most of the user's deals are in (ties: alphabetically first)."""
    count = func.count(Opportunity.id)
    return session.exec(select(Opportunity.currency).where(Opportunity.owner_id == user_id)
                        .group_by(Opportunity.currency).order_by(count.desc(), Opportunity.currency)
                        .limit(1)).first()


def last_deal_written_by(user_id: int, *, session: Session) -> Opportunity | None:
    """The deal `user_id` last created or changed (what "this deal" means in a chat)."""
    deal_id = session.exec(select(AuditLog.entity_id).where(
        AuditLog.actor_id == user_id, AuditLog.entity == "opportunity", AuditLog.entity_id.is_not(None))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(1)).first()
    return session.get(Opportunity, deal_id) if deal_id is not None else None
