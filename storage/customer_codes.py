"""Customer numbers: every account gets one when it is first saved, from `CUSTOMER_CODE_FORMAT`.

The format is a Python format string over `seq` (the account's row id, so numbers never collide
across processes or databases) and `year` (the year the account was created), e.g. the default
`C{seq:06d}` → C000042, or `KH-{year}-{seq:05d}` → KH-2026-00042. A number, once given, is stored
and never recomputed: changing the format affects new accounts only. When a duplicate is merged
away its number becomes an alias of the account kept (`tools.merge`), so it still finds the customer.

The number is assigned in the same flush that inserts the account (an `after_insert` hook), so
every path that creates accounts (tools, fixture import, web, tests) gets one without asking.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm.attributes import set_committed_value

DEFAULT_FORMAT = "C{seq:06d}"
_format = DEFAULT_FORMAT


def check_format(fmt: str) -> str:
    """`fmt` if it formats a number; ValueError saying what is wrong otherwise."""
    if "{seq" not in fmt:
        raise ValueError("the format must contain {seq}, e.g. C{seq:06d}")
    try:
        sample = fmt.format(seq=1, year=2026)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"cannot format a number with it ({exc}); only {{seq}} and {{year}} are known") from None
    if not sample.strip() or len(sample) > 40:
        raise ValueError("a number must be 1 to 40 characters long")
    return fmt


def configure(fmt: str) -> None:
    """Use `fmt` for accounts created from now on in this process (settings call this at start)."""
    global _format
    _format = check_format(fmt)


def code_for(seq: int, created: datetime | None = None, fmt: str | None = None) -> str:
    return (fmt or _format).format(seq=seq, year=(created or datetime.now()).year)


def install(account_model) -> None:
    """Register the hook that numbers new rows of `account_model` (called once, by storage.models)."""
    table = account_model.__table__

    @event.listens_for(account_model, "after_insert")
    def _number(mapper, connection, target) -> None:  # noqa: ARG001 (SQLAlchemy's signature)
        if target.customer_code:
            return
        code = code_for(target.id, target.created_at)
        connection.execute(sa.update(table).where(table.c.id == target.id).values(customer_code=code))
        set_committed_value(target, "customer_code", code)
