"""sales_forecast: next quarter's (or this quarter's) won amount with an 80 % interval, from
`analytics.forecast`, per currency, optionally per rep."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from analytics.data import by_currency, load_deals
from analytics.forecast import QuarterForecast, forecast_quarter, split_by_owner
from analytics.quarters import Quarter
from storage.repos.users import users_by_id
from tools.base import ToolContext, ToolResult, require_modules, tool
from tools.permissions import scoped_reach
from tools.schemas import SalesForecastArgs
from tools.values import money, ref

MIN_DEALS = 3  # a currency with fewer deals in reach gets no forecast of its own


@tool(writes=False)
def sales_forecast(ctx: ToolContext, args: SalesForecastArgs) -> ToolResult:
    """Forecast the amount that will be won in a quarter (default next_quarter), with an 80%
    interval: stage-to-win probabilities and stage durations learned from the CRM's closed deals
    applied to the open pipeline, combined with exponential smoothing of monthly won amounts.
    by=rep splits it per sales rep. Scope mine or team (default: team for managers and admins,
    mine for reps). Amounts per currency, never converted."""
    require_modules("statsmodels")
    reach, scope, narrowed = scoped_reach(ctx, args.scope)
    today = ctx.today()
    quarter = Quarter.of(today) if args.quarter == "this_quarter" else Quarter.of(today).next()
    deals = load_deals(session=ctx.session, tz=ctx.tz, owner_ids=reach.user_ids)
    groups = sorted(by_currency(deals).items(),
                    key=lambda kv: (kv[0] != ctx.settings.default_currency, -len(kv[1]), kv[0]))
    owners = sorted({d.owner_id for d in deals})
    people = users_by_id(owners, session=ctx.session)
    forecasts = []
    for currency, group in groups:
        if len(group) < MIN_DEALS:
            continue
        fc = forecast_quarter(group, quarter, as_of=today)
        item = _forecast_json(fc, currency)
        if args.by == "rep":
            item["by_rep"] = [{"user": ref(people.get(s.owner_id)), "mean": _m(s.mean, currency),
                               "low": _m(s.low, currency), "high": _m(s.high, currency),
                               "pipeline": _m(s.pipeline, currency), "deals": s.deals}
                              for s in split_by_owner(fc, group, owners)]
        forecasts.append(item)
    return ToolResult("sales_forecast", {
        "quarter": str(quarter), "quarter_kind": args.quarter or "next_quarter",
        "range": {"start": quarter.start.isoformat(), "end": (quarter.end - timedelta(days=1)).isoformat()},
        "scope": scope, "scope_narrowed": narrowed, "by": args.by, "forecasts": forecasts,
    })


def _m(value: float, currency: str) -> dict[str, str] | None:
    return money(Decimal(round(value)), currency)  # a forecast is not precise to the cent


def _forecast_json(fc: QuarterForecast, currency: str) -> dict[str, Any]:
    series = fc.series
    return {
        "currency": currency, "mean": _m(fc.mean, currency), "low": _m(fc.low, currency),
        "high": _m(fc.high, currency),
        "pipeline": {"expected": _m(fc.pipeline.raw, currency), "deals": len(fc.pipeline.deals),
                     "coverage": round(fc.pipeline.coverage, 3), "estimate": _m(fc.pipeline.mean, currency)},
        "series": None if series is None else {"method": series.method, "months": series.months,
                                               "estimate": _m(series.mean, currency)},
        "stage_win": {s: round(p, 3) for s, p in fc.stages.win.items()},
        "closed_deals": fc.stages.closed.get("prospect", 0),
    }
