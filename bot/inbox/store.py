"""The inbox table's operations, each one short transaction (SQLite has one writer at a time).

Per-chat order without a lock table: a row may be claimed only when it is its chat's oldest open
row (received, claimed or handled), so one worker holds a chat at a time and a chat's messages
are handled and answered in arrival order. A claim is a compare-and-set on the row's state and
lease; on PostgreSQL the candidate rows are also taken `FOR UPDATE SKIP LOCKED`, so workers
claiming at once pass over each other's rows instead of waiting on them.
"""
from __future__ import annotations

import logging
import socket
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.inbox.codec import decode_message, decode_outcome, encode_message, encode_outcome
from bot.inbox.states import OPEN, Event, State, next_state
from bot.messages import IncomingMessage
from bot.outcome import Outcome
from storage.models import InboxMessage

log = logging.getLogger("salesbot.inbox")
T = InboxMessage.__table__
OPEN_STATES = [s.value for s in OPEN]


def wall_clock() -> datetime:
    return datetime.now(timezone.utc)


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class LeaseLost(BaseException):
    """The row was taken over by another worker (this one held it past its lease): what this
    worker did for it must be rolled back. A BaseException, so that no `except Exception` on the
    way (the loop's apology for unexpected errors) turns it into a reply."""


@dataclass
class InboxItem:
    """A claimed row: the message, the adapter's reply context, and (once handled) the outcome."""

    id: int
    message: IncomingMessage
    context: dict[str, Any]
    state: State
    owner: str
    attempts: int
    received_at: datetime
    outcome: Outcome | None = field(default=None, repr=False)


