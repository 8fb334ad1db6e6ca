"""How tools put values into `ToolResult.data`: JSON-ready, so a result can be stored on a draft
row and rendered later without the database.

- money: `{"amount": "800000.00", "currency": "CNY"}` (Decimal as a string, never a float);
  sums over several currencies are a list of those, the default currency first;
- dates: ISO `YYYY-MM-DD`; instants: ISO with the user's UTC offset;
- rows: `{"id": ..., "name": ...}` references.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from storage.models import Account, Contact, Opportunity, Quote, Stage, User

CENT = Decimal("0.01")


def money(amount: Decimal | None, currency: str) -> dict[str, str] | None:
    if amount is None:
        return None
    return {"amount": str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)), "currency": currency}


def money_list(by_currency: Mapping[str, Decimal], default_currency: str) -> list[dict[str, str]]:
    """Per-currency sums, the default currency first, then alphabetically."""
    order = sorted(by_currency, key=lambda c: (c != default_currency, c))
    return [money(by_currency[c], c) for c in order]


def sum_by_currency(pairs: Iterable[tuple[Decimal | None, str]]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for amount, currency in pairs:
        if amount is not None:
            sums[currency] = sums.get(currency, Decimal(0)) + Decimal(amount)
    return sums


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def local_instant(value: datetime | None, tz: ZoneInfo) -> str | None:
    return value.astimezone(tz).isoformat(timespec="minutes") if value is not None else None


def ref(row: Account | User | Contact | Opportunity | None) -> dict[str, Any] | None:
    return {"id": row.id, "name": row.name} if row is not None else None


def deal_summary(deal: Opportunity) -> dict[str, Any]:
    return {"id": deal.id, "name": deal.name, "stage": Stage(deal.stage).value,
            "amount": money(deal.amount, deal.currency), "expected_close": day(deal.expected_close),
            "closed_on": day(deal.closed_on), "owner_id": deal.owner_id}


def quote_summary(quote: Quote, account: Account | None, requester: User | None,
                  tz: ZoneInfo) -> dict[str, Any]:
    return {"id": quote.id, "account": ref(account), "amount": money(quote.amount, quote.currency),
            "discount_pct": _plain(quote.discount_pct), "product": quote.product, "note": quote.note,
            "status": str(quote.status), "requested_by": ref(requester),
            "requested_at": local_instant(quote.requested_at, tz),
            "required_role": str(quote.required_role), "opportunity_id": quote.opportunity_id,
            "comment": quote.comment}


def _plain(value: Decimal | None) -> str | None:
    """A Decimal without trailing zeros: 18.00 → '18', 12.50 → '12.5'."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return text


def ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None
