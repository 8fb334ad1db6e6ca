"""Accounts and their contacts."""
from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, select

from storage.models import Account, Contact
from storage.repos import MANY


def get_account(account_id: int, *, session: Session) -> Account | None:
    return session.get(Account, account_id)


def live_accounts(*, session: Session, owner_ids: Collection[int] | None = None) -> list[Account]:
    """Accounts not merged away, optionally only those owned by `owner_ids` (None = all)."""
    query = select(Account).where(Account.merged_into_id.is_(None))
    if owner_ids is not None:
        query = query.where(Account.owner_id.in_(list(owner_ids)))
    return list(session.exec(query.order_by(Account.id)).all())


def live_account_rows(*, session: Session, owner_ids: Collection[int] | None = None,
                      columns: Collection[str] | None = None) -> list:
    """`live_accounts` as light read-only rows (the same attributes, or only `columns`; no ORM
    objects): for reports over many accounts."""
    table = Account.__table__.columns
    query = select(*(table[name] for name in columns) if columns else table).where(Account.merged_into_id.is_(None))
    if owner_ids is not None:
        query = query.where(Account.owner_id.in_(list(owner_ids)))
    return list(session.connection().execute(query.order_by(Account.id)).all())


def account_names(account_ids: Collection[int], *, session: Session) -> dict[int, str]:
    """id → name of the accounts (merged-away ones included; unknown ids are left out)."""
    if not account_ids:
        return {}
    query = select(Account.id, Account.name)
    if len(account_ids) <= MANY:
        return dict(session.connection().execute(query.where(Account.id.in_(list(account_ids)))).all())
    wanted = set(account_ids)  # a long IN list costs more to build and send than reading every name
    return {account_id: name for account_id, name in session.connection().execute(query).all()
            if account_id in wanted}


def contacts_of(account_ids: Collection[int], *, session: Session) -> list[Contact]:
    if not account_ids:
        return []
    return list(session.exec(
        select(Contact).where(Contact.account_id.in_(list(account_ids))).order_by(Contact.id)).all())


def contacts_by_id(contact_ids: Collection[int], *, session: Session) -> dict[int, Contact]:
    if not contact_ids:
        return {}
    rows = session.exec(select(Contact).where(Contact.id.in_(list(contact_ids)))).all()
    return {c.id: c for c in rows}
