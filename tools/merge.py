"""merge_accounts and unmerge_accounts: fold a duplicate account into the one that stays, and undo it.

A merge moves the duplicate's contacts, deals, visits, quotes and reminders to the account kept,
adds the duplicate's name and aliases to the kept account's aliases (so what reps call it still
resolves), fills the kept account's empty industry, region, phone and email from the duplicate,
and marks the duplicate `merged_into_id`. One audit entry (`merge`, on the duplicate) records every
id moved and every field filled, which is what `unmerge_accounts` reverses: rows that still sit on
the kept account go back, the added aliases and filled fields are removed, the duplicate is live
again. Rows changed since (a contact moved elsewhere by hand) are left where they are.

Both need the acting user to reach both accounts (`tools.permissions`). They are not offered to
the engines (CONTRACT.md has no merge); the console and the CLI call them by name.
"""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from sqlmodel import col, select

from storage.models import Account, AuditLog, Contact, Opportunity, Quote, Reminder, Visit
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.permissions import require_account
from tools.schemas import Args
from tools.values import ref

Id = Annotated[int, Field(gt=0)]
MOVED = {"contacts": Contact, "opportunities": Opportunity, "visits": Visit, "quotes": Quote,
         "reminders": Reminder}
FILLED = ("industry", "region", "phone", "email")


class MergeAccountsArgs(Args):
    keep: Id = Field(description="id of the account that stays")
    merge: Id = Field(description="id of the duplicate folded into it")


class UnmergeAccountsArgs(Args):
    audit_id: Id = Field(description="id of the merge's audit entry")


@tool(writes=True, offered=False)
def merge_accounts(ctx: ToolContext, args: MergeAccountsArgs) -> ToolResult:
    """Merge a duplicate account into the one kept: its contacts, deals, visits, quotes and reminders
    move, its names become aliases, and the merge is recorded so it can be undone."""
    if args.keep == args.merge:
        raise ToolError("merge_same_account", account=_live(ctx, args.keep).name)
    keep, dup = _live(ctx, args.keep), _live(ctx, args.merge)
    require_account(ctx, keep)
    require_account(ctx, dup)
    now = ctx.clock()
    moved: dict[str, list[int]] = {}
    for key, model in MOVED.items():
        rows = ctx.session.exec(select(model).where(model.account_id == dup.id).order_by(model.id)).all()
        for row in rows:
            row.account_id = keep.id
            if isinstance(row, Opportunity):
                row.updated_at = now
            ctx.session.add(row)
        moved[key] = [r.id for r in rows]
    known = {keep.name, *(keep.aliases or [])}
    added = [n for n in dict.fromkeys([dup.name, *(dup.aliases or [])]) if n not in known]
    keep.aliases = [*(keep.aliases or []), *added]
    filled = {f: getattr(dup, f) for f in FILLED if not getattr(keep, f) and getattr(dup, f)}
    for name, value in filled.items():
        setattr(keep, name, value)
    keep.updated_at = dup.updated_at = now
    dup.merged_into_id = keep.id
    ctx.session.add(keep)
    ctx.session.add(dup)
    ctx.session.flush()
    ctx.audit("merge", "account", dup.id, {"merged_into_id": None},
              {"merged_into_id": keep.id, "moved": moved, "aliases_added": added, "filled": filled})
    ctx.session.flush()
    return ToolResult("merge_accounts", {"kept": ref(keep), "merged": ref(dup),
                                         "moved": {k: len(v) for k, v in moved.items()},
                                         "aliases_added": added, "filled": sorted(filled)})


@tool(writes=True, offered=False)
def unmerge_accounts(ctx: ToolContext, args: UnmergeAccountsArgs) -> ToolResult:
    """Undo an account merge recorded in the audit log: the duplicate comes back with the rows
    that were moved, and the kept account loses the aliases and fields the merge gave it."""
    entry = ctx.session.get(AuditLog, args.audit_id)
    if entry is None or entry.action != "merge" or entry.entity != "account" or not entry.after:
        raise ToolError("merge_not_found", audit_id=args.audit_id)
    dup = ctx.session.get(Account, entry.entity_id)
    keep = ctx.session.get(Account, entry.after.get("merged_into_id"))
    if dup is None or keep is None:
        raise ToolError("merge_not_found", audit_id=args.audit_id)
    if dup.merged_into_id != keep.id or _undone(ctx, entry.id):
        raise ToolError("merge_already_undone", audit_id=args.audit_id)
    require_account(ctx, keep)
    require_account(ctx, dup)
    now = ctx.clock()
    returned: dict[str, list[int]] = {}
    for key, ids in (entry.after.get("moved") or {}).items():
        model = MOVED[key]
        rows = ctx.session.exec(select(model).where(col(model.id).in_(ids or [-1]),
                                                    model.account_id == keep.id)).all()
        for row in rows:
            row.account_id = dup.id
            if isinstance(row, Opportunity):
                row.updated_at = now
            ctx.session.add(row)
        returned[key] = sorted(r.id for r in rows)
    added = set(entry.after.get("aliases_added") or [])
    keep.aliases = [a for a in (keep.aliases or []) if a not in added]
    for name, value in (entry.after.get("filled") or {}).items():
        if getattr(keep, name) == value:
            setattr(keep, name, None)
    dup.merged_into_id = None
    keep.updated_at = dup.updated_at = now
    ctx.session.add(keep)
    ctx.session.add(dup)
    ctx.session.flush()
    ctx.audit("unmerge", "account", dup.id, {"merged_into_id": keep.id},
              {"merged_into_id": None, "merge_audit_id": entry.id, "returned": returned})
    ctx.session.flush()
    return ToolResult("unmerge_accounts", {"kept": ref(keep), "restored": ref(dup),
                                           "returned": {k: len(v) for k, v in returned.items()}})


def _live(ctx: ToolContext, account_id: int) -> Account:
    account = ctx.session.get(Account, account_id)
    if account is None or account.merged_into_id is not None:
        raise ToolError("account_not_found", account_id=account_id)
    return account


def _undone(ctx: ToolContext, merge_audit_id: int) -> bool:
    entries = ctx.session.exec(select(AuditLog).where(
        AuditLog.action == "unmerge", AuditLog.entity == "account")).all()
    return any((e.after or {}).get("merge_audit_id") == merge_audit_id for e in entries)


def merge_entry(entry: AuditLog) -> dict[str, Any] | None:
    """What a merge audit entry did, for listing it with an undo button; None for other entries."""
    if entry.action != "merge" or entry.entity != "account" or not entry.after:
        return None
    return {"audit_id": entry.id, "merged": entry.entity_id, "kept": entry.after.get("merged_into_id")}
