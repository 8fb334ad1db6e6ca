"""reassign_accounts: hand a leaving rep's customers over, with a brief for the receiver."""
from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.models import Account, User
from storage.names import Directory, Entry
from storage.repos.accounts import live_accounts
from storage.repos.deals import deals_of_accounts
from storage.repos.reminders import pending_reminders
from tools.base import Notice, ToolContext, ToolError, ToolResult, tool
from tools.briefs import contact_list, deal_lists, pending_quote_list, promises, recent_visits
from tools.permissions import require_can_reassign
from tools.resolve import find_account, find_user
from tools.schemas import ReassignAccountsArgs
from tools.values import ref

BRIEF_VISITS = 3


@tool(writes=True)
def reassign_accounts(ctx: ToolContext, args: ReassignAccountsArgs) -> ToolResult:
    """Hand customers from one user to another (a rep leaving or changing territory): one named
    account, or all of from_user's. The accounts, from_user's open deals on them and pending
    reminders about them move to to_user, who receives a brief per account (contacts, open deals,
    recent visits, promises made). Only a manager of both users, or an admin, may do this.
    from_user may be a deactivated user (someone who left); to_user must be active."""
    from_user, to_user = find_any_user(ctx, args.from_user), find_user(ctx, args.to_user)
    if from_user.id == to_user.id:
        raise ToolError("same_user", user=from_user.name)
    require_can_reassign(ctx, from_user, to_user)
    if args.account is not None:
        account = find_account(ctx, args.account)
        if account.owner_id != from_user.id:
            raise ToolError("account_not_owned_by_user", account=account.name, user=from_user.name)
        accounts = [account]
    else:
        accounts = live_accounts(session=ctx.session, owner_ids=[from_user.id])
        if not accounts:
            raise ToolError("nothing_to_reassign", user=from_user.name)

    moved = {"accounts": 0, "deals": 0, "reminders": 0}
    for account in accounts:
        _move(ctx, account, from_user, to_user, moved)
    briefs = [handover_brief(ctx, account) for account in accounts]
    data = {"from_user": ref(from_user), "to_user": ref(to_user), "moved": moved, "accounts": briefs}
    return ToolResult("reassign_accounts", data,
                      notify=[Notice(to_user.id, "handover_brief",
                                     {"from_user": ref(from_user), "accounts": briefs,
                                      "as_of": ctx.today().isoformat()})])


def find_any_user(ctx: ToolContext, mention: str) -> User:
    """A user by name among all users, deactivated ones included: the rep who left is exactly
    whose accounts get handed over. An active user wins over a deactivated one of the same name."""
    for active_only in (True, False):
        found = _user_directory(ctx, active_only=active_only).resolve("user", mention)
        if found.status == "ambiguous":
            raise ToolError("ambiguous_user", mention=mention, candidates=[e.name for e in found.matches])
        if found.entry is not None:
            return ctx.session.get(User, found.entry.id)
    raise ToolError("unknown_user", mention=mention)


def _user_directory(ctx: ToolContext, *, active_only: bool) -> Directory:
    query = select(User).order_by(User.id)
    if active_only:
        query = query.where(User.active.is_(True))
    users = ctx.session.exec(query).all()
    return Directory(users=[Entry("user", u.id, u.name, tuple(u.aliases or ())) for u in users])


def _move(ctx: ToolContext, account: Account, from_user: User, to_user: User,
          moved: dict[str, int]) -> None:
    now, session = ctx.clock(), ctx.session
    account.owner_id, account.updated_at = to_user.id, now
    session.add(account)
    ctx.audit("reassign", "account", account.id, {"owner_id": from_user.id}, {"owner_id": to_user.id})
    moved["accounts"] += 1
    for deal in deals_of_accounts([account.id], session=session, open_only=True):
        if deal.owner_id == from_user.id:
            deal.owner_id, deal.updated_at = to_user.id, now
            session.add(deal)
            ctx.audit("reassign", "opportunity", deal.id, {"owner_id": from_user.id}, {"owner_id": to_user.id})
            moved["deals"] += 1
    for reminder in pending_reminders(session=session, user_ids=[from_user.id], account_ids=[account.id]):
        reminder.user_id = to_user.id
        session.add(reminder)
        ctx.audit("reassign", "reminder", reminder.id, {"user_id": from_user.id}, {"user_id": to_user.id})
        moved["reminders"] += 1
    session.flush()


def handover_brief(ctx: ToolContext, account: Account) -> dict[str, Any]:
    """What the receiver needs before the first call: who is who, what is open, what was promised."""
    visits = recent_visits(account, session=ctx.session, limit=BRIEF_VISITS)
    open_deals, _closed = deal_lists(account, session=ctx.session)
    return {"account": ref(account), "contacts": contact_list(account, session=ctx.session),
            "open_deals": open_deals, "recent_visits": visits, "promises": promises(visits),
            "pending_quotes": pending_quote_list(account, session=ctx.session, tz=ctx.tz)}
