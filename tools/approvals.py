"""list_pending_approvals: which quotes wait for a decision."""
from __future__ import annotations

from storage.models import Account
from storage.repos.quotes import pending_quotes
from storage.repos.users import users_by_id
from tools.base import ToolContext, ToolResult, tool
from tools.permissions import can_see_quote, may_decide, team_reach
from tools.schemas import ListPendingApprovalsArgs
from tools.values import quote_summary


@tool(writes=False)
def list_pending_approvals(ctx: ToolContext, args: ListPendingApprovalsArgs) -> ToolResult:
    """List the quotes waiting for a decision: for a manager, their team's quotes they may decide;
    for an admin, every pending quote; for everyone, their own requests still waiting."""
    quotes = pending_quotes(session=ctx.session)
    people = users_by_id([q.requested_by for q in quotes], session=ctx.session)
    accounts = {q.account_id: ctx.session.get(Account, q.account_id) for q in quotes}
    today, reach = ctx.today(), team_reach(ctx)
    to_decide, mine = [], []
    for quote in quotes:
        account, requester = accounts[quote.account_id], people.get(quote.requested_by)
        item = quote_summary(quote, account, requester, ctx.tz)
        item["waiting_days"] = max(0, (today - quote.requested_at.astimezone(ctx.tz).date()).days)
        if quote.requested_by == ctx.user.id:
            mine.append(item)
        elif can_see_quote(ctx, quote, account, reach) and may_decide(ctx, quote, requester):
            to_decide.append(item)
    return ToolResult("list_pending_approvals", {"to_decide": to_decide, "my_requests": mine})
