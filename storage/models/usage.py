"""Usage events: what a user did with the bot that no other table records (every message, a
tool call, a command, a card edit), for usage analytics. Writes, drafts, engine calls and
proactive messages are read from their own tables (audit log, drafts, engine calls, job runs)."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from .types import UTCDateTime


class UsageEvent(SQLModel, table=True):
    """`kind`: message (name: text, voice or choice), tool (name: the tool), command (help,
    notify, start), card (edited). Recorded in the transaction of the message it belongs to."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    kind: str = Field(max_length=16, index=True)
    name: str = Field(max_length=64)
    platform: str | None = Field(default=None, max_length=32)
