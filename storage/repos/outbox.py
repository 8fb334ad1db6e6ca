"""The chat outbox: notices a process without chat adapters (the web console) leaves for the bot.

`enqueue` runs inside the transaction of the change it reports, so a decision and its notice
commit together. The bot claims due rows (`pending`, or `delivering` with an expired lease) in one
short transaction, sends them, then marks them `sent` or puts them back with a back-off: at least
once, as for reminders (`bot.scheduler.queue`). A row nobody can receive (the user is linked on
no platform this bot runs) stays pending until a bot that can is started.
"""
from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.models import ChatIdentity, OutboxMessage

PENDING, DELIVERING, SENT = "pending", "delivering", "sent"
MAX_BACKOFF = timedelta(hours=1)


def enqueue(user_id: int, kind: str, data: dict, *, session: Session, now: datetime) -> OutboxMessage:
    row = OutboxMessage(user_id=user_id, kind=kind, data=data, created_at=now)
    session.add(row)
    session.flush()
    return row


def claim(db: Engine, *, worker: str, now: datetime, lease: timedelta, platforms: Collection[str],
          only_users: Collection[int] | None = None, limit: int = 50) -> list[OutboxMessage]:
    """Take up to `limit` due messages for users linked on `platforms`; oldest first."""
    reachable = select(ChatIdentity.user_id).where(col(ChatIdentity.platform).in_(list(platforms)))
    query = (select(OutboxMessage).where(
        sa.or_(sa.and_(OutboxMessage.status == PENDING,
                       sa.or_(col(OutboxMessage.not_before).is_(None), OutboxMessage.not_before <= now)),
               sa.and_(OutboxMessage.status == DELIVERING, OutboxMessage.claimed_at < now - lease)),
        col(OutboxMessage.user_id).in_(reachable))
        .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True))
    if only_users is not None:
        query = query.where(col(OutboxMessage.user_id).in_(list(only_users)))
    with Session(db, expire_on_commit=False) as session:
        rows = list(session.exec(query).all())
        for row in rows:
            row.status, row.claimed_by, row.claimed_at = DELIVERING, worker, now
            row.attempts += 1
            session.add(row)
        session.commit()
    return rows


def mark_sent(db: Engine, message_id: int, *, worker: str, now: datetime) -> None:
    _finish(db, message_id, worker, status=SENT, sent_at=now)


def release(db: Engine, message_id: int, *, worker: str, now: datetime, attempts: int) -> None:
    """Back to pending after a failed send, tried again after 1, 2, 4... minutes (at most an hour)."""
    wait = min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)
    _finish(db, message_id, worker, status=PENDING, not_before=now + wait)


def _finish(db: Engine, message_id: int, worker: str, **values) -> None:
    with Session(db) as session:
        session.execute(sa.update(OutboxMessage).where(
            OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker,
            OutboxMessage.status == DELIVERING).values(**values))
        session.commit()
