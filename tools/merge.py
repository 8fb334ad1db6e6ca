"""merge_accounts and unmerge_accounts: one record per customer, and the way back.

A merge folds a duplicate account into the one kept:
- its contacts, deals, visits, quotes, reminders and contract files (every family listed in `MOVED`)
  move to the account kept; a contact who is the same person as one of the kept account's
  (same name after spacing and case, or the same phone or email) is merged into that contact —
  visits that named them name the kept contact, their names become its aliases, its empty
  title/phone/email are filled — instead of appearing twice;
- the duplicate's name, aliases and customer number become aliases of the account kept, so later
  messages that name them reach it; the kept account's empty industry, region, phone and email
  are filled from the duplicate;
- fields both accounts have with different values are *conflicts*: the kept account's value stays,
  and the result lists them so the card and the CLI show what was not taken;
- the duplicate is marked `merged_into_id` and leaves every list and the name directory.

One audit entry (`merge`, on the duplicate) records every id moved, every contact merged (its
whole row), every alias added and field filled: the before-state `unmerge_accounts` restores.
Undoing puts moved rows back (those still on the kept account), re-creates merged contacts with
their ids and visit links, removes what was added and filled, and makes the duplicate live again;
a row changed by hand since (moved elsewhere) is left where it is. Timestamps used for
incremental sync (`updated_at`) are set to the time of the undo, not rewound.

Only managers (for accounts of their team) and admins merge or unmerge; a rep is refused with a
reason. Neither is offered to the engines as a contract tool; the rules engine proposes
`merge_accounts` for "把蓝鲸数据科技和蓝鲸数据合并" and the card shows the dry run before anything moves.
"""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from sqlmodel import SQLModel, col, func, select

from storage.models import (
    Account, Attachment, AuditLog, Contact, Lead, Opportunity, Quote, Reminder, Role, Visit, VisitContact,
)
from storage.names import fold
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.permissions import require_account, role_of
from tools.resolve import find_account
from tools.schemas import Args
from tools.values import ref

Id = Annotated[int, Field(gt=0)]
AccountKey = Annotated[int | str, Field(description="account id, CRM name or customer number")]
# every family that belongs to an account and moves with it: result key → model with `account_id`
MOVED: dict[str, type[SQLModel]] = {
    "contacts": Contact, "visits": Visit, "opportunities": Opportunity, "quotes": Quote, "reminders": Reminder,
    "attachments": Attachment, "leads": Lead,
}
# rows that name a contact: when a contact is merged into the same person's, they name that one
CONTACT_REFS: dict[str, type[SQLModel]] = {"leads": Lead}
FILLED = ("industry", "region", "phone", "email")
CONFLICTING = ("owner_id", *FILLED)
CONTACT_FIELDS = ("title", "phone", "email")


class MergeAccountsArgs(Args):
    keep: AccountKey = Field(description="the account that stays: id, name or customer number")
    merge: AccountKey = Field(description="the duplicate folded into it: id, name or customer number")
    pick_keep: bool = Field(False, description="the user named both without saying which stays: keep the one "
                                               "with more deals, visits and contacts (the older on a tie)")


class UnmergeAccountsArgs(Args):
    audit_id: Id = Field(description="the merge's id (its audit entry)")


@tool(writes=True, offered=False)
def merge_accounts(ctx: ToolContext, args: MergeAccountsArgs) -> ToolResult:
    """Merge a duplicate account into the one kept: its contacts, deals, visits, quotes and reminders
    move, the same person's contacts become one, its names and number become aliases, and the
    merge is recorded so it can be undone."""
    _require_merger(ctx)
    keep, dup = _account(ctx, args.keep), _account(ctx, args.merge)
    if keep.id == dup.id:
        raise ToolError("merge_same_account", account=keep.name)
    if args.pick_keep and _weight(ctx, dup) > _weight(ctx, keep):
        keep, dup = dup, keep
    require_account(ctx, keep)
    require_account(ctx, dup)
    now = ctx.clock()
    conflicts = [{"field": f, "keep": getattr(keep, f), "merge": getattr(dup, f)} for f in CONFLICTING
                 if getattr(keep, f) and getattr(dup, f) and getattr(keep, f) != getattr(dup, f)]
    folded, contact_conflicts = _fold_contacts(ctx, keep, dup)
    moved: dict[str, list[int]] = {}
    for key, model in MOVED.items():
        rows = ctx.session.exec(select(model).where(model.account_id == dup.id).order_by(model.id)).all()
        for row in rows:
            row.account_id = keep.id
            if hasattr(row, "updated_at"):
                row.updated_at = now
            ctx.session.add(row)
        moved[key] = [r.id for r in rows]
    known = {keep.name, keep.customer_code, *(keep.aliases or [])}
    added = [n for n in dict.fromkeys([dup.name, *(dup.aliases or []), dup.customer_code]) if n and n not in known]
    keep.aliases = [*(keep.aliases or []), *added]
    filled = {f: getattr(dup, f) for f in FILLED if not getattr(keep, f) and getattr(dup, f)}
    for name, value in filled.items():
        setattr(keep, name, value)
    keep.updated_at = dup.updated_at = now
    dup.merged_into_id = keep.id
    ctx.session.add(keep)
    ctx.session.add(dup)
    ctx.session.flush()
    entry = ctx.audit("merge", "account", dup.id, {"merged_into_id": None},
                      {"merged_into_id": keep.id, "moved": moved, "aliases_added": added, "filled": filled,
                       "contacts_merged": folded, "conflicts": conflicts + contact_conflicts})
    ctx.session.flush()
    return ToolResult("merge_accounts", {
        "merge_id": entry.id, "kept": _ref(keep), "merged": _ref(dup),
        "moved": {k: len(v) for k, v in moved.items()} | {"contacts": len(moved["contacts"]) + len(folded)},
        "contacts_merged": [{"name": f["row"]["name"], "into": f["into_name"]} for f in folded],
        "aliases_added": added, "filled": sorted(filled), "conflicts": conflicts + contact_conflicts})


