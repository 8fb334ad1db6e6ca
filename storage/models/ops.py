"""Operational tables: reminders, audit log, processed messages, drafts, engine calls."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .types import DraftStatus, ReminderStatus, UTCDateTime, utcnow


class Reminder(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    text: str = Field(sa_type=sa.Text)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    status: ReminderStatus = Field(default=ReminderStatus.pending, sa_type=sa.String(16), index=True)
    kind: str = Field(default="followup", max_length=32)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # held back (quiet hours, a failed delivery's back-off) until then; due_at stays what was asked
    not_before: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class JobRun(SQLModel, table=True):
    """One proactive message job (a digest for a user and week, a nudge about a quote): its unique
    `key` makes it happen once however many bot processes run. `status`: claimed (a worker is
    delivering it since `claimed_at`), sent, or skipped (nothing to say)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, sa_column_kwargs={"unique": True})
    kind: str = Field(max_length=32, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    status: str = Field(default="claimed", max_length=16)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: int | None = None
    before: dict | None = Field(default=None, sa_column=Column(JSON))
    after: dict | None = Field(default=None, sa_column=Column(JSON))
    source_message: str | None = Field(default=None, sa_type=sa.Text)
    draft_id: int | None = Field(default=None, foreign_key="draft.id")


class ProcessedMessage(SQLModel, table=True):
    """Idempotency: a platform message is handled once, however often it is delivered."""

    __table_args__ = (sa.UniqueConstraint("platform", "chat_id", "message_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    chat_id: str = Field(max_length=128)
    message_id: str = Field(max_length=128)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Draft(SQLModel, table=True):
    """Tool calls waiting for the user's confirmation; a row, so it survives a restart.

    `calls` holds `[{"name", "args"}]` exactly as CONTRACT.md; `pending_question` records what the
    bot asked when an argument is missing or ambiguous, so the next message can answer it.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    platform: str = Field(max_length=32)
    chat_id: str = Field(max_length=128, index=True)
    status: DraftStatus = Field(default=DraftStatus.pending, sa_type=sa.String(16), index=True)
    calls: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    pending_question: dict | None = Field(default=None, sa_column=Column(JSON))
    source_text: str | None = Field(default=None, sa_type=sa.Text)
    source: str = Field(default="text", max_length=16)
    transcript: str | None = Field(default=None, sa_type=sa.Text)
    engine: str | None = Field(default=None, max_length=16)
    card_ref: str | None = Field(default=None, max_length=128)
    result: dict | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EngineCall(SQLModel, table=True):
    """One understanding step: which engine ran, how long it took, tokens an LLM used."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    engine: str = Field(max_length=16)
    model: str | None = Field(default=None, max_length=100)
    ok: bool = True
    fallback_reason: str | None = Field(default=None, max_length=200)
    latency_ms: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
