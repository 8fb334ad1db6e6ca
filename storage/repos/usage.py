"""Usage events (`UsageEvent`): recorded by the bot, read by usage analytics."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import UsageEvent


def record_usage(*, session: Session, at: datetime, user_id: int | None, kind: str, name: str,
                 platform: str | None = None) -> None:
    """Add one event to the caller's transaction (kept only if it commits)."""
    session.add(UsageEvent(at=at, user_id=user_id, kind=kind, name=name[:64], platform=platform))


def usage_events(*, session: Session, start: datetime, end: datetime) -> list[UsageEvent]:
    """Events in [start, end), oldest first."""
    return list(session.exec(select(UsageEvent).where(UsageEvent.at >= start, UsageEvent.at < end)
                             .order_by(UsageEvent.at, UsageEvent.id)).all())
