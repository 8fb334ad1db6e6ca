"""Flat exports of CRM records for BI and ERP tools (`salesbot export`).

`export_rows(kind)` gives one flat dict per row, in id order, with the columns of `COLUMNS[kind]`:
ids next to human names (account, owner or rep, contacts), dates as `YYYY-MM-DD`, timestamps as
ISO 8601 in UTC with their offset, money and percentages as exact decimal strings ("1280000.50")
beside their currency, lists as lists and missing values as None. `write_export` writes the rows
as JSON Lines (UTF-8, non-ASCII kept) or as CSV with a header row, lists joined with "; " and None
as an empty cell; `write_binary_export` writes XLSX (openpyxl, one sheet) or Parquet (pyarrow,
typed columns: integers, dates, UTC timestamps, exact decimals, lists of strings). Rows are read in
batches, so an export of any size runs in bounded memory. `where` narrows an export to the rows a
user may see (`tools.records` builds it); `flatten` gives the same records for rows already read.

CSV cells that a spreadsheet would run as a formula (starting with `=`, `@`, or `+`/`-` when not a
number or phone number) get a leading `'`; JSON Lines are written as stored.
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timezone
from functools import cached_property
from decimal import Decimal
from enum import Enum
from typing import Any, BinaryIO, TextIO

from sqlmodel import Session, SQLModel, select

from storage.models import (
    Account, Attachment, Contact, Lead, LeadEvent, Opportunity, Quote, Reminder, User, Visit, VisitContact,
)

KINDS = ("visits", "opportunities", "quotes", "reminders", "accounts", "contacts", "attachments", "leads")
FORMATS = ("jsonl", "csv")
BINARY_FORMATS = ("xlsx", "parquet")
DATE_COLUMNS = frozenset({"occurred_on", "next_step_due", "expected_close", "closed_on", "signed_on"})
TIME_COLUMNS = frozenset({"created_at", "updated_at", "requested_at", "decided_at", "due_at", "delivered_at",
                          "uploaded_at", "assigned_at", "contact_due", "contacted_at", "converted_at"})
DECIMAL_COLUMNS = frozenset({"amount", "discount_pct"})
LIST_COLUMNS = frozenset({"contacts", "objections", "aliases", "sources", "history"})
LIST_SEPARATOR = "; "
BATCH = 500

COLUMNS: dict[str, tuple[str, ...]] = {
    "visits": (
        "id", "occurred_on", "account_id", "account_name", "opportunity_id", "opportunity_name",
        "rep_id", "rep_name", "channel", "contacts", "summary", "objections", "next_step",
        "next_step_due", "source", "created_at",
    ),
    "opportunities": (
        "id", "name", "account_id", "account_name", "owner_id", "owner_name", "stage", "amount",
        "currency", "expected_close", "closed_on", "lost_reason", "competitor", "created_at",
        "updated_at",
    ),
    "quotes": (
        "id", "account_id", "account_name", "opportunity_id", "opportunity_name", "amount", "currency",
        "discount_pct", "product", "note", "status", "requested_by", "requested_by_name",
        "required_role", "approver_id", "approver_name", "requested_at", "decided_at", "comment",
    ),
    "reminders": (
        "id", "user_id", "user_name", "account_id", "account_name", "text", "due_at", "timezone",
        "status", "kind", "visit_id", "delivered_at", "created_at",
    ),
    "accounts": (
        "id", "customer_code", "name", "aliases", "industry", "region", "phone", "email", "owner_id", "owner_name",
        "contacts", "merged_into_id", "created_at", "updated_at",
    ),
    "contacts": (
        "id", "name", "aliases", "title", "phone", "email", "account_id", "account_name", "created_at",
    ),
    "attachments": (
        "id", "kind", "name", "mime", "bytes", "pages", "sha256", "account_id", "account_name",
        "opportunity_id", "opportunity_name", "uploaded_by", "uploaded_by_name", "uploaded_at",
        "contract_no", "amount", "currency", "signed_on",
    ),
    "leads": (
        "id", "company", "contact", "phone", "email", "region", "industry", "source", "sources", "note",
        "credit_code", "status", "disqualified_reason", "owner_id", "owner_name", "account_id",
        "account_name", "assigned_at", "contact_due", "contacted_at", "converted_at", "created_at",
        "updated_at", "history",
    ),
}


class ExportError(ValueError):
    pass


def export_rows(kind: str, *, session: Session, where: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    """One flat record per row of `kind` (one of `KINDS`) matching `where`, in id order; see the
    module docstring.

    Raises `ExportError` at once for an unknown kind, before anything is read.
    """
    _check_kind(kind)
    return _rows(kind, session, where)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ExportError(f"unknown export kind {kind!r}; choose one of {', '.join(KINDS)}")


def model_of(kind: str) -> type[SQLModel]:
    _check_kind(kind)
    return _BUILDERS[kind][0]


def flatten(kind: str, rows: Sequence[Any], *, session: Session) -> list[dict[str, Any]]:
    """The export records of `rows` (table rows of `kind`), in the given order."""
    _check_kind(kind)
    if not rows:
        return []
    users = _names(session, User, {getattr(r, c, None) for r in rows for c in _USER_COLUMNS})
    accounts = _names(session, Account, {getattr(r, "account_id", None) for r in rows}
                      | ({r.id for r in rows} if kind == "accounts" else set()))
    context = _Context(session, users, accounts, rows)
    return [_record(kind, row, context) for row in rows]


_USER_COLUMNS = ("owner_id", "rep_id", "user_id", "requested_by", "approver_id", "uploaded_by")


def _names(session: Session, model: type[SQLModel], ids: set[Any]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.exec(select(model.id, model.name).where(model.id.in_(wanted))).all())


def write_export(kind: str, fmt: str, out: TextIO, *, session: Session, where: Sequence[Any] = ()) -> int:
    """Write every row of `kind` to `out` as `fmt` ("jsonl" or "csv"); return the number of rows.

    `out` should be a text stream opened with encoding="utf-8" (and newline="" for CSV files, as
    the csv module asks). Raises `ExportError` for an unknown kind or format before writing.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows = export_rows(kind, session=session, where=where)
    count = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(out)
    writer.writerow(COLUMNS[kind])
    for row in rows:
        writer.writerow([_csv_cell(row[column]) for column in COLUMNS[kind]])
        count += 1
    return count


