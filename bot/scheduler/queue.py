"""The database is the queue: claiming due reminders and once-only jobs, and recording delivery.

Reminders go `pending → delivering → sent` (then `done`, or back to `pending` by Snooze/Tomorrow):

- claim: in one short transaction, due rows are selected `FOR UPDATE SKIP LOCKED` (PostgreSQL:
  two workers never wait on or take the same row; SQLite: the transaction began with BEGIN
  IMMEDIATE, so it holds the only write lock) and each is taken with a conditional
  `UPDATE ... WHERE status = 'pending'` (or an expired claim), so a row is claimed by one worker;
- a row whose user is in quiet hours is not claimed but held (`not_before` = their end);
- after the adapter accepted the message, `mark_sent` commits `sent` in its own transaction;
  a failed send puts the row back to `pending` with a back-off;
- a claim older than the lease (a worker that died mid-delivery) is claimed again.

So a reminder is delivered at least once: a worker that dies after the adapter accepted a message
and before `mark_sent` committed sends it again after the lease, the only window for a duplicate
(milliseconds wide); one that dies before sending loses nothing.

Jobs (digests, briefs, nudges) are rows of `jobrun` with a unique `key` ("weekly_digest:3:2026-W48"):
inserting the key claims the job, so two workers never both send it; `finish_job` marks it
`sent` (or `skipped`); a claim whose worker died is taken over after the lease, the same
at-least-once rule as reminders.
"""
from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.scheduler.prefs import reminder_held_until
from storage.models import ChatIdentity, JobRun, Reminder, ReminderStatus, User

PENDING, DELIVERING, SENT = ReminderStatus.pending.value, ReminderStatus.delivering.value, ReminderStatus.sent.value
MAX_BACKOFF = timedelta(hours=1)


def claim_reminders(db: Engine, *, worker: str, now: datetime, lease: timedelta, platforms: Collection[str],
                    default_tz: str, only_users: Collection[int] | None = None, limit: int = 50) -> list[int]:
    """Claim due reminders of active users reachable on `platforms`; returns the claimed ids.
    Rows whose user is in quiet hours are held until the quiet hours end instead (see
    `reminder_held_until` for the reminders that go out anyway)."""
    expired = now - lease
    reachable = select(ChatIdentity.user_id).where(col(ChatIdentity.platform).in_(list(platforms)))
    active = select(User.id).where(User.active.is_(True))
    query = (select(Reminder).where(
        sa.or_(sa.and_(Reminder.status == PENDING, Reminder.due_at <= now,
                       sa.or_(col(Reminder.not_before).is_(None), Reminder.not_before <= now)),
               sa.and_(Reminder.status == DELIVERING, Reminder.claimed_at < expired)),
        col(Reminder.user_id).in_(reachable), col(Reminder.user_id).in_(active))
        .order_by(Reminder.due_at, Reminder.id).limit(limit)
        .with_for_update(skip_locked=True, of=Reminder))
    if only_users is not None:
        query = query.where(col(Reminder.user_id).in_(list(only_users)))
    claimed: list[int] = []
    with Session(db) as session:
        rows = session.exec(query).all()
        users = {u.id: u for u in session.exec(select(User).where(
            col(User.id).in_({r.user_id for r in rows} or {-1}))).all()}
        for row in rows:
            hold = reminder_held_until(users[row.user_id], row.kind, row.due_at, now, default_tz)
            if hold is not None:
                session.execute(sa.update(Reminder).where(Reminder.id == row.id).values(
                    not_before=hold, status=PENDING, claimed_by=None, claimed_at=None))
                continue
            taken = session.execute(sa.update(Reminder).where(
                Reminder.id == row.id,
                sa.or_(Reminder.status == PENDING,
                       sa.and_(Reminder.status == DELIVERING, Reminder.claimed_at < expired)))
                .values(status=DELIVERING, claimed_by=worker, claimed_at=now))
            if taken.rowcount == 1:
                claimed.append(row.id)
        session.commit()
    return claimed


