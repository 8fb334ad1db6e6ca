"""weekly_report: the managers' weekly digest, asked for in chat ("上周的周报发我一下").

The same figures the scheduled digest sends on Monday (bot/scheduler/digest.py builds its text
from `weekly_figures`): the week's visits, new deals and stage moves, won and lost in the week;
this quarter's win rate, cycle, deal size and forecast; pending approvals, data health and the
most active accounts. A rep gets their own figures (the scope narrows as in every report).
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from storage.repos.deals import deals_owned_by, stage_history
from storage.repos.visits import visits_by_reps
from tools.base import ToolContext, ToolResult, get_tool, tool
from tools.periods import DateRange
from tools.permissions import scoped_reach
from tools.schemas import WeeklyReportArgs

TOP_ACCOUNTS = 5


@tool(writes=False)
def weekly_report(ctx: ToolContext, args: WeeklyReportArgs) -> ToolResult:
    """The weekly digest of the team (a rep: their own) for last week (default) or this week:
    visits, new deals, stage moves, won and lost; this quarter's win rate, cycle, deal size and
    forecast; pending approvals; data health; the most active accounts."""
    period = args.period or "last_week"
    today = ctx.today()
    monday = today - timedelta(days=today.weekday())
    if period == "last_week":
        monday -= timedelta(days=7)
    week = DateRange(monday, monday + timedelta(days=7))
    return ToolResult("weekly_report", {"period": period, **weekly_figures(ctx, week, period)})


def weekly_figures(ctx: ToolContext, week: DateRange, period: str) -> dict[str, Any]:
    """Everything the digest says about `week` (named `period` for the period-based reports)."""
    def run(name: str, **args: Any) -> dict[str, Any]:
        return get_tool(name).run(ctx, args).data

    _, scope, narrowed = scoped_reach(ctx, "team")
    return {
        "range": week.to_json(), "scope": scope, "scope_narrowed": narrowed,
        "numbers": week_numbers(ctx, week),
        "week": run("pipeline_report", period=period, scope="team"),
        "quarter": run("pipeline_report", period="this_quarter", scope="team"),
        "approvals": run("list_pending_approvals")["to_decide"],
        "health": run("data_health", scope="team")["score"],
        "top": run("top_accounts", period=period, metric="activity", scope="team", limit=TOP_ACCOUNTS)["items"],
    }


def week_numbers(ctx: ToolContext, week: DateRange) -> dict[str, int]:
    """Visits, new deals and stage moves of the user's team (a rep: their own) in `week`."""
    reach, _, _ = scoped_reach(ctx, "team")
    start, end = week.bounds(ctx.tz)
    visits = [v for v in visits_by_reps(reach.user_ids, session=ctx.session) if v.occurred_on in week]
    deals = deals_owned_by(reach.user_ids, session=ctx.session)
    history = stage_history([d.id for d in deals], session=ctx.session)
    moves = sum(1 for changes in history.values() for c in changes
                if c.from_stage is not None and start <= c.changed_at < end)
    return {"visits": len(visits), "new_deals": sum(1 for d in deals if start <= d.created_at < end),
            "moves": moves}