@tool(writes=True, offered=False)
def unmerge_accounts(ctx: ToolContext, args: UnmergeAccountsArgs) -> ToolResult:
    """Undo an account merge recorded in the audit log: the duplicate comes back with the rows
    and contacts that were moved or merged, and the kept account loses the aliases and fields the
    merge gave it."""
    _require_merger(ctx)
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
        model = MOVED.get(key)
        if model is None or not ids:
            returned[key] = []
            continue
        rows = ctx.session.exec(select(model).where(col(model.id).in_(ids), model.account_id == keep.id)).all()
        for row in rows:
            row.account_id = dup.id
            if hasattr(row, "updated_at"):
                row.updated_at = now
            ctx.session.add(row)
        returned[key] = sorted(r.id for r in rows)
    restored = _unfold_contacts(ctx, keep, dup, entry.after.get("contacts_merged") or [])
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
              {"merged_into_id": None, "merge_audit_id": entry.id, "returned": returned,
               "contacts_restored": restored})
    ctx.session.flush()
    counts = {k: len(v) for k, v in returned.items()}
    counts["contacts"] = counts.get("contacts", 0) + len(restored)
    return ToolResult("unmerge_accounts", {"merge_id": entry.id, "kept": _ref(keep), "restored": _ref(dup),
                                           "returned": counts})


def _require_merger(ctx: ToolContext) -> None:
    if role_of(ctx.user) is Role.rep:
        raise ToolError("merge_needs_manager")


def _account(ctx: ToolContext, key: int | str) -> Account:
    """A live account by id, exact customer number, or name as the directory resolves it."""
    if isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit()):
        return _live(ctx, int(key))
    text = key.strip()
    by_code = ctx.session.exec(select(Account).where(Account.customer_code == text)).first()
    if by_code is not None:
        return _live(ctx, by_code.id)
    return _live(ctx, find_account(ctx, text).id)


def _live(ctx: ToolContext, account_id: int) -> Account:
    account = ctx.session.get(Account, account_id)
    if account is None or account.merged_into_id is not None:
        raise ToolError("account_not_found", account_id=account_id)
    return account


def _weight(ctx: ToolContext, account: Account) -> tuple[int, int]:
    """How much history an account carries (more is kept), the older winning a tie."""
    rows = sum(ctx.session.exec(select(func.count()).select_from(model).where(model.account_id == account.id)).one()
               for model in (Opportunity, Visit, Contact))
    return rows, -account.id


def _same_person(a: Contact, b: Contact) -> bool:
    names_a = {fold(n).replace(" ", "") for n in (a.name, *(a.aliases or []))}
    names_b = {fold(n).replace(" ", "") for n in (b.name, *(b.aliases or []))}
    return bool(names_a & names_b) or any(
        getattr(a, f) and getattr(b, f) and _plain(getattr(a, f)) == _plain(getattr(b, f)) for f in ("phone", "email"))


def _plain(value: str) -> str:
    return "".join(ch for ch in value.casefold() if ch.isalnum() or ch in "@.")


