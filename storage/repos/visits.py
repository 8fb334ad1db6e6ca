"""Visits and who was met."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import Visit, VisitContact


def visits_of_accounts(account_ids: Collection[int], *, session: Session,
                       start: date | None = None, end: date | None = None,
                       limit: int | None = None) -> list[Visit]:
    """Visits on the accounts, newest first; `start` inclusive, `end` exclusive."""
    if not account_ids:
        return []
    query = select(Visit).where(Visit.account_id.in_(list(account_ids)))
    if start is not None:
        query = query.where(Visit.occurred_on >= start)
    if end is not None:
        query = query.where(Visit.occurred_on < end)
    query = query.order_by(Visit.occurred_on.desc(), Visit.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def visits_by_reps(rep_ids: Collection[int] | None, *, session: Session) -> list[Visit]:
    query = select(Visit)
    if rep_ids is not None:
        query = query.where(Visit.rep_id.in_(list(rep_ids)))
    return list(session.exec(query.order_by(Visit.id)).all())


def contact_ids_of_visits(visit_ids: Collection[int], *, session: Session) -> dict[int, list[int]]:
    if not visit_ids:
        return {}
    rows = session.exec(select(VisitContact).where(VisitContact.visit_id.in_(list(visit_ids)))).all()
    met: dict[int, list[int]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.visit_id, r.contact_id)):
        met[row.visit_id].append(row.contact_id)
    return dict(met)


def visit_facts(rep_ids: Collection[int] | None, *, session: Session, start: date | None = None,
                end: date | None = None) -> list:
    """Light rows (id, rep_id, account_id, occurred_on, has_contact) of the reps' visits, in id
    order; `start` inclusive, `end` exclusive. For reports over many visits: no ORM objects."""
    has_contact = sa.exists().where(VisitContact.visit_id == Visit.id).label("has_contact")
    query = select(Visit.id, Visit.rep_id, Visit.account_id, Visit.occurred_on, has_contact)
    if rep_ids is not None:
        query = query.where(Visit.rep_id.in_(list(rep_ids)))
    if start is not None:
        query = query.where(Visit.occurred_on >= start)
    if end is not None:
        query = query.where(Visit.occurred_on < end)
    return list(session.exec(query.order_by(Visit.id)).all())


def last_visit_days(account_ids: Collection[int], *, session: Session) -> dict[int, date]:
    """The day of each account's latest visit (accounts without one are left out)."""
    if not account_ids:
        return {}
    rows = session.exec(select(Visit.account_id, sa.func.max(Visit.occurred_on))
                        .where(Visit.account_id.in_(list(account_ids))).group_by(Visit.account_id)).all()
    return {account_id: day for account_id, day in rows}
