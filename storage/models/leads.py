"""Sales leads and their history.

A lead is a possible customer that arrived from a channel (a CSV file, the REST API, a rep's chat).
Its lifecycle is new → assigned → contacted → qualified → converted | disqualified (with a reason);
every step is a `LeadEvent` (who, when, from, to). `account_id` links the lead to the customer it
matched or was converted into, so an account merge can move it; `sources` lists every channel the
same company arrived from. The `*_key` columns hold the normalised company name, phone, email and
credit code the matcher compares (see `storage.leadkeys`).
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from .types import UTCDateTime, utcnow


class LeadStatus(StrEnum):
    new = "new"
    assigned = "assigned"
    contacted = "contacted"
    qualified = "qualified"
    converted = "converted"
    disqualified = "disqualified"

    @property
    def is_open(self) -> bool:
        return self in (LeadStatus.new, LeadStatus.assigned, LeadStatus.contacted, LeadStatus.qualified)


OPEN_LEAD_STATUSES = ("new", "assigned", "contacted", "qualified")


class Lead(SQLModel, table=True):
    __table_args__ = (
        sa.CheckConstraint(
            "status in ('new','assigned','contacted','qualified','converted','disqualified')",
            name="ck_lead_status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    company: str = Field(max_length=200)
    contact: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=100)
    industry: str | None = Field(default=None, max_length=100)
    source: str | None = Field(default=None, max_length=100)
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str | None = Field(default=None, sa_type=sa.Text)
    credit_code: str | None = Field(default=None, max_length=18)
    status: str = Field(default=LeadStatus.new, max_length=16, index=True)
    disqualified_reason: str | None = Field(default=None, sa_type=sa.Text)
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id")
    company_key: str = Field(default="", max_length=200, index=True)
    phone_key: str | None = Field(default=None, max_length=32, index=True)
    email_key: str | None = Field(default=None, max_length=200, index=True)
    assigned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    contact_due: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    contacted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    nudged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    converted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LeadEvent(SQLModel, table=True):
    """One step of a lead's history: a status change, an assignment, another channel merged in."""

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    detail: str | None = Field(default=None, sa_type=sa.Text)
