"""CRM records as lists and details for the console, the REST API and exports, within the acting
user's reach (`tools.permissions`): a rep sees their own, a manager their team, an admin everything.

Who reaches a row, per kind:
- accounts and opportunities: their owner;
- contacts: their account's owner;
- visits: the rep who made it or the account's owner;
- quotes: the requester or the account's owner (as `can_see_quote`);
- reminders: the user reminded;
- attachments: their account's owner (who may see a file is who may see its account).

`updated_since` (incremental sync) keeps rows whose own timestamps (created, updated, decided,
delivered) or any audit-log entry about them are at or after the instant, so a contact moved by a
merge or a reminder handed over shows up although the row has no `updated_at`. Records are the
flat, JSON-ready dicts of `storage.export`, the same a CSV or Parquet export holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select

from storage.export import flatten, model_of
from storage.models import Account, Attachment, AuditLog, Contact, Lead, Opportunity, Quote, Reminder, Visit
from tools.base import ToolContext, ToolError
from tools.permissions import team_reach

ENTITY = {"accounts": "account", "contacts": "contact", "opportunities": "opportunity",
          "visits": "visit", "quotes": "quote", "reminders": "reminder", "attachments": "attachment",
          "leads": "lead"}
TIMESTAMPS = {"accounts": ("created_at", "updated_at"), "contacts": ("created_at",),
              "opportunities": ("created_at", "updated_at"), "visits": ("created_at",),
              "quotes": ("requested_at", "decided_at"), "reminders": ("created_at", "delivered_at"),
              "attachments": ("uploaded_at",), "leads": ("created_at", "updated_at")}
MAX_LIMIT = 500


@dataclass(frozen=True)
class Filters:
    """What a list asks for; every field is optional. `owner_id` means the owner, rep, requester
    or reminded user depending on the kind; `q` searches names (accounts, contacts, deals)."""

    updated_since: datetime | None = None
    owner_id: int | None = None
    account_id: int | None = None
    stage: str | None = None
    status: str | None = None
    q: str | None = None
    since: date | None = None  # visits on or after
    until: date | None = None  # visits before
    include_merged: bool = False


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    offset: int
    limit: int
    extra: dict[str, Any] = field(default_factory=dict)


def reach_clauses(ctx: ToolContext, kind: str) -> list[Any]:
    """SQL conditions limiting `kind` to what the acting user reaches (none for an admin)."""
    reach = team_reach(ctx)
    if reach.everyone:
        return []
    ids = sorted(reach.user_ids)
    owned_accounts = select(Account.id).where(col(Account.owner_id).in_(ids))
    if kind in ("accounts", "opportunities"):
        return [col(model_of(kind).owner_id).in_(ids)]
    if kind == "contacts":
        return [col(Contact.account_id).in_(owned_accounts)]
    if kind == "visits":
        return [sa.or_(col(Visit.rep_id).in_(ids), col(Visit.account_id).in_(owned_accounts))]
    if kind == "quotes":
        return [sa.or_(col(Quote.requested_by).in_(ids), col(Quote.account_id).in_(owned_accounts))]
    if kind == "attachments":
        return [col(Attachment.account_id).in_(owned_accounts)]
    if kind == "leads":
        return [sa.or_(col(Lead.owner_id).in_(ids), col(Lead.account_id).in_(owned_accounts))]
    return [col(Reminder.user_id).in_(ids)]


def filter_clauses(kind: str, filters: Filters) -> list[Any]:
    model = model_of(kind)
    out: list[Any] = []
    if kind == "accounts" and not filters.include_merged:
        out.append(col(Account.merged_into_id).is_(None))
    if filters.updated_since is not None:
        since = filters.updated_since
        touched = select(AuditLog.entity_id).where(AuditLog.entity == ENTITY[kind], AuditLog.at >= since)
        out.append(sa.or_(*(getattr(model, c) >= since for c in TIMESTAMPS[kind]),
                          col(model.id).in_(touched)))
    if filters.owner_id is not None:
        column = {"accounts": Account.owner_id, "opportunities": Opportunity.owner_id,
                  "visits": Visit.rep_id, "quotes": Quote.requested_by, "reminders": Reminder.user_id,
                  "attachments": Attachment.uploaded_by,
                  "leads": Lead.owner_id, "contacts": None}[kind]
        if column is None:
            out.append(col(Contact.account_id).in_(select(Account.id).where(Account.owner_id == filters.owner_id)))
        else:
            out.append(column == filters.owner_id)
    if filters.account_id is not None:
        out.append((Account.id if kind == "accounts" else model.account_id) == filters.account_id)
    if filters.stage and kind == "opportunities":
        out.append(Opportunity.stage == filters.stage)
    if filters.status and kind in ("quotes", "reminders", "leads"):
        out.append(model.status == filters.status)
    if filters.since is not None and kind == "visits":
        out.append(Visit.occurred_on >= filters.since)
    if filters.until is not None and kind == "visits":
        out.append(Visit.occurred_on < filters.until)
    if filters.q and kind in ("accounts", "contacts", "opportunities"):
        out.append(col(model.name).contains(filters.q.strip()))
    return out


def list_records(ctx: ToolContext, kind: str, filters: Filters = Filters(), *, offset: int = 0,
                 limit: int = 50) -> Page:
    """One page of `kind` in id order, with the total matching count."""
    model = model_of(kind)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    where = reach_clauses(ctx, kind) + filter_clauses(kind, filters)
    total = ctx.session.exec(select(func.count()).select_from(model).where(*where)).one()
    rows = ctx.session.exec(select(model).where(*where).order_by(model.id).offset(offset).limit(limit)).all()
    return Page(flatten(kind, list(rows), session=ctx.session), int(total), offset, limit)


def get_record(ctx: ToolContext, kind: str, record_id: int) -> dict[str, Any]:
    """One record the acting user reaches; `record_not_found` for a missing id and for another
    team's alike, so ids do not reveal what exists elsewhere."""
    model = model_of(kind)
    row = ctx.session.exec(select(model).where(model.id == record_id, *reach_clauses(ctx, kind))).first()
    if row is None:
        raise ToolError("record_not_found", kind=kind, id=record_id)
    return flatten(kind, [row], session=ctx.session)[0]


def export_where(ctx: ToolContext, kind: str, filters: Filters = Filters()) -> list[Any]:
    """The `where` of `storage.export` for what the acting user may export."""
    return reach_clauses(ctx, kind) + filter_clauses(kind, filters)
