"""The durable inbox: every message a platform delivers, stored before the platform is told it
arrived, until its replies are sent (`bot/inbox` owns the states and the rules)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class InboxMessage(SQLModel, table=True):
    """One received message. `id` is the arrival order (a chat's messages are handled in it);
    (platform, chat_id, message_id) makes a redelivery a no-op. `body` is the message and the
    adapter's reply context as JSON; `blob` holds its audio and image bytes back to back (their
    offsets are in `body`). `state`: received → claimed → handled → replied (or failed); `owner`
    and `lease_until` say which worker holds it and until when; `outcome` is what handling
    produced (replies and messages for others), written in the transaction of the handling."""

    __table_args__ = (
        sa.UniqueConstraint("platform", "chat_id", "message_id"),
        sa.Index("ix_inboxmessage_chat", "platform", "chat_id", "state", "id"),
        sa.Index("ix_inboxmessage_state", "state", "platform", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    chat_id: str = Field(max_length=128)
    message_id: str = Field(max_length=128)
    state: str = Field(default="received", max_length=16)
    body: str = Field(sa_type=sa.Text)
    blob: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    outcome: str | None = Field(default=None, sa_type=sa.Text)
    owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
