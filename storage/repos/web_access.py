"""Sign-in links, browser sessions and personal API tokens.

Secrets are `secrets.token_urlsafe` strings handed out once; only their sha256 is stored, so a
copy of the database signs nobody in. Every function takes `now` (the caller's clock).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from storage.models import ApiToken, SignInLink, User, WebSession

TOKEN_PREFIX = "sbt_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_signin_link(user_id: int, *, session: Session, now: datetime, minutes: int,
                       via: str = "chat") -> str:
    """A one-time secret for `/web/signin/<secret>`, valid `minutes`."""
    if session.get(User, user_id) is None:
        raise ValueError(f"no user {user_id}")
    secret = secrets.token_urlsafe(24)
    session.add(SignInLink(token_hash=digest(secret), user_id=user_id, created_at=now,
                           expires_at=now + timedelta(minutes=minutes), via=via))
    session.flush()
    return secret


def redeem_signin_link(secret: str, *, session: Session, now: datetime) -> User | None:
    """The active user the link signs in, marking it used; None when unknown, used or expired."""
    link = session.get(SignInLink, digest(secret), with_for_update=True)
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    link.used_at = now
    session.add(link)
    user = session.get(User, link.user_id)
    return user if user is not None and user.active else None


def start_session(user_id: int, *, session: Session, now: datetime, hours: int) -> WebSession:
    row = WebSession(id=secrets.token_urlsafe(24), user_id=user_id, csrf_token=secrets.token_urlsafe(24),
                     created_at=now, expires_at=now + timedelta(hours=hours))
    session.add(row)
    session.flush()
    return row


def live_session(session_id: str, *, session: Session, now: datetime) -> tuple[WebSession, User] | None:
    row = session.get(WebSession, session_id)
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    return (row, user) if user is not None and user.active else None


def end_session(session_id: str, *, session: Session, now: datetime) -> None:
    row = session.get(WebSession, session_id)
    if row is not None and row.ended_at is None:
        row.ended_at = now
        session.add(row)


def create_api_token(user_id: int, name: str, *, session: Session, now: datetime) -> tuple[ApiToken, str]:
    """A new token row and its secret (shown to the user once, never stored)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name.strip()[:100] or "token", prefix=secret[:10],
                   token_hash=digest(secret), created_at=now)
    session.add(row)
    session.flush()
    return row, secret


def user_for_token(secret: str, *, session: Session, now: datetime) -> User | None:
    """The active owner of a live token (and its last use recorded); None otherwise."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_used_at = now
    session.add(row)
    return user


def tokens_of(user_id: int, *, session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)).all())


def revoke_api_token(token_id: int, user_id: int, *, session: Session, now: datetime) -> bool:
    """Revoke one of `user_id`'s own tokens; False when it is not theirs or already revoked."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        return False
    row.revoked_at = now
    session.add(row)
    return True
