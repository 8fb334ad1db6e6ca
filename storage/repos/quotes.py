"""Quotes and approval rules."""
from __future__ import annotations

from sqlmodel import Session, select

from storage.models import ApprovalRule, Quote, QuoteStatus


def get_quote(quote_id: int, *, session: Session) -> Quote | None:
    return session.get(Quote, quote_id)


def pending_quotes(*, session: Session, account_ids: list[int] | None = None) -> list[Quote]:
    """Quotes waiting for a decision, oldest request first."""
    query = select(Quote).where(Quote.status == QuoteStatus.pending)
    if account_ids is not None:
        query = query.where(Quote.account_id.in_(account_ids))
    return list(session.exec(query.order_by(Quote.requested_at, Quote.id)).all())


def quotes_of_deals(deal_ids: list[int], *, session: Session) -> list[Quote]:
    if not deal_ids:
        return []
    return list(session.exec(select(Quote).where(Quote.opportunity_id.in_(deal_ids))
                             .order_by(Quote.id)).all())


def approval_rules(*, session: Session) -> list[ApprovalRule]:
    return list(session.exec(select(ApprovalRule).order_by(ApprovalRule.id)).all())