class InboxStore:
    def __init__(self, db: Engine, *, lease_s: float = 30.0, max_attempts: int = 5,
                 now: Callable[[], datetime] = wall_clock) -> None:
        self.db, self.lease = db, timedelta(seconds=lease_s)
        self.max_attempts, self.now = max_attempts, now
        self._postgres = db.dialect.name == "postgresql"

    # --- intake --------------------------------------------------------------------------

    def accept(self, msg: IncomingMessage, context: dict[str, Any] | None = None, *,
               answer: Outcome | None = None) -> bool:
        """Store `msg` (committed when this returns); False when it was stored before. With
        `answer` (the adapter answered it itself: over a rate limit, a file too large) the row
        starts as handled with that outcome, so it is sent in its turn like any other reply."""
        body, blob = encode_message(msg, context)
        now = self.now()
        row = {"platform": msg.platform, "chat_id": msg.chat_id, "message_id": msg.message_id,
               "state": State.received.value, "body": body, "blob": blob, "attempts": 0, "received_at": now}
        if answer is not None:
            row.update(state=State.handled.value, outcome=encode_outcome(answer), handled_at=now,
                       lease_until=now, blob=None)
        try:
            with self.db.begin() as conn:
                conn.execute(T.insert().values(**row))
        except IntegrityError:
            return False
        return True

    # --- workers -------------------------------------------------------------------------

    def claim(self, owner: str, platforms: Iterable[str]) -> InboxItem | None:
        """The oldest claimable row of a chat no other worker holds, now held by `owner`; None
        when there is none. A row claimed `max_attempts` times is given up (logged)."""
        now = self.now()
        i, j = T.alias("i"), T.alias("j")
        # The chat's oldest open row, looked up per candidate through ix_inboxmessage_chat. (An
        # anti-join "no earlier open row" lets PostgreSQL, with the table's statistics stale as a
        # busy queue's always are, compare every open row with every other: 50-80 ms a claim at a
        # few hundred open chats; `make bench-scale` shows it.)
        chat_head = (sa.select(sa.func.min(j.c.id))
                     .where(j.c.platform == i.c.platform, j.c.chat_id == i.c.chat_id, j.c.state.in_(OPEN_STATES))
                     .scalar_subquery())
        query = (sa.select(i.c.id, i.c.state, i.c.attempts)
                 .where(i.c.platform.in_(list(platforms)), i.c.state.in_(OPEN_STATES),
                        sa.or_(i.c.state == State.received.value, i.c.lease_until < now), i.c.id == chat_head)
                 .order_by(i.c.id).limit(1 if self._postgres else 4))
        if self._postgres:
            query = query.with_for_update(of=i, skip_locked=True)
        gave_up = False
        with self.db.begin() as conn:
            for row_id, state, attempts in conn.execute(query).all():
                event = Event.claim if state == State.received.value else Event.reclaim
                if attempts >= self.max_attempts:
                    self._give_up(conn, row_id, state, now, reason="claimed too often")
                    gave_up = True
                    continue
                done = conn.execute(
                    T.update().where(T.c.id == row_id, T.c.state == state,
                                     sa.or_(T.c.state == State.received.value, T.c.lease_until < now))
                    .values(state=next_state(state, event).value, owner=owner, lease_until=now + self.lease,
                            attempts=T.c.attempts + 1))
                if done.rowcount == 1:
                    row = conn.execute(sa.select(T).where(T.c.id == row_id)).one()
                    return self._item(row)
        return self.claim(owner, platforms) if gave_up else None

    def renew(self, item: InboxItem) -> bool:
        """Extend `item`'s lease; False when another worker has taken it over."""
        with self.db.begin() as conn:
            done = conn.execute(T.update().where(T.c.id == item.id, T.c.owner == item.owner,
                                                 T.c.state.in_(OPEN_STATES))
                                .values(lease_until=self.now() + self.lease))
        return done.rowcount == 1

    def mark_handled(self, session: Session, item: InboxItem, outcome: Outcome) -> None:
        """In the caller's transaction (the one that wrote what the message asked): claimed →
        handled with its outcome. Raises `LeaseLost` when `item` is no longer this worker's."""
        now = self.now()
        next_state(item.state, Event.handle)
        done = session.connection().execute(
            T.update().where(T.c.id == item.id, T.c.state == State.claimed.value, T.c.owner == item.owner)
            .values(state=State.handled.value, outcome=encode_outcome(outcome), handled_at=now,
                    lease_until=now + self.lease))
        if done.rowcount != 1:
            raise LeaseLost(item.id)
        item.state, item.outcome = State.handled, outcome

    def mark_handled_apart(self, item: InboxItem, outcome: Outcome) -> None:
        """`mark_handled` in a transaction of its own: for outcomes that wrote nothing (a repeat,
        an apology after a rolled-back failure, an unreadable voice note)."""
        with Session(self.db) as session:
            self.mark_handled(session, item, outcome)
            session.commit()

    def mark_replied(self, item: InboxItem) -> None:
        self._move(item, Event.send, replied_at=self.now(), lease_until=None, blob=None)

    def delivery_failed(self, item: InboxItem, backoff_s: float) -> State:
        """A send failed: try again after `backoff_s` (by any worker), or give up after
        `max_attempts` claims. Returns the row's new state."""
        if item.attempts >= self.max_attempts:
            self._move(item, Event.give_up, lease_until=None)
            return State.failed
        self._move(item, Event.retry, owner=None, lease_until=self.now() + timedelta(seconds=backoff_s))
        return State.handled

    def release(self, item: InboxItem) -> None:
        """Hand a claimed, unhandled row back (a graceful stop), without counting the attempt."""
        self._move(item, Event.release, owner=None, lease_until=None, attempts=max(0, item.attempts - 1))

    def _move(self, item: InboxItem, event: Event, **values: Any) -> None:
        new = next_state(item.state, event)
        with self.db.begin() as conn:
            done = conn.execute(T.update().where(T.c.id == item.id, T.c.state == item.state.value,
                                                 T.c.owner == item.owner)
                                .values(state=new.value, **values))
        if done.rowcount != 1:
            raise LeaseLost(item.id)
        item.state = new

    def _give_up(self, conn, row_id: int, state: str, now: datetime, *, reason: str) -> None:
        next_state(state, Event.give_up)
        conn.execute(T.update().where(T.c.id == row_id, T.c.state == state)
                     .values(state=State.failed.value, lease_until=None, owner=None))
        log.error("inbox message given up", extra={"inbox_id": row_id, "state": state, "reason": reason})

    # --- reading -------------------------------------------------------------------------

    def open_count(self, platforms: Iterable[str] | None = None) -> int:
        """Rows still to be handled or answered."""
        query = sa.select(sa.func.count()).select_from(T).where(T.c.state.in_(OPEN_STATES))
        if platforms is not None:
            query = query.where(T.c.platform.in_(list(platforms)))
        with self.db.connect() as conn:
            return conn.execute(query).scalar_one()

    def prune(self, older_than: timedelta) -> int:
        """Delete rows that ended (replied or failed) more than `older_than` ago."""
        cutoff = self.now() - older_than
        with self.db.begin() as conn:
            done = conn.execute(T.delete().where(T.c.state.in_([State.replied.value, State.failed.value]),
                                                 T.c.received_at < cutoff))
        return done.rowcount

    @staticmethod
    def _item(row) -> InboxItem:
        message, context = decode_message(row.body, row.blob)
        return InboxItem(id=row.id, message=message, context=context, state=State(row.state), owner=row.owner,
                         attempts=row.attempts, received_at=row.received_at,
                         outcome=decode_outcome(row.outcome) if row.outcome else None)
