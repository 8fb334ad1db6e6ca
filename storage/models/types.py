"""Column types and enums shared by the tables."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as naive UTC.

    SQLite keeps no offset, so every value is converted to UTC on the way in and marked UTC on the
    way out; PostgreSQL gets the same naive-UTC column so both back ends behave alike.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column; attach a timezone")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Money(TypeDecorator):
    """Decimal money with 2 places; SQLite stores it as text so no float ever touches it."""

    impl = sa.Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(40))
        return dialect.type_descriptor(sa.Numeric(18, 2))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Role(StrEnum):
    rep = "rep"
    manager = "manager"
    admin = "admin"


class Stage(StrEnum):
    """The only five opportunity stages (CONTRACT.md)."""

    prospect = "prospect"
    evaluation = "evaluation"
    negotiation = "negotiation"
    won = "won"
    lost = "lost"

    @property
    def is_closed(self) -> bool:
        return self in (Stage.won, Stage.lost)


STAGE_ORDER = [Stage.prospect, Stage.evaluation, Stage.negotiation, Stage.won]
STAGE_PROBABILITY = {
    Stage.prospect: Decimal("0.10"),
    Stage.evaluation: Decimal("0.30"),
    Stage.negotiation: Decimal("0.60"),
    Stage.won: Decimal("1"),
    Stage.lost: Decimal("0"),
}


class Channel(StrEnum):
    onsite = "onsite"
    phone = "phone"
    video = "video"
    message = "message"
    email = "email"
    event = "event"


class QuoteStatus(StrEnum):
    draft = "draft"
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


class ReminderStatus(StrEnum):
    pending = "pending"
    delivering = "delivering"
    sent = "sent"
    done = "done"
    cancelled = "cancelled"


class DraftStatus(StrEnum):
    awaiting_input = "awaiting_input"
    pending = "pending"
    confirmed = "confirmed"
    cancelled = "cancelled"
    expired = "expired"
    failed = "failed"
