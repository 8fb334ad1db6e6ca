"""Who is talking: chat identities, one-time invite codes and linking."""
from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import ChatIdentity, InviteCode, User

_LINK_COMMAND = re.compile(r"^\s*(?:/start|绑定|bind|link)\s+([A-Za-z0-9-]{4,32})\s*$", re.IGNORECASE)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes get read aloud


def find_user(platform: str, external_id: str, *, session: Session) -> User | None:
    identity = session.exec(select(ChatIdentity).where(
        ChatIdentity.platform == platform, ChatIdentity.external_id == external_id)).first()
    if identity is None:
        return None
    user = session.get(User, identity.user_id)
    return user if user is not None and user.active else None


def link_code_in(text: str) -> str | None:
    """The invite code of a `/start CODE` / `绑定 CODE` message, if it is one."""
    match = _LINK_COMMAND.match(text or "")
    return match.group(1).upper() if match else None


def create_invite(user_id: int, *, session: Session, now: datetime, valid_days: int = 7) -> str:
    if session.get(User, user_id) is None:
        raise ValueError(f"no user with id {user_id}")
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    session.add(InviteCode(code=code, user_id=user_id, created_at=now,
                           expires_at=now + timedelta(days=valid_days)))
    session.flush()
    return code


def redeem_invite(code: str, platform: str, external_id: str, chat_id: str | None, *,
                  session: Session, now: datetime) -> User | None:
    """Link a platform account with a one-time code; None when the code is unknown, used or expired."""
    invite = session.get(InviteCode, code.upper())
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None
    invite.used_at = now
    link(invite.user_id, platform, external_id, chat_id=chat_id, session=session, now=now)
    return session.get(User, invite.user_id)


def link(user_id: int, platform: str, external_id: str, *, session: Session, now: datetime,
         chat_id: str | None = None) -> ChatIdentity:
    """Map (platform, external_id) to a user, replacing an earlier mapping of that account."""
    if session.get(User, user_id) is None:
        raise ValueError(f"no user with id {user_id}")
    existing = session.exec(select(ChatIdentity).where(
        ChatIdentity.platform == platform, ChatIdentity.external_id == external_id)).first()
    if existing is not None:
        existing.user_id, existing.chat_id, existing.linked_at = user_id, chat_id or existing.chat_id, now
        identity = existing
    else:
        identity = ChatIdentity(platform=platform, external_id=external_id, user_id=user_id,
                                chat_id=chat_id, linked_at=now)
        session.add(identity)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ValueError(f"{platform}:{external_id} is already linked") from exc
    return identity


def identities_of(user_id: int, *, session: Session) -> list[ChatIdentity]:
    return list(session.exec(select(ChatIdentity).where(ChatIdentity.user_id == user_id)).all())
