"""The manager console's figures: the pipeline with filters, the team table, a rep's timeline, and
the approval board. Plain functions taking a `ToolContext` (not offered to the engines); each applies
`tools.permissions` like every tool: a rep sees their own, a manager their team, an admin everyone.
The pipeline's numbers are `pipeline_report`'s (`pipeline_figures`), over the filtered deals.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from statistics import mean
from typing import Any

from sqlmodel import col, func, select

from storage.models import Account, Opportunity, Quote, QuoteStatus, Role, Stage, StageChange, User, Visit
from storage.repos.deals import deal_rows, stage_history_rows
from storage.repos.users import users_by_id
from tools.base import ToolContext, ToolError
from tools.periods import DateRange, _add_months, period_range
from tools.permissions import Reach, can_see_quote, may_decide, team_reach
from tools.pipeline import CLOSED, average_by_currency, cycle_days, forecast, pipeline_figures, stage_conversion
from tools.values import deal_summary, local_instant, money_list, quote_summary, ref

CLOSING_SOON_DAYS = 30
WEEKS = 4


@dataclass(frozen=True)
class PipelineFilters:
    period: str = "this_quarter"
    rep_id: int | None = None
    industry: str | None = None
    region: str | None = None


def people_in_reach(ctx: ToolContext) -> list[User]:
    """The users whose data the acting user sees, by name (for filters and the team table)."""
    reach = team_reach(ctx)
    query = select(User).where(User.active.is_(True))
    if not reach.everyone:
        query = query.where(col(User.id).in_(sorted(reach.user_ids)))
    return sorted(ctx.session.exec(query).all(), key=lambda u: (u.role != Role.rep, u.name))


def _narrow(ctx: ToolContext, rep_id: int | None) -> Reach:
    reach = team_reach(ctx)
    if rep_id is None:
        return reach
    if not reach.covers(rep_id):
        raise ToolError("record_not_found", kind="user", id=rep_id)
    return Reach(frozenset({rep_id}))


def pipeline_view(ctx: ToolContext, filters: PipelineFilters) -> dict[str, Any]:
    """`pipeline_report`'s figures for the filtered deals, plus the forecast of this and next
    quarter and the open deals expected to close in the next 30 days."""
    reach = _narrow(ctx, filters.rep_id)
    deals = deal_rows(reach.user_ids, session=ctx.session)
    if filters.industry or filters.region:
        accounts = {a.id: a for a in ctx.session.exec(
            select(Account).where(col(Account.id).in_({d.account_id for d in deals} or {-1}))).all()}
        deals = [d for d in deals if (not filters.industry or accounts[d.account_id].industry == filters.industry)
                 and (not filters.region or accounts[d.account_id].region == filters.region)]
    today = ctx.today()
    span = period_range(filters.period, today)
    figures = pipeline_figures(ctx, deals, span, period_history(ctx, reach.user_ids, span))
    this_q = period_range("this_quarter", today)
    next_q = DateRange(this_q.end, _add_months(this_q.end, 3))
    open_deals = [d for d in deals if d.stage not in CLOSED]
    won = [d for d in deals if d.stage == Stage.won]
    default = ctx.settings.default_currency
    soon = sorted((d for d in open_deals if d.expected_close is not None
                   and today <= d.expected_close <= today + timedelta(days=CLOSING_SOON_DAYS)),
                  key=lambda d: (d.expected_close, d.id))
    names = _account_names(ctx, {d.account_id for d in soon})
    owners = users_by_id([d.owner_id for d in soon], session=ctx.session)
    return {
        "period": filters.period, "range": span.to_json(), **figures,
        "quarters": [
            {"key": "this_quarter", "range": this_q.to_json(),
             **forecast(open_deals, [d for d in won if d.closed_on in this_q], this_q, default)},
            {"key": "next_quarter", "range": next_q.to_json(), **forecast(open_deals, [], next_q, default)},
        ],
        "closing_soon": [deal_summary(d) | {"account": {"id": d.account_id, "name": names.get(d.account_id)},
                                            "owner": ref(owners.get(d.owner_id))} for d in soon],
        "industries": _distinct(ctx, Account.industry, reach),
        "regions": _distinct(ctx, Account.region, reach),
    }


def period_history(ctx: ToolContext, owner_ids, span: DateRange) -> dict[int, list]:
    """The stage history a period's figures read (`stage_conversion`: deals that moved in the
    period; `cycle_days`: deals won in it), not every deal's."""
    return stage_history_rows(owner_ids, session=ctx.session, moved_in=span.bounds(ctx.tz),
                              won_in=(span.start, span.end))


