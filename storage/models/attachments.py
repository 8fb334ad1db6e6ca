"""Attached files: contract photos and PDFs filed against an account and a deal.

One row per distinct file (its sha256 is unique: the same file sent twice is one attachment). The
bytes live in the attachment store (`storage.attachments`, under ATTACHMENTS_DIR), named by the
sha256; the row says what the file is (`mime` from its content, `bytes`, `pages`, `kind`), where it
belongs (`account_id`, `opportunity_id`), who filed it and when, and the fields read from it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .types import UTCDateTime, utcnow


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    mime: str = Field(max_length=64)
    bytes: int
    pages: int = 1
    kind: str = Field(default="contract", max_length=16)
    name: str | None = Field(default=None, max_length=200)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", index=True)
    uploaded_by: int = Field(foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    fields: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    note: str | None = Field(default=None, sa_type=sa.Text)