def mark_sent(db: Engine, reminder_id: int, *, worker: str, now: datetime) -> bool:
    """Record a delivery the adapter accepted. False when the claim was lost meanwhile (the user
    already pressed Done or Snooze, or the lease ran out and another worker took the row)."""
    with Session(db) as session:
        result = session.execute(sa.update(Reminder).where(
            Reminder.id == reminder_id, Reminder.claimed_by == worker, Reminder.status == DELIVERING)
            .values(status=SENT, delivered_at=now))
        session.commit()
    return result.rowcount == 1


def release(db: Engine, reminder_id: int, *, worker: str, now: datetime) -> None:
    """A delivery failed: back to pending, tried again after 1, 2, 4 … 60 minutes."""
    with Session(db) as session:
        row = session.get(Reminder, reminder_id)
        if row is not None and row.claimed_by == worker and row.status == DELIVERING:
            wait = min(MAX_BACKOFF, timedelta(minutes=2 ** min(row.attempts, 6)))
            session.execute(sa.update(Reminder).where(
                Reminder.id == reminder_id, Reminder.claimed_by == worker, Reminder.status == DELIVERING)
                .values(status=PENDING, claimed_by=None, claimed_at=None, attempts=row.attempts + 1,
                        not_before=now + wait))
        session.commit()


def known_keys(db: Engine, keys: Collection[str], *, now: datetime, lease: timedelta) -> set[str]:
    """Which of `keys` are done (sent, skipped) or being done (claimed within the lease)."""
    if not keys:
        return set()
    found: set[str] = set()
    wanted = list(keys)
    with Session(db) as session:
        for i in range(0, len(wanted), 500):
            found |= set(session.exec(select(JobRun.key).where(
                col(JobRun.key).in_(wanted[i:i + 500]),
                sa.or_(JobRun.status != "claimed", JobRun.claimed_at >= now - lease))).all())
    return found


def claim_job(db: Engine, key: str, *, kind: str, user_id: int | None, worker: str, now: datetime,
              lease: timedelta) -> bool:
    """Take the job `key`: True for exactly one worker, however many try at once."""
    try:
        with Session(db) as session:
            session.add(JobRun(key=key, kind=kind, user_id=user_id, status="claimed", claimed_by=worker,
                               claimed_at=now))
            session.commit()
            return True
    except IntegrityError:
        pass
    with Session(db) as session:
        taken = session.execute(sa.update(JobRun).where(
            JobRun.key == key, JobRun.status == "claimed", JobRun.claimed_at < now - lease)
            .values(claimed_by=worker, claimed_at=now))
        session.commit()
    return taken.rowcount == 1


def finish_job(db: Engine, key: str, *, worker: str, now: datetime, status: str = "sent",
               markers: Collection[tuple[str, str, int | None]] = ()) -> bool:
    """Mark a claimed job `sent` or `skipped`, with marker rows (key, kind, user) recorded in the
    same transaction (the stale deals a nudge named, so the next one does not repeat them)."""
    with Session(db) as session:
        result = session.execute(sa.update(JobRun).where(
            JobRun.key == key, JobRun.claimed_by == worker, JobRun.status == "claimed")
            .values(status=status, finished_at=now))
        if result.rowcount == 1:
            have = set(session.exec(select(JobRun.key).where(
                col(JobRun.key).in_([m[0] for m in markers] or [""]))).all())
            for marker, kind, user_id in markers:
                if marker not in have:
                    session.add(JobRun(key=marker, kind=kind, user_id=user_id, status="sent",
                                       claimed_by=worker, claimed_at=now, finished_at=now))
        session.commit()
    return result.rowcount == 1


def drop_job(db: Engine, key: str, *, worker: str) -> None:
    """Give a claimed job up (building it failed) so a later tick tries again."""
    with Session(db) as session:
        session.execute(sa.delete(JobRun).where(JobRun.key == key, JobRun.claimed_by == worker,
                                                JobRun.status == "claimed"))
        session.commit()