def _distinct(ctx: ToolContext, column, reach: Reach) -> list[str]:
    query = select(column).where(column.is_not(None)).distinct()
    if not reach.everyone:
        query = query.where(col(Account.owner_id).in_(sorted(reach.user_ids)))
    return sorted(v for v in ctx.session.exec(query).all() if v)


def _account_names(ctx: ToolContext, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(ctx.session.exec(select(Account.id, Account.name).where(col(Account.id).in_(ids))).all())


def team_report(ctx: ToolContext, period: str = "this_quarter") -> dict[str, Any]:
    """Per user in reach: visits per week (last four weeks), new deals, won/lost and conversion in
    the period, average cycle and won size, data completeness, last activity."""
    today, tz, default = ctx.today(), ctx.tz, ctx.settings.default_currency
    span = period_range(period, today)
    people = [u for u in people_in_reach(ctx) if u.role != Role.admin or u.id == ctx.user.id]
    ids = [u.id for u in people]
    deals = deal_rows(ids, session=ctx.session)
    history = period_history(ctx, ids, span)
    recent_start = today - timedelta(weeks=WEEKS)
    weekly = dict(ctx.session.exec(
        select(Visit.rep_id, func.count()).where(col(Visit.rep_id).in_(ids or [-1]),
                                                  Visit.occurred_on >= recent_start, Visit.occurred_on <= today)
        .group_by(Visit.rep_id)).all())
    last_visit = dict(ctx.session.exec(
        select(Visit.rep_id, func.max(Visit.occurred_on)).where(col(Visit.rep_id).in_(ids or [-1]))
        .group_by(Visit.rep_id)).all())
    last_move = dict(ctx.session.exec(
        select(StageChange.changed_by, func.max(StageChange.changed_at))
        .where(col(StageChange.changed_by).in_(ids or [-1])).group_by(StageChange.changed_by)).all())
    by_owner: dict[int, list[Opportunity]] = defaultdict(list)
    for deal in deals:
        by_owner[deal.owner_id].append(deal)
    rows = []
    for user in people:
        mine = by_owner.get(user.id, [])
        won = [d for d in mine if d.stage == Stage.won and d.closed_on in span]
        lost = [d for d in mine if d.stage == Stage.lost and d.closed_on in span]
        cycles = [c for d in won if (c := cycle_days(d, history.get(d.id, []), tz)) is not None]
        past = [d for d in mine if d.stage in (Stage.evaluation, Stage.negotiation)]
        complete = [d for d in past if d.amount is not None and d.expected_close is not None]
        activity = [x for x in (last_visit.get(user.id),
                                last_move[user.id].astimezone(tz).date() if user.id in last_move else None) if x]
        conversion = stage_conversion({d.id: history[d.id] for d in mine if d.id in history}, span, tz)
        rows.append({
            "user": ref(user), "role": str(user.role),
            "visits_per_week": round(weekly.get(user.id, 0) / WEEKS, 1),
            "new_deals": sum(1 for d in mine if d.created_at.astimezone(tz).date() in span),
            "open_deals": sum(1 for d in mine if d.stage not in CLOSED),
            "won": len(won), "lost": len(lost),
            "win_rate": round(len(won) / (len(won) + len(lost)), 4) if won or lost else None,
            "conversion": conversion,
            "avg_cycle_days": round(mean(cycles), 1) if cycles else None,
            "avg_won_size": money_list(average_by_currency(won), default),
            "completeness": round(len(complete) / len(past), 4) if past else None,
            "last_activity": max(activity).isoformat() if activity else None,
        })
    return {"period": period, "range": span.to_json(), "reps": rows}


def rep_timeline(ctx: ToolContext, rep_id: int, *, limit: int = 100) -> dict[str, Any]:
    """A user's visits, stage moves and quotes, newest first."""
    _narrow(ctx, rep_id)
    user = ctx.session.get(User, rep_id)
    if user is None:
        raise ToolError("record_not_found", kind="user", id=rep_id)
    tz = ctx.tz
    visits = ctx.session.exec(select(Visit).where(Visit.rep_id == rep_id)
                              .order_by(Visit.occurred_on.desc(), Visit.id.desc()).limit(limit)).all()
    moves = ctx.session.exec(select(StageChange, Opportunity).join(Opportunity, Opportunity.id == StageChange.opportunity_id)
                             .where(Opportunity.owner_id == rep_id)
                             .order_by(StageChange.changed_at.desc()).limit(limit)).all()
    quotes = ctx.session.exec(select(Quote).where(Quote.requested_by == rep_id)
                              .order_by(Quote.requested_at.desc()).limit(limit)).all()
    names = _account_names(ctx, {v.account_id for v in visits} | {o.account_id for _, o in moves}
                           | {q.account_id for q in quotes})
    events = [{"on": v.occurred_on.isoformat(), "kind": "visit", "account": {"id": v.account_id, "name": names.get(v.account_id)},
               "text": v.summary or "", "detail": v.next_step or ""} for v in visits]
    events += [{"on": c.changed_at.astimezone(tz).date().isoformat(), "kind": "stage_move",
                "account": {"id": o.account_id, "name": names.get(o.account_id)}, "text": o.name,
                "detail": f"{c.from_stage or ''}→{c.to_stage}", "from": c.from_stage, "to": c.to_stage} for c, o in moves]
    events += [{"on": q.requested_at.astimezone(tz).date().isoformat(), "kind": "quote",
                "account": {"id": q.account_id, "name": names.get(q.account_id)},
                "text": f"#{q.id} {q.amount} {q.currency}", "detail": str(q.status)} for q in quotes]
    events.sort(key=lambda e: e["on"], reverse=True)
    return {"user": ref(user), "role": str(user.role), "events": events[:limit]}


def quote_board(ctx: ToolContext, *, decided_limit: int = 50) -> dict[str, Any]:
    """Pending quotes the acting user may decide (with age), their own pending requests, and the
    latest decided quotes they can see with the hours each took."""
    reach, tz, today = team_reach(ctx), ctx.tz, ctx.today()
    pending = ctx.session.exec(select(Quote).where(Quote.status == QuoteStatus.pending)
                               .order_by(Quote.requested_at, Quote.id)).all()
    decided = ctx.session.exec(select(Quote).where(col(Quote.status).in_([QuoteStatus.approved, QuoteStatus.rejected]))
                               .order_by(Quote.decided_at.desc(), Quote.id.desc()).limit(decided_limit * 4)).all()
    quotes = [*pending, *decided]
    accounts = {a.id: a for a in ctx.session.exec(select(Account).where(
        col(Account.id).in_({q.account_id for q in quotes} or {-1}))).all()}
    people = users_by_id({q.requested_by for q in quotes} | {q.approver_id for q in quotes}, session=ctx.session)
    to_decide, mine, done = [], [], []
    for quote in pending:
        account, requester = accounts.get(quote.account_id), people.get(quote.requested_by)
        item = quote_summary(quote, account, requester, tz)
        item["waiting_days"] = max(0, (today - quote.requested_at.astimezone(tz).date()).days)
        if quote.requested_by == ctx.user.id:
            mine.append(item)
        elif can_see_quote(ctx, quote, account, reach) and may_decide(ctx, quote, requester):
            to_decide.append(item)
    for quote in decided:
        account = accounts.get(quote.account_id)
        if not can_see_quote(ctx, quote, account, reach) or len(done) >= decided_limit:
            continue
        item = quote_summary(quote, account, people.get(quote.requested_by), tz)
        item["decided_by"] = ref(people.get(quote.approver_id))
        item["decided_at"] = local_instant(quote.decided_at, tz)
        item["hours_to_decide"] = round((quote.decided_at - quote.requested_at).total_seconds() / 3600, 1) \
            if quote.decided_at else None
        done.append(item)
    return {"to_decide": to_decide, "my_requests": mine, "decided": done}
