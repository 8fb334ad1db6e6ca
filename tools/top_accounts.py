"""top_accounts: the customers that lead on activity, open pipeline or won business."""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from storage.models import Stage
from storage.repos.accounts import live_accounts
from storage.repos.deals import deals_of_accounts
from storage.repos.users import users_by_id
from storage.repos.visits import visits_of_accounts
from tools.base import ToolContext, ToolResult, tool
from tools.periods import period_range
from tools.permissions import scoped_reach
from tools.schemas import TopAccountsArgs
from tools.values import money_list, ref, sum_by_currency


@tool(writes=False)
def top_accounts(ctx: ToolContext, args: TopAccountsArgs) -> ToolResult:
    """Rank customers in a period (default this_month) by a metric (default activity): activity =
    visits, calls and meetings logged in the period; pipeline = open deal amount now (the period
    does not apply); won = amount of deals won in the period. Scope mine or team (default: team
    for managers and admins, mine for reps); limit defaults to 5.

    Amounts are never converted between currencies: accounts are ranked by their amount in the
    CRM's default currency, and accounts with amounts only in other currencies follow, ranked by
    currency code then amount; every item lists its per-currency totals."""
    period = args.period or "this_month"
    metric = args.metric or "activity"
    limit = args.limit or 5
    reach, scope, narrowed = scoped_reach(ctx, args.scope)
    span = period_range(period, ctx.today())
    accounts = {a.id: a for a in live_accounts(session=ctx.session, owner_ids=reach.user_ids)}
    owners = users_by_id([a.owner_id for a in accounts.values()], session=ctx.session)

    items: list[dict[str, Any]]
    if metric == "activity":
        visits = visits_of_accounts(list(accounts), session=ctx.session, start=span.start, end=span.end)
        counts = Counter(v.account_id for v in visits)
        last = {}
        for v in visits:
            last[v.account_id] = max(last.get(v.account_id, v.occurred_on), v.occurred_on)
        ranked = sorted(counts, key=lambda a: (-counts[a], -last[a].toordinal(), accounts[a].name))
        items = [{"account": ref(accounts[a]), "owner": ref(owners.get(accounts[a].owner_id)),
                  "visits": counts[a], "last_visit": last[a].isoformat()} for a in ranked]
    else:
        deals = deals_of_accounts(list(accounts), session=ctx.session)
        if metric == "pipeline":
            chosen = [d for d in deals if not Stage(d.stage).is_closed]
        else:
            chosen = [d for d in deals if Stage(d.stage) is Stage.won and d.closed_on in span]
        per_account: dict[int, list] = {}
        for d in chosen:
            per_account.setdefault(d.account_id, []).append(d)
        totals = {a: sum_by_currency((d.amount, d.currency) for d in ds) for a, ds in per_account.items()}
        default = ctx.settings.default_currency
        ranked = sorted((a for a in totals if totals[a]),
                        key=lambda a: _money_rank(totals[a], default) + (accounts[a].name,))
        items = [{"account": ref(accounts[a]), "owner": ref(owners.get(accounts[a].owner_id)),
                  "totals": money_list(totals[a], default), "deals": len(per_account[a])}
                 for a in ranked]
    for rank, item in enumerate(items, start=1):
        item["rank"] = rank
    return ToolResult("top_accounts", {
        "period": period, "range": span.to_json(), "metric": metric, "scope": scope,
        "scope_narrowed": narrowed, "limit": limit, "period_applies": metric != "pipeline",
        "items": items[:limit], "total_accounts": len(items),
    })


def _money_rank(totals: dict[str, Decimal], default: str) -> tuple:
    if default in totals:
        return (0, -totals[default], "")
    currency = min(totals)
    return (1, currency, -totals[currency])