def _fold_contacts(ctx: ToolContext, keep: Account, dup: Account) -> tuple[list[dict], list[dict]]:
    """Merge each of `dup`'s contacts who is the same person as one of `keep`'s into that contact;
    return what the audit needs to undo it, and the contact fields that disagreed."""
    kept = ctx.session.exec(select(Contact).where(Contact.account_id == keep.id).order_by(Contact.id)).all()
    theirs = ctx.session.exec(select(Contact).where(Contact.account_id == dup.id).order_by(Contact.id)).all()
    folded: list[dict] = []
    conflicts: list[dict] = []
    for contact in theirs:
        into = next((k for k in kept if _same_person(k, contact)), None)
        if into is None:
            continue
        links = ctx.session.exec(select(VisitContact).where(VisitContact.contact_id == contact.id)).all()
        already = {v.visit_id for v in ctx.session.exec(
            select(VisitContact).where(VisitContact.contact_id == into.id)).all()}
        relinked = [link.visit_id for link in links if link.visit_id not in already]
        renamed: dict[str, list[int]] = {}
        for key, model in CONTACT_REFS.items():
            rows = ctx.session.exec(select(model).where(model.contact_id == contact.id)).all()
            for row in rows:
                row.contact_id = into.id
                ctx.session.add(row)
            renamed[key] = [r.id for r in rows]
        ctx.session.flush()  # before the contact goes: no foreign key may still point at it
        for link in links:
            ctx.session.delete(link)
        ctx.session.flush()
        for visit_id in relinked:
            ctx.session.add(VisitContact(visit_id=visit_id, contact_id=into.id))
        names = {into.name, *(into.aliases or [])}
        added = [n for n in dict.fromkeys([contact.name, *(contact.aliases or [])]) if n not in names]
        into.aliases = [*(into.aliases or []), *added]
        filled = {f: getattr(contact, f) for f in CONTACT_FIELDS if not getattr(into, f) and getattr(contact, f)}
        for name, value in filled.items():
            setattr(into, name, value)
        conflicts += [{"field": f"contact.{f}", "contact": into.name, "keep": getattr(into, f),
                       "merge": getattr(contact, f)} for f in CONTACT_FIELDS
                      if f not in filled and getattr(into, f) and getattr(contact, f)
                      and getattr(into, f) != getattr(contact, f)]
        ctx.session.add(into)
        row = contact.model_dump(mode="json")
        folded.append({"row": row, "into": into.id, "into_name": into.name, "visits": [l.visit_id for l in links],
                       "relinked": relinked, "aliases_added": added, "filled": filled, "named_by": renamed})
        ctx.session.delete(contact)
        ctx.session.flush()
    return folded, conflicts


def _unfold_contacts(ctx: ToolContext, keep: Account, dup: Account, folded: list[dict]) -> list[int]:
    """Re-create the contacts a merge folded, with their ids, fields and visit links."""
    restored: list[int] = []
    for item in folded:
        row = dict(item["row"])
        contact = Contact.model_validate(row | {"account_id": dup.id})
        if ctx.session.get(Contact, contact.id) is not None:
            continue
        ctx.session.add(contact)
        ctx.session.flush()
        into = ctx.session.get(Contact, item["into"])
        if into is not None:
            added = set(item.get("aliases_added") or [])
            into.aliases = [a for a in (into.aliases or []) if a not in added]
            for name, value in (item.get("filled") or {}).items():
                if getattr(into, name) == value:
                    setattr(into, name, None)
            for visit_id in item.get("relinked") or []:
                link = ctx.session.get(VisitContact, (visit_id, into.id))
                if link is not None:
                    ctx.session.delete(link)
            ctx.session.add(into)
            ctx.session.flush()
        for visit_id in item.get("visits") or []:
            ctx.session.add(VisitContact(visit_id=visit_id, contact_id=contact.id))
        for key, ids in (item.get("named_by") or {}).items():
            model = CONTACT_REFS.get(key)
            for row in (ctx.session.exec(select(model).where(col(model.id).in_(ids))).all() if model and ids else []):
                if row.contact_id == item["into"]:
                    row.contact_id = contact.id
                    ctx.session.add(row)
        restored.append(contact.id)
    ctx.session.flush()
    return restored


def _ref(account: Account) -> dict[str, Any]:
    return ref(account) | {"code": account.customer_code}


def _undone(ctx: ToolContext, merge_audit_id: int) -> bool:
    entries = ctx.session.exec(select(AuditLog).where(
        AuditLog.action == "unmerge", AuditLog.entity == "account")).all()
    return any((e.after or {}).get("merge_audit_id") == merge_audit_id for e in entries)


def merge_entry(entry: AuditLog) -> dict[str, Any] | None:
    """What a merge audit entry did, for listing it with an undo button; None for other entries."""
    if entry.action != "merge" or entry.entity != "account" or not entry.after:
        return None
    return {"audit_id": entry.id, "merged": entry.entity_id, "kept": entry.after.get("merged_into_id")}