def write_binary_export(kind: str, fmt: str, out: BinaryIO, *, session: Session,
                        where: Sequence[Any] = ()) -> int:
    """Write the rows of `kind` to the binary stream `out` as `fmt` ("xlsx" or "parquet"); return
    the number of rows. XLSX cells keep numbers and dates typed, and text a spreadsheet would run
    as a formula gets a leading `'` as in CSV."""
    if fmt not in BINARY_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(BINARY_FORMATS)}")
    rows = export_rows(kind, session=session, where=where)
    if fmt == "xlsx":
        return _write_xlsx(kind, rows, out)
    return _write_parquet(kind, rows, out)


def _write_xlsx(kind: str, rows: Iterator[dict[str, Any]], out: BinaryIO) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind)
    sheet.append(list(COLUMNS[kind]))
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(column, row[column]) for column in COLUMNS[kind]])
        count += 1
    book.save(out)
    return count


def _xlsx_cell(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in DATE_COLUMNS:
        return date.fromisoformat(value)
    if column in TIME_COLUMNS:  # Excel has no time zones: UTC wall-clock time
        return datetime.fromisoformat(value).astimezone(timezone.utc).replace(tzinfo=None)
    if column in DECIMAL_COLUMNS:
        return Decimal(value)
    if isinstance(value, (bool, int)):
        return value
    return _csv_cell(value)


def _write_parquet(kind: str, rows: Iterator[dict[str, Any]], out: BinaryIO) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, _arrow_type(pa, c)) for c in COLUMNS[kind]])
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append({c: _arrow_value(c, row[c]) for c in COLUMNS[kind]})
            count += 1
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def _arrow_type(pa, column: str):
    if column in ("id", "requested_by", "uploaded_by", "bytes", "pages") or column.endswith("_id"):
        return pa.int64()
    if column in DATE_COLUMNS:
        return pa.date32()
    if column in TIME_COLUMNS:
        return pa.timestamp("us", tz="UTC")
    if column in DECIMAL_COLUMNS:
        return pa.decimal128(20, 2)
    if column in LIST_COLUMNS:
        return pa.list_(pa.string())
    return pa.string()


