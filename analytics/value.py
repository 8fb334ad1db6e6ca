"""The figures of the quarterly value report, each for the quarter and the one before it.

    leads       leads received, contacted and converted to deals, and hours to first contact, by
                source and by rep (`analytics.leads`); conversion in benefit, first contact in efficiency
    efficiency  visits and deals won per active rep, sales cycle (days from a won deal's first
                stage to its close), hours from a delivered reminder to "done", hours from a quote
                request to its decision (median)
    quality     completeness of the visits, deals and accounts recorded in the quarter (a visit
                names a contact and a summary; a deal has an amount, and an expected close while
                open; an account has an industry and a region), stage moves backwards (a sign of
                wrong records), duplicate-account pairs found at the quarter's end (now, while it runs) and
                duplicate accounts merged, 合同合规率 (deals won in the quarter with a contract attached
                whose amount matches the approved quote: `storage.repos.attachments.contract_compliance`)
    benefit     won amount per currency and its growth, win rate, repeat purchases (won deals of
                accounts that had won before), average won deal size
    usage       see `analytics.usage`
    forecast    last quarter's forecast (made at its start, `analytics.forecast`) against what was won

Reps are the active users with the rep role; "the team" is everyone (the report is for managers
and admins). Money per currency, never converted.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from analytics.approvals import ApprovalTiming, approval_timing
from analytics.backtest import BacktestRow, actual_won
from analytics.data import OPEN, DealFact, by_currency, load_deals
from analytics.forecast import forecast_quarter
from analytics.leads import LeadFunnel, lead_funnel
from analytics.quarters import Quarter
from analytics.usage import Usage, usage
from storage.models import Account, AuditLog, Reminder, StageChange, User, Visit, VisitContact
from storage.names import duplicate_pairs
from storage.repos.attachments import contract_compliance

STAGE_RANK = {"prospect": 0, "evaluation": 1, "negotiation": 2, "won": 3}


@dataclass(frozen=True)
class Metric:
    key: str
    current: float | None
    previous: float | None
    unit: str = "n"            # n, days, hours, pct, money
    better: str = "up"         # up or down: which way is an improvement
    currency: str | None = None

    @property
    def change(self) -> float | None:
        """Relative change (pct metrics: the difference in points)."""
        if self.current is None or self.previous is None:
            return None
        if self.unit == "pct":
            return self.current - self.previous
        return (self.current - self.previous) / self.previous if self.previous else None

    @property
    def improved(self) -> bool | None:
        if self.current is None or self.previous is None or self.current == self.previous:
            return None
        return (self.current > self.previous) == (self.better == "up")


@dataclass(frozen=True)
class QuarterShape:
    """What the report's charts show: open deals per stage at the quarter's end (count, amount
    per currency), won in the quarter, and visits, new deals and won deals per week."""

    stages: list[tuple[str, int, dict[str, float]]]
    weeks: list[date]
    series: dict[str, list[int]]


@dataclass(frozen=True)
class ValueReport:
    quarter: Quarter
    generated_on: date
    reps: int
    efficiency: list[Metric]
    quality: list[Metric]
    benefit: list[Metric]
    usage: Usage
    usage_before: Usage
    usage_metrics: list[Metric]
    forecast: list[BacktestRow]   # the forecast made at the quarter's start, per currency
    approvals: ApprovalTiming
    approvals_before: ApprovalTiming
    shape: QuarterShape
    users: dict[int, str] = field(default_factory=dict)
    leads: LeadFunnel | None = None  # the quarter's leads by source and by rep


def _bounds(q: Quarter, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime.combine(q.start, time(), tzinfo=tz), datetime.combine(q.end, time(), tzinfo=tz)


def build_value_report(*, session: Session, quarter: Quarter, tz: ZoneInfo, today: date,
                       seed: int = 0) -> ValueReport:
    previous = quarter.previous()
    users = list(session.exec(select(User)).all())
    reps = [u.id for u in users if str(u.role) == "rep" and u.active]
    deals = load_deals(session=session, tz=tz)
    now = datetime.combine(min(today, quarter.end), time(), tzinfo=tz)
    timing = {q: approval_timing(session=session, start=_bounds(q, tz)[0], end=_bounds(q, tz)[1], now=now)
              for q in (quarter, previous)}
    used = {q: usage(session=session, start=q.start, end=q.end, tz=tz, rep_ids=reps) for q in (quarter, previous)}

    def pair(fn, key, **kw) -> Metric:
        return Metric(key, fn(quarter), fn(previous), **kw)

    funnels = {q: lead_funnel(session=session, start=_bounds(q, tz)[0], end=_bounds(q, tz)[1])
               for q in (quarter, previous)}
    efficiency = [
        pair(lambda q: _per_rep(_visits_in(session, q), reps), "visits_per_rep"),
        pair(lambda q: funnels[q].total.first_contact_hours, "lead_first_contact_hours", unit="hours", better="down"),
        pair(lambda q: _per_rep(sum(1 for d in deals if d.won_on and d.won_on in q), reps), "won_per_rep"),
        pair(lambda q: _cycle_days(deals, q), "cycle_days", unit="days", better="down"),
        pair(lambda q: _reminder_response_hours(session, q, tz), "reminder_response_hours", unit="hours", better="down"),
        Metric("approval_hours", timing[quarter].median_hours, timing[previous].median_hours, "hours", "down"),
    ]
    quality = [
        pair(lambda q: _visit_completeness(session, q, tz), "visit_completeness", unit="pct"),
        pair(lambda q: _deal_completeness(deals, q), "deal_completeness", unit="pct"),
        pair(lambda q: _account_completeness(session, q, tz), "account_completeness", unit="pct"),
        pair(lambda q: _backward_moves(session, q, tz), "stage_backwards", better="down"),
        pair(lambda q: _duplicates_at_end(session, q, tz), "duplicates_found", better="down"),
        pair(lambda q: _merges(session, q, tz), "duplicates_merged"),
        pair(lambda q: contract_compliance(q.start, q.end, session=session).rate, "contract_compliance", unit="pct"),
    ]
    benefit = []
    groups = by_currency(deals)
    for currency, group in sorted(groups.items()):
        benefit.append(pair(lambda q, g=group: actual_won(g, q), "won_amount", unit="money", currency=currency))
    benefit += [
        pair(lambda q: _win_rate(deals, q), "win_rate", unit="pct"),
        pair(lambda q: funnels[q].total.conversion, "lead_conversion", unit="pct"),
        pair(lambda q: float(sum(1 for d in deals if d.won_on and d.won_on in q)), "won_deals"),
        pair(lambda q: float(_repeat(deals, q)), "repeat_purchases"),
    ]
    usage_metrics = [
        Metric("active_users", used[quarter].active_users, used[previous].active_users),
        Metric("messages", used[quarter].messages, used[previous].messages),
        Metric("cancellation_rate", used[quarter].cancellation_rate, used[previous].cancellation_rate, "pct", "down"),
        Metric("visit_to_record_days", used[quarter].visit_to_record_days["median"],
               used[previous].visit_to_record_days["median"], "days", "down"),
    ]
    checks = []  # the forecast made at the quarter's start against what it won (so far, if not over)
    for currency, group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        if sum(1 for d in group if d.closed_on and d.closed_on < quarter.start) < 3:
            continue
        fc = forecast_quarter(group, quarter, as_of=quarter.start - timedelta(days=1), seed=seed)
        checks.append(BacktestRow(quarter, actual_won(group, quarter), fc, currency))
    return ValueReport(quarter, today, len(reps), efficiency, quality, benefit, used[quarter], used[previous],
                       usage_metrics, checks, timing[quarter], timing[previous], quarter_shape(deals, session, quarter),
                       {u.id: u.name for u in users}, funnels[quarter])


def _per_rep(total: float, reps: list[int]) -> float | None:
    return total / len(reps) if reps else None


def _visits_in(session: Session, q: Quarter) -> int:
    return len(session.exec(select(Visit.id).where(Visit.occurred_on >= q.start, Visit.occurred_on < q.end)).all())


def _cycle_days(deals: list[DealFact], q: Quarter) -> float | None:
    days = [(d.won_on - (d.path[0][1] if d.path else d.created)).days for d in deals if d.won_on and d.won_on in q]
    return statistics.fmean(days) if days else None


def _reminder_response_hours(session: Session, q: Quarter, tz: ZoneInfo) -> float | None:
    lo, hi = _bounds(q, tz)
    done = session.exec(select(AuditLog).where(AuditLog.action == "reminder_done", AuditLog.at >= lo,
                                               AuditLog.at < hi)).all()
    reminders = {r.id: r for r in session.exec(select(Reminder).where(
        Reminder.id.in_([a.entity_id for a in done]))).all()} if done else {}
    hours = [(a.at - reminders[a.entity_id].delivered_at).total_seconds() / 3600 for a in done
             if a.entity_id in reminders and reminders[a.entity_id].delivered_at is not None]
    return statistics.median([max(0.0, h) for h in hours]) if hours else None


def _visit_completeness(session: Session, q: Quarter, tz: ZoneInfo) -> float | None:
    visits = session.exec(select(Visit).where(Visit.occurred_on >= q.start, Visit.occurred_on < q.end)).all()
    if not visits:
        return None
    met = {row.visit_id for row in session.exec(select(VisitContact).where(
        VisitContact.visit_id.in_([v.id for v in visits]))).all()}
    return sum(1 for v in visits if v.id in met and (v.summary or "").strip()) / len(visits)


def _deal_completeness(deals: list[DealFact], q: Quarter) -> float | None:
    made = [d for d in deals if d.created in q]
    if not made:
        return None
    return sum(1 for d in made if d.amount is not None and (not d.is_open or d.expected_close)) / len(made)


def _account_completeness(session: Session, q: Quarter, tz: ZoneInfo) -> float | None:
    lo, hi = _bounds(q, tz)
    accounts = session.exec(select(Account).where(Account.created_at >= lo, Account.created_at < hi,
                                                  Account.merged_into_id.is_(None))).all()
    if not accounts:
        return None
    return sum(1 for a in accounts if a.industry and a.region) / len(accounts)


def _backward_moves(session: Session, q: Quarter, tz: ZoneInfo) -> float:
    lo, hi = _bounds(q, tz)
    moves = session.exec(select(StageChange).where(StageChange.changed_at >= lo, StageChange.changed_at < hi)).all()
    return float(sum(1 for m in moves if m.from_stage in STAGE_RANK and m.to_stage in STAGE_RANK
                     and STAGE_RANK[m.to_stage] < STAGE_RANK[m.from_stage]))


def _duplicates_at_end(session: Session, q: Quarter, tz: ZoneInfo) -> float:
    """Duplicate-account pairs (the data-health finder) among the accounts that existed and were
    not yet merged away at the quarter's end (now, for a quarter not over), with today's names,
    aliases, phones and emails."""
    end = _bounds(q, tz)[1]
    accounts = session.exec(select(Account).where(Account.created_at < end).order_by(Account.id)).all()
    live = [a for a in accounts if a.merged_into_id is None or a.updated_at >= end]
    return float(len(duplicate_pairs(live)))


def _merges(session: Session, q: Quarter, tz: ZoneInfo) -> float:
    lo, hi = _bounds(q, tz)
    return float(len(session.exec(select(Account.id).where(Account.merged_into_id.is_not(None),
                                                          Account.updated_at >= lo, Account.updated_at < hi)).all()))


def _win_rate(deals: list[DealFact], q: Quarter) -> float | None:
    won = sum(1 for d in deals if d.stage == "won" and d.closed_on and d.closed_on in q)
    lost = sum(1 for d in deals if d.stage == "lost" and d.closed_on and d.closed_on in q)
    return won / (won + lost) if won + lost else None


def _repeat(deals: list[DealFact], q: Quarter) -> int:
    first_win: dict[int, date] = {}
    for d in sorted((d for d in deals if d.won_on), key=lambda d: d.won_on):
        first_win.setdefault(d.account_id, d.won_on)
    return sum(1 for d in deals if d.won_on and d.won_on in q and first_win[d.account_id] < d.won_on)


def quarter_shape(deals: list[DealFact], session: Session, q: Quarter) -> QuarterShape:
    last = q.end - timedelta(days=1)
    stages = []
    for stage in OPEN:
        chosen = [d for d in deals if (s := d.stage_on(last)) is not None and s[0] == stage
                  and not (d.closed_on and d.closed_on <= last)]
        stages.append((stage, len(chosen), _sums(chosen)))
    won = [d for d in deals if d.won_on and d.won_on in q]
    stages.append(("won", len(won), _sums(won)))
    first_monday = q.start - timedelta(days=q.start.weekday())
    weeks = []
    monday = first_monday
    while monday < q.end:
        weeks.append(monday)
        monday += timedelta(days=7)
    series = {"visits": [0] * len(weeks), "new_deals": [0] * len(weeks), "won": [0] * len(weeks)}

    def week_of(day: date) -> int | None:
        i = (day - first_monday).days // 7
        return i if 0 <= i < len(weeks) and day in q else None

    for occurred in session.exec(select(Visit.occurred_on).where(Visit.occurred_on >= q.start,
                                                                 Visit.occurred_on < q.end)).all():
        if (i := week_of(occurred)) is not None:
            series["visits"][i] += 1
    for d in deals:
        if (i := week_of(d.created)) is not None:
            series["new_deals"][i] += 1
        if d.won_on and (i := week_of(d.won_on)) is not None:
            series["won"][i] += 1
    return QuarterShape(stages, weeks, series)


def _sums(deals: list[DealFact]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for d in deals:
        if d.amount is not None:
            totals[d.currency] += d.amount
    return dict(totals)
