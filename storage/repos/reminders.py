"""Reminders."""
from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, select

from storage.models import Reminder, ReminderStatus


def pending_reminders(*, session: Session, user_ids: Collection[int] | None = None,
                      account_ids: Collection[int] | None = None,
                      start: datetime | None = None, end: datetime | None = None) -> list[Reminder]:
    """Pending reminders, soonest first; `start` inclusive, `end` exclusive (aware datetimes)."""
    query = select(Reminder).where(Reminder.status == ReminderStatus.pending)
    if user_ids is not None:
        query = query.where(Reminder.user_id.in_(list(user_ids)))
    if account_ids is not None:
        query = query.where(Reminder.account_id.in_(list(account_ids)))
    if start is not None:
        query = query.where(Reminder.due_at >= start)
    if end is not None:
        query = query.where(Reminder.due_at < end)
    return list(session.exec(query.order_by(Reminder.due_at, Reminder.id)).all())


def open_reminders(*, session: Session, user_id: int) -> list[Reminder]:
    """A user's reminders not yet done or cancelled (pending, or delivered and not acted on),
    soonest first."""
    query = select(Reminder).where(Reminder.user_id == user_id,
                                   Reminder.status.in_([ReminderStatus.pending.value, ReminderStatus.sent.value]))
    return list(session.exec(query.order_by(Reminder.due_at, Reminder.id)).all())