def _arrow_value(column: str, value: Any) -> Any:
    if value is None:
        return None
    if column in DATE_COLUMNS:
        return date.fromisoformat(value)
    if column in TIME_COLUMNS:
        return datetime.fromisoformat(value)
    if column in DECIMAL_COLUMNS:
        return Decimal(value)
    return value


# --- reading --------------------------------------------------------------------------------------


def _rows(kind: str, session: Session, where: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    users = dict(session.exec(select(User.id, User.name)).all())
    accounts = dict(session.exec(select(Account.id, Account.name)).all())
    model = _BUILDERS[kind][0]
    for batch in _batches(session, model, where):
        context = _Context(session, users, accounts, batch)
        for row in batch:
            yield _record(kind, row, context)


def _record(kind: str, row: Any, context: _Context) -> dict[str, Any]:
    derived = _BUILDERS[kind][1](row, context)
    return {column: _plain(derived[column] if column in derived else getattr(row, column))
            for column in COLUMNS[kind]}


def _batches(session: Session, model: type[SQLModel], where: Sequence[Any] = ()) -> Iterator[Sequence[Any]]:
    """Keyset pages by id: works alike on SQLite and PostgreSQL and holds one page at a time."""
    last = 0
    while True:
        page = session.exec(select(model).where(model.id > last, *where).order_by(model.id).limit(BATCH)).all()
        if not page:
            return
        yield page
        last = page[-1].id


class _Context:
    """Names the rows of one batch refer to, fetched once per batch."""

    def __init__(self, session: Session, users: dict[int, str], accounts: dict[int, str],
                 batch: Sequence[Any]) -> None:
        self.session, self.users, self.accounts, self.batch = session, users, accounts, batch

    def user(self, user_id: int | None) -> str | None:
        return self.users.get(user_id) if user_id is not None else None

    def account(self, account_id: int | None) -> str | None:
        return self.accounts.get(account_id) if account_id is not None else None

    @cached_property
    def opportunities(self) -> dict[int, str]:
        ids = {r.opportunity_id for r in self.batch if r.opportunity_id is not None}
        if not ids:
            return {}
        return dict(self.session.exec(
            select(Opportunity.id, Opportunity.name).where(Opportunity.id.in_(ids))).all())

    @cached_property
    def visit_contacts(self) -> dict[int, list[str]]:
        pairs = self.session.exec(
            select(VisitContact.visit_id, Contact.name)
            .join(Contact, Contact.id == VisitContact.contact_id)
            .where(VisitContact.visit_id.in_([r.id for r in self.batch]))
            .order_by(VisitContact.visit_id, Contact.id)
        ).all()
        return _group(pairs)

    @cached_property
    def lead_history(self) -> dict[int, list[str]]:
        events = self.session.exec(
            select(LeadEvent).where(LeadEvent.lead_id.in_([r.id for r in self.batch]))
            .order_by(LeadEvent.lead_id, LeadEvent.id)).all()
        return _group([(e.lead_id, _lead_step(e, self)) for e in events])

    @cached_property
    def account_contacts(self) -> dict[int, list[str]]:
        pairs = self.session.exec(
            select(Contact.account_id, Contact.name)
            .where(Contact.account_id.in_([r.id for r in self.batch]))
            .order_by(Contact.account_id, Contact.id)
        ).all()
        return _group(pairs)


def _group(pairs: Sequence[tuple[int, str]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = {}
    for key, name in pairs:
        grouped.setdefault(key, []).append(name)
    return grouped


# Each builder gives the columns that are not the row's own attributes (names, lists, formats).


def _visit(v: Visit, ctx: _Context) -> dict[str, Any]:
    return {"account_name": ctx.account(v.account_id), "opportunity_name": ctx.opportunities.get(v.opportunity_id),
            "rep_name": ctx.user(v.rep_id), "contacts": ctx.visit_contacts.get(v.id, []),
            "objections": list(v.objections or [])}


def _opportunity(o: Opportunity, ctx: _Context) -> dict[str, Any]:
    return {"account_name": ctx.account(o.account_id), "owner_name": ctx.user(o.owner_id)}


def _quote(q: Quote, ctx: _Context) -> dict[str, Any]:
    return {"discount_pct": Decimal(str(q.discount_pct)).quantize(Decimal("0.01")),
            "account_name": ctx.account(q.account_id), "opportunity_name": ctx.opportunities.get(q.opportunity_id),
            "requested_by_name": ctx.user(q.requested_by), "approver_name": ctx.user(q.approver_id)}


def _reminder(r: Reminder, ctx: _Context) -> dict[str, Any]:
    return {"user_name": ctx.user(r.user_id), "account_name": ctx.account(r.account_id)}


def _account(a: Account, ctx: _Context) -> dict[str, Any]:
    return {"aliases": list(a.aliases or []), "owner_name": ctx.user(a.owner_id),
            "contacts": ctx.account_contacts.get(a.id, [])}


def _contact(c: Contact, ctx: _Context) -> dict[str, Any]:
    return {"aliases": list(c.aliases or []), "account_name": ctx.account(c.account_id)}


def _attachment(a: Attachment, ctx: _Context) -> dict[str, Any]:
    read = a.fields or {}
    amount = read.get("amount")
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01")) if amount not in (None, "") else None
    except ArithmeticError:
        amount = None
    return {"account_name": ctx.account(a.account_id), "opportunity_name": ctx.opportunities.get(a.opportunity_id),
            "uploaded_by_name": ctx.user(a.uploaded_by), "contract_no": read.get("contract_no"),
            "amount": amount, "currency": read.get("currency"), "signed_on": read.get("signed_on") or None}


def _lead(lead: Lead, ctx: _Context) -> dict[str, Any]:
    return {"sources": list(lead.sources or []), "owner_name": ctx.user(lead.owner_id),
            "account_name": ctx.account(lead.account_id), "history": ctx.lead_history.get(lead.id, [])}


def _lead_step(e: LeadEvent, ctx: _Context) -> str:
    """One history step as text: '2026-11-25T02:00:00+00:00 assigned new→assigned by 王磊 owner 李娜 (rule)'."""
    parts = [e.at.isoformat(), e.action]
    if e.to_status and e.from_status != e.to_status:
        parts.append(f"{e.from_status or ''}→{e.to_status}")
    parts.append(f"by {ctx.user(e.actor_id) or 'system'}")
    if e.owner_id is not None:
        parts.append(f"owner {ctx.user(e.owner_id)}")
    if e.detail:
        parts.append(f"({e.detail})")
    return " ".join(parts)


_BUILDERS: dict[str, tuple[type[SQLModel], Callable[[Any, _Context], dict[str, Any]]]] = {
    "visits": (Visit, _visit),
    "opportunities": (Opportunity, _opportunity),
    "quotes": (Quote, _quote),
    "reminders": (Reminder, _reminder),
    "accounts": (Account, _account),
    "contacts": (Contact, _contact),
    "attachments": (Attachment, _attachment),
    "leads": (Lead, _lead),
}


# --- values -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-ready value: ISO dates and times, exact decimal strings, enum values."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


_NUMBER_OR_PHONE = re.compile(r"[+-]?[\d\s().-]+")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = LIST_SEPARATOR.join(str(v) for v in value) if isinstance(value, list) else str(value)
    risky = text[:1] in ("=", "@", "\t", "\r") or (
        text[:1] in ("+", "-") and not _NUMBER_OR_PHONE.fullmatch(text))
    if risky:
        return "'" + text
    return text
