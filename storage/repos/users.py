"""Users and teams."""
from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from storage.models import Role, User


def get_user(user_id: int, *, session: Session) -> User | None:
    return session.get(User, user_id)


def users_by_id(user_ids: Iterable[int | None], *, session: Session) -> dict[int, User]:
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(wanted))).all()}


def direct_report_ids(manager_id: int, *, session: Session) -> set[int]:
    return set(session.exec(select(User.id).where(User.manager_id == manager_id)).all())


def active_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).where(User.active.is_(True)).order_by(User.id)).all())


def active_admins(*, session: Session) -> list[User]:
    return list(session.exec(
        select(User).where(User.role == Role.admin, User.active.is_(True)).order_by(User.id)).all())
