"""Quotes and the rules that decide who must approve them."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import Money, QuoteStatus, Role, UTCDateTime


class QuoteBase(SQLModel):
    account_id: int = Field(foreign_key="account.id", index=True)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id")
    amount: Decimal = Field(sa_type=Money)
    currency: str = Field(default="CNY", max_length=3)
    discount_pct: Decimal = Field(default=Decimal(0), sa_type=sa.Numeric(5, 2))
    product: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, sa_type=sa.Text)


class Quote(QuoteBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    status: QuoteStatus = Field(default=QuoteStatus.pending, sa_type=sa.String(16), index=True)
    requested_by: int = Field(foreign_key="user.id", index=True)
    approver_id: int | None = Field(default=None, foreign_key="user.id")
    required_role: Role = Field(default=Role.manager, sa_type=sa.String(16))
    requested_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    comment: str | None = Field(default=None, sa_type=sa.Text)


class QuoteCreate(QuoteBase):
    pass


class ApprovalRule(SQLModel, table=True):
    """A quote whose discount or amount reaches a threshold needs `approver_role` to approve it.

    The strictest matching rule wins (admin over manager). Amount thresholds are in `currency`;
    a rule with no threshold on a dimension ignores that dimension. With no rule matching, the
    requester's manager decides.
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    min_discount_pct: Decimal | None = Field(default=None, sa_type=sa.Numeric(5, 2))
    min_amount: Decimal | None = Field(default=None, sa_type=Money)
    currency: str = Field(default="CNY", max_length=3)
    approver_role: Role = Field(default=Role.manager, sa_type=sa.String(16))
