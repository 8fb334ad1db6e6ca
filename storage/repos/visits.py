"""Visits and who was met."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import Visit, VisitContact
from storage.repos import MANY


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


def _visits_query(query, rep_ids: Collection[int] | None, start: date | None, end: date | None):
    if rep_ids is not None:
        query = query.where(Visit.rep_id.in_(list(rep_ids)))
    if start is not None:
        query = query.where(Visit.occurred_on >= start)
    if end is not None:
        query = query.where(Visit.occurred_on < end)
    return query


def _has_contact():
    return sa.exists().where(VisitContact.visit_id == Visit.id)


def last_visit_days(account_ids: Collection[int], *, session: Session) -> dict[int, date]:
    """The day of each account's latest visit (accounts without one are left out)."""
    if not account_ids:
        return {}
    query = select(Visit.account_id, sa.func.max(Visit.occurred_on)).group_by(Visit.account_id)
    rows = session.connection().execute  # plain rows: no ORM result processing
    if len(account_ids) <= MANY:
        return dict(rows(query.where(Visit.account_id.in_(list(account_ids)))).all())
    # a long IN list costs more to build and send than reading every account's latest day (an
    # index on (account_id, occurred_on) answers it without reading the visits)
    wanted = set(account_ids)
    return {account_id: day for account_id, day in rows(query).all() if account_id in wanted}


def contact_counts(rep_ids: Collection[int] | None, *, session: Session, start: date | None = None,
                   end: date | None = None) -> dict[int, tuple[int, int]]:
    """Per rep: (visits, visits that name a contact), counted by the database; `start` inclusive,
    `end` exclusive. Reps without a visit are left out."""
    named = sa.func.sum(sa.case((_has_contact(), 1), else_=0))
    query = _visits_query(select(Visit.rep_id, sa.func.count(), named), rep_ids, start, end)
    return {rep: (count, int(with_contact or 0))
            for rep, count, with_contact in session.exec(query.group_by(Visit.rep_id)).all()}


def visits_without_contact(rep_ids: Collection[int] | None, *, session: Session) -> list:
    """Light rows (id, rep_id, occurred_on) of the reps' visits that name no contact, in id order."""
    query = _visits_query(select(Visit.id, Visit.rep_id, Visit.occurred_on).where(~_has_contact()),
                          rep_ids, None, None)
    return list(session.exec(query.order_by(Visit.id)).all())
