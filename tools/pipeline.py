"""pipeline_report: funnel, conversion, cycle time, deal size and forecast, from the deals and
their stage history."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

from storage.models import STAGE_ORDER, STAGE_PROBABILITY, Opportunity, Stage, StageChange
from storage.repos.deals import OPEN_STAGES, deals_owned_by, stage_history
from storage.repos.users import users_by_id
from tools.base import ToolContext, ToolResult, tool
from tools.periods import DateRange, period_range
from tools.permissions import rep_reach, scoped_reach
from tools.resolve import find_user
from tools.schemas import PipelineReportArgs
from tools.values import CENT, money_list, ratio, ref, sum_by_currency


@tool(writes=False)
def pipeline_report(ctx: ToolContext, args: PipelineReportArgs) -> ToolResult:
    """Pipeline and sales KPIs for a period (default this_quarter) and scope (mine or team;
    default team for managers and admins, mine for reps): open deals per stage with amounts, won
    and lost in the period, win rate, stage-to-stage conversion, average sales cycle, average won
    deal size, and a forecast of deals expected to close in the period weighted by stage
    probability. Amounts are per currency, never converted. `rep` narrows it to one team member
    (a manager asking about one rep); `by_rep` adds a line per rep (open, won, forecast)."""
    period = args.period or "this_quarter"
    rep = find_user(ctx, args.rep) if args.rep else None
    if rep is not None:
        reach, scope, narrowed = rep_reach(ctx, rep), "rep", False
    else:
        reach, scope, narrowed = scoped_reach(ctx, args.scope)
    span = period_range(period, ctx.today())
    deals = deals_owned_by(reach.user_ids, session=ctx.session)
    return ToolResult("pipeline_report", {
        "period": period, "range": span.to_json(), "scope": scope, "scope_narrowed": narrowed,
        **pipeline_figures(ctx, deals, span),
        "rep": ref(rep), "by_rep": _by_rep(ctx, deals, span) if args.by_rep else None})


def pipeline_figures(ctx: ToolContext, deals: list[Opportunity], span: DateRange,
                     history: dict[int, list[StageChange]] | None = None) -> dict[str, Any]:
    """`pipeline_report`'s figures over `deals` (already limited to what the user may see);
    `history` is their stage history when the caller has it (a superset is fine)."""
    tz, default = ctx.tz, ctx.settings.default_currency
    if history is None:
        history = stage_history([d.id for d in deals], session=ctx.session)
    else:
        wanted = {d.id for d in deals}
        history = {deal_id: changes for deal_id, changes in history.items() if deal_id in wanted}
    open_deals = [d for d in deals if d.stage not in CLOSED]
    won = [d for d in deals if d.stage == Stage.won and d.closed_on in span]
    lost = [d for d in deals if d.stage == Stage.lost and d.closed_on in span]
    cycles = [days for d in won if (days := cycle_days(d, history.get(d.id, []), tz)) is not None]
    by_stage: dict[str, list] = {stage.value: [] for stage in OPEN_STAGES}
    for deal in open_deals:
        by_stage[deal.stage].append(deal)
    return {
        "stages": [_bucket(stage.value, by_stage[stage.value], default) for stage in OPEN_STAGES],
        "open": _bucket(None, open_deals, default),
        "won": _bucket(None, won, default),
        "lost": _bucket(None, lost, default),
        "win_rate": ratio(len(won), len(won) + len(lost)),
        "stage_conversion": stage_conversion(history, span, tz),
        "avg_cycle_days": round(mean(cycles), 1) if cycles else None,
        "cycle_deals": len(cycles),
        "avg_deal_size": money_list(average_by_currency(won), default),
        "forecast": forecast(open_deals, won, span, default),
    }


def _by_rep(ctx: ToolContext, deals: list[Opportunity], span: DateRange) -> list[dict[str, Any]]:
    """Per owner: open deals, won in the period and forecast; the largest forecast first."""
    default = ctx.settings.default_currency
    open_deals = [d for d in deals if not Stage(d.stage).is_closed]
    won = [d for d in deals if Stage(d.stage) is Stage.won and d.closed_on in span]
    owners = users_by_id({d.owner_id for d in open_deals + won}, session=ctx.session)
    rows = []
    for owner_id, owner in owners.items():
        mine_open = [d for d in open_deals if d.owner_id == owner_id]
        mine_won = [d for d in won if d.owner_id == owner_id]
        outlook = forecast(mine_open, mine_won, span, default)
        rows.append({"user": ref(owner), "open": _bucket(None, mine_open, default),
                     "won": _bucket(None, mine_won, default), "forecast": outlook["total"],
                     "_rank": sum(Decimal(m["amount"]) for m in outlook["total"])})
    rows.sort(key=lambda r: (-r.pop("_rank"), r["user"]["name"]))
    return rows


def _bucket(stage: str | None, deals: list[Opportunity], default: str) -> dict[str, Any]:
    bucket: dict[str, Any] = {"count": len(deals),
                              "totals": money_list(sum_by_currency((d.amount, d.currency) for d in deals), default)}
    if stage is not None:
        bucket = {"stage": stage, **bucket}
    return bucket


def stage_conversion(history: dict[int, list[StageChange]], span: DateRange,
                     tz: ZoneInfo) -> list[dict[str, Any]]:
    """For each step of prospect → evaluation → negotiation → won: of the deals that entered the
    step's first stage during the period, how many later reached any stage further along (at
    any time up to now). Skipping a stage counts as advancing; lost never does."""
    steps = len(STAGE_ORDER) - 1
    entered, advanced = [0] * steps, [0] * steps
    start, end = span.bounds(tz)
    for changes in history.values():
        orders = [_ORDER.get(c.to_stage, -1) for c in changes]
        first: dict[int, int] = {}  # step → its first entry during the period
        for i, (order, change) in enumerate(zip(orders, changes)):
            if 0 <= order < steps and order not in first and start <= change.changed_at < end:
                first[order] = i
        for index, entry in first.items():
            entered[index] += 1
            advanced[index] += max(orders[entry + 1:], default=-1) > index
    return [{"from": stage.value, "to": STAGE_ORDER[index + 1].value, "entered": entered[index],
             "advanced": advanced[index], "rate": ratio(advanced[index], entered[index])}
            for index, stage in enumerate(STAGE_ORDER[:-1])]


_ORDER = {stage.value: index for index, stage in enumerate(STAGE_ORDER)}
CLOSED = frozenset({Stage.won, Stage.lost})  # also matches the plain strings of light rows


def cycle_days(deal: Opportunity, changes: list[StageChange], tz: ZoneInfo) -> int | None:
    """Days from the deal's start to `closed_on`. The start is its first open-stage entry; a deal
    with no history starts at `created_at`; a deal whose history begins already closed (imported
    that way) has no known start and is left out."""
    if deal.closed_on is None:
        return None
    start: date
    if not changes:
        start = deal.created_at.astimezone(tz).date()
    else:
        opened = [c for c in changes if not Stage(c.to_stage).is_closed]
        if not opened:
            return None
        start = opened[0].changed_at.astimezone(tz).date()
    return (deal.closed_on - start).days


def average_by_currency(deals: list[Opportunity]) -> dict[str, Decimal]:
    sums = sum_by_currency((d.amount, d.currency) for d in deals)
    counts: dict[str, int] = {}
    for d in deals:
        if d.amount is not None:
            counts[d.currency] = counts.get(d.currency, 0) + 1
    return {c: (sums[c] / counts[c]).quantize(CENT) for c in sums}


def forecast(open_deals: list[Opportunity], won: list[Opportunity], span: DateRange,
             default: str) -> dict[str, Any]:
    """Open deals expected to close in the period, each weighted by its stage's probability,
    plus what was already won in it."""
    expected = [d for d in open_deals if d.expected_close is not None and d.expected_close in span]
    weighted = sum_by_currency((d.amount * STAGE_PROBABILITY[Stage(d.stage)] if d.amount is not None else None,
                                d.currency) for d in expected)
    won_sums = sum_by_currency((d.amount, d.currency) for d in won)
    total = dict(weighted)
    for currency, amount in won_sums.items():
        total[currency] = total.get(currency, Decimal(0)) + amount
    return {"expected_deals": len(expected), "weighted_open": money_list(weighted, default),
            "won": money_list(won_sums, default), "total": money_list(total, default)}
