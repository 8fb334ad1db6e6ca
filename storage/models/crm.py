"""Accounts, contacts, visits, opportunities and their stage history."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from storage.customer_codes import install as _number_accounts

from .types import Channel, Money, Stage, UTCDateTime, utcnow


class AccountBase(SQLModel):
    name: str = Field(max_length=200, index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    industry: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=200)


class Account(AccountBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    customer_code: str | None = Field(default=None, max_length=40, unique=True, index=True)
    merged_into_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


_number_accounts(Account)


class AccountCreate(AccountBase):
    pass


class ContactBase(SQLModel):
    account_id: int = Field(foreign_key="account.id", index=True)
    name: str = Field(max_length=100)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    title: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=200)


class Contact(ContactBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ContactCreate(ContactBase):
    pass


class VisitBase(SQLModel):
    account_id: int = Field(foreign_key="account.id", index=True)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", index=True)
    rep_id: int = Field(foreign_key="user.id", index=True)
    occurred_on: date = Field(index=True)
    channel: Channel | None = Field(default=None, sa_type=sa.String(16))
    summary: str | None = Field(default=None, sa_type=sa.Text)
    next_step: str | None = Field(default=None, sa_type=sa.Text)
    next_step_due: date | None = None
    objections: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source: str = Field(default="text", max_length=16)
    source_text: str | None = Field(default=None, sa_type=sa.Text)
    transcript: str | None = Field(default=None, sa_type=sa.Text)


class Visit(VisitBase, table=True):
    # each account's latest visit (stale deals, account lists) read from the index alone
    __table_args__ = (sa.Index("ix_visit_account_day", "account_id", "occurred_on"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class VisitCreate(VisitBase):
    pass


class VisitContact(SQLModel, table=True):
    visit_id: int = Field(foreign_key="visit.id", primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", primary_key=True)


class OpportunityBase(SQLModel):
    account_id: int = Field(foreign_key="account.id", index=True)
    name: str = Field(max_length=200)
    stage: Stage = Field(default=Stage.prospect, sa_type=sa.String(16), index=True)
    amount: Decimal | None = Field(default=None, sa_type=Money)
    currency: str = Field(default="CNY", max_length=3)
    expected_close: date | None = None
    closed_on: date | None = None
    owner_id: int = Field(foreign_key="user.id", index=True)
    lost_reason: str | None = Field(default=None, sa_type=sa.Text)
    competitor: str | None = Field(default=None, max_length=200)
    source: str | None = Field(default=None, max_length=100)  # the lead channel it was converted from


class Opportunity(OpportunityBase, table=True):
    __table_args__ = (
        sa.CheckConstraint(
            "stage in ('prospect','evaluation','negotiation','won','lost')", name="ck_opportunity_stage"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OpportunityCreate(OpportunityBase):
    pass


class OpportunityUpdate(SQLModel):
    name: str | None = None
    stage: Stage | None = None
    amount: Decimal | None = None
    currency: str | None = None
    expected_close: date | None = None
    lost_reason: str | None = None
    competitor: str | None = None


class StageChange(SQLModel, table=True):
    """One stage move. Conversion rates and cycle times are computed from these rows."""

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    from_stage: Stage | None = Field(default=None, sa_type=sa.String(16))
    to_stage: Stage = Field(sa_type=sa.String(16))
    changed_at: datetime = Field(sa_type=UTCDateTime, index=True)
    changed_by: int | None = Field(default=None, foreign_key="user.id")
