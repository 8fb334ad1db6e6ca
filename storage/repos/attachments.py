"""Attachments: rows by sha256, by deal and account, and the contract-compliance figure
(合同合规率) that the data-health report and the quarterly value report share."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, select

from storage.models import Attachment, Opportunity, Quote, QuoteStatus, Stage

MATCH_TOLERANCE = Decimal("0.01")  # a contract within 1 % of the approved quote matches it


def attachment_by_sha(sha256: str, *, session: Session) -> Attachment | None:
    return session.exec(select(Attachment).where(Attachment.sha256 == sha256)).first()


def attachments_of_deals(deal_ids: Collection[int], *, session: Session) -> list[Attachment]:
    if not deal_ids:
        return []
    return list(session.exec(select(Attachment).where(Attachment.opportunity_id.in_(list(deal_ids)))
                             .order_by(Attachment.uploaded_at, Attachment.id)).all())


def attachments_of_accounts(account_ids: Collection[int] | None, *, session: Session) -> list[Attachment]:
    """Attachments filed against the accounts (None = every account), oldest first."""
    query = select(Attachment)
    if account_ids is not None:
        query = query.where(Attachment.account_id.in_(list(account_ids)))
    return list(session.exec(query.order_by(Attachment.uploaded_at, Attachment.id)).all())


def approved_quote_of(deal: Opportunity, *, session: Session) -> Quote | None:
    """The deal's most recently approved quote (by its id, else the account's quote without a deal)."""
    rows = session.exec(select(Quote).where(Quote.account_id == deal.account_id,
                                            Quote.status == QuoteStatus.approved.value)
                        .order_by(Quote.decided_at.desc(), Quote.id.desc())).all()
    own = [q for q in rows if q.opportunity_id == deal.id]
    return (own or [q for q in rows if q.opportunity_id is None] or [None])[0]


def net_amount(quote: Quote) -> Decimal:
    """What an approved quote lets the customer pay: its figure less its discount."""
    return (Decimal(quote.amount) * (100 - Decimal(quote.discount_pct or 0)) / 100).quantize(Decimal("0.01"))


def amount_matches(amount: Decimal, reference: Decimal) -> bool:
    return reference > 0 and abs(amount - reference) / reference <= MATCH_TOLERANCE


@dataclass(frozen=True)
class Compliance:
    """Won deals closed in a period: how many, how many have a contract attached, and how many of
    those have a contract whose amount matches the approved quote (a deal with no approved quote
    counts as matching: there is no price to hold the contract to). `rate` = compliant / won."""

    won: int
    with_contract: int
    compliant: int
    missing: tuple[int, ...]  # ids of won deals without a contract
    mismatched: tuple[int, ...]  # ids of won deals whose contract differs from the approved quote

    @property
    def rate(self) -> float | None:
        return self.compliant / self.won if self.won else None


def contract_compliance(start: date, end: date, *, session: Session,
                        owner_ids: Collection[int] | None = None) -> Compliance:
    """合同合规率 of the deals won with a close date in [start, end)."""
    query = select(Opportunity).where(Opportunity.stage == Stage.won.value,
                                      Opportunity.closed_on >= start, Opportunity.closed_on < end)
    if owner_ids is not None:
        query = query.where(Opportunity.owner_id.in_(list(owner_ids)))
    deals = list(session.exec(query.order_by(Opportunity.id)).all())
    by_deal: dict[int, list[Attachment]] = {}
    for row in attachments_of_deals([d.id for d in deals], session=session):
        if row.kind == "contract":
            by_deal.setdefault(row.opportunity_id, []).append(row)
    missing, mismatched, compliant = [], [], 0
    for deal in deals:
        files = by_deal.get(deal.id)
        if not files:
            missing.append(deal.id)
            continue
        quote = approved_quote_of(deal, session=session)
        amount = contract_amount(files) or deal.amount
        if quote is None or (amount is not None and amount_matches(Decimal(amount), net_amount(quote))):
            compliant += 1
        else:
            mismatched.append(deal.id)
    return Compliance(len(deals), len(deals) - len(missing), compliant, tuple(missing), tuple(mismatched))


def contract_amount(files: list[Attachment]) -> Decimal | None:
    """The contract amount the latest of a deal's contract files records."""
    for row in reversed(files):
        try:
            return Decimal(str((row.fields or {}).get("amount")))
        except (InvalidOperation, TypeError, ValueError):
            continue
    return None
