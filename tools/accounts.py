"""account_overview: everything about one customer on one screen; rename_account."""
from __future__ import annotations

from storage.repos.reminders import pending_reminders
from storage.repos.users import users_by_id
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.briefs import contact_list, deal_lists, pending_quote_list, recent_visits
from tools.permissions import require_account, team_reach
from tools.resolve import all_names, find_account
from tools.schemas import AccountOverviewArgs, RenameAccountArgs
from tools.values import local_instant, ref


@tool(writes=False)
def account_overview(ctx: ToolContext, args: AccountOverviewArgs) -> ToolResult:
    """Everything about one customer: owner, industry, contacts, open and closed deals, the five
    most recent visits, pending quotes and pending reminders."""
    account = find_account(ctx, args.account)
    require_account(ctx, account)
    owner = users_by_id([account.owner_id], session=ctx.session).get(account.owner_id)
    open_deals, closed_deals = deal_lists(account, session=ctx.session)
    reach = team_reach(ctx)
    reminders = [r for r in pending_reminders(session=ctx.session, account_ids=[account.id])
                 if reach.covers(r.user_id)]
    return ToolResult("account_overview", {
        "account": {**ref(account), "customer_code": account.customer_code, "industry": account.industry, "region": account.region,
                    "phone": account.phone, "email": account.email, "aliases": list(account.aliases or [])},
        "owner": ref(owner),
        "contacts": contact_list(account, session=ctx.session),
        "open_deals": open_deals,
        "closed_deals": closed_deals,
        "recent_visits": recent_visits(account, session=ctx.session, limit=5),
        "pending_quotes": pending_quote_list(account, session=ctx.session, tz=ctx.tz),
        "pending_reminders": [{"id": r.id, "text": r.text, "due_at": local_instant(r.due_at, ctx.tz),
                               "user_id": r.user_id} for r in reminders],
    })


@tool(writes=True)
def rename_account(ctx: ToolContext, args: RenameAccountArgs) -> ToolResult:
    """Rename a customer (蓝鲸数据改名叫蓝鲸科技了). The old name stays as an alias, so notes that
    still use it find the customer. A name another customer already has is refused: merge the
    two instead."""
    account = find_account(ctx, args.account)
    require_account(ctx, account)
    new_name = args.new_name.strip()
    if new_name == account.name:
        raise ToolError("account_already_named", account=account.name)
    taken = all_names(ctx).resolve("account", new_name)
    if taken.status == "exact" and taken.entry is not None and taken.entry.id != account.id:
        raise ToolError("account_name_taken", name=new_name, account=account.name)
    before = {"name": account.name, "aliases": list(account.aliases or [])}
    aliases = [a for a in before["aliases"] if a != new_name]
    if account.name not in aliases:
        aliases.append(account.name)
    account.name, account.aliases, account.updated_at = new_name, aliases, ctx.clock()
    ctx.session.add(account)
    ctx.session.flush()
    ctx.audit("update", "account", account.id, before, {"name": new_name, "aliases": aliases})
    return ToolResult("rename_account", {
        "account": ref(account),
        "changes": {"name": {"before": before["name"], "after": new_name}},
        "aliases": aliases,
    })
