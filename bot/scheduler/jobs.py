"""Which generated messages are due for whom, each under a key that makes it happen once.

    kind              to whom                 when (user's local time)             key
    morning_brief     reps                    daily from brief_at (08:30)           morning_brief:<user>:<day>
    stale_deals       owners of open deals    daily from 09:00                      stale_deals:<user>:<day>
    approval_nudges   a quote's approvers     24 h after it was requested           approval_nudge:<user>:<quote>
                      admins (escalation)     72 h after it was requested           approval_escalation:<user>:<quote>
    weekly_digest     managers and admins     Monday 09:00 (later that week if      weekly_digest:<user>:<monday>
                                              the bot was down), about last week
    data_star         managers and admins     the 1st, 09:00, about last month      data_star:<user>:<YYYY-MM>
    value_report      managers and admins     the quarter's first workday, 09:00    value_report:<user>:<YYYYQn>
                                              (later that month if the bot was
                                              down), about last quarter

A job is planned only for users switched on for its kind, outside their quiet hours, and reachable
on a platform this worker serves; a job missed while the bot was down is planned on the next tick
(briefs and nudges only the same day, the digest that week, the data star that month).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from bot.messages import Reply
from analytics.quarters import Quarter
from bot.scheduler.prefs import brief_time, enabled, held_until, user_tz
from storage.config import Settings
from storage.models import Opportunity, Quote, Role, Stage, User
from storage.repos.quotes import pending_quotes
from storage.repos.users import active_admins, get_user

DAILY_AT = time(9)
APPROVAL_NUDGE_AFTER = timedelta(hours=24)
APPROVAL_ESCALATE_AFTER = timedelta(hours=72)
LEADS = (Role.manager, Role.admin)


@dataclass(frozen=True)
class Job:
    key: str
    kind: str  # the preference kind that switches it off
    user_id: int
    quote_id: int | None = None
    day: date | None = None  # the local day it is for (a brief), the week's Monday, the month's 1st


@dataclass
class Built:
    """A job's messages; none means there was nothing to say (recorded as skipped). `markers` are
    extra keys recorded with the job (the stale deals a nudge named)."""

    replies: list[Reply] = field(default_factory=list)
    markers: list[tuple[str, str, int | None]] = field(default_factory=list)


def plan(session: Session, users: list[User], now: datetime, settings: Settings) -> list[Job]:
    """The jobs due now for `users` (active, reachable), before removing those already done."""
    jobs: list[Job] = []
    owners = set(session.exec(select(Opportunity.owner_id).where(
        Opportunity.stage.in_([Stage.prospect.value, Stage.evaluation.value, Stage.negotiation.value]))).all())
    for user in users:
        if held_until(user, now, settings.default_timezone) is not None:
            continue
        local = now.astimezone(user_tz(user, settings.default_timezone))
        day, clock, role = local.date(), local.time().replace(tzinfo=None), Role(user.role)
        if role is Role.rep and enabled(user, "morning_brief") and clock >= brief_time(user):
            jobs.append(Job(f"morning_brief:{user.id}:{day}", "morning_brief", user.id, day=day))
        if user.id in owners and enabled(user, "stale_deals") and clock >= DAILY_AT:
            jobs.append(Job(f"stale_deals:{user.id}:{day}", "stale_deals", user.id, day=day))
        if role in LEADS and enabled(user, "weekly_digest"):
            monday = day - timedelta(days=day.weekday())
            if day > monday or clock >= DAILY_AT:
                jobs.append(Job(f"weekly_digest:{user.id}:{monday}", "weekly_digest", user.id, day=monday))
        if role in LEADS and enabled(user, "data_star"):
            first = day.replace(day=1)
            if day > first or clock >= DAILY_AT:
                last_month = (first - timedelta(days=1)).replace(day=1)
                jobs.append(Job(f"data_star:{user.id}:{last_month:%Y-%m}", "data_star", user.id, day=last_month))
        if role in LEADS and enabled(user, "value_report"):
            first = first_workday(Quarter.of(day).start)
            if first < day < Quarter.of(day).start + timedelta(days=31) or (day == first and clock >= DAILY_AT):
                last_quarter = Quarter.of(day).previous()
                jobs.append(Job(f"value_report:{user.id}:{last_quarter}", "value_report", user.id,
                                day=last_quarter.start))
    jobs += _approval_jobs(session, {u.id: u for u in users}, now)
    return jobs


def first_workday(day: date) -> date:
    """The first Monday-to-Friday day from `day` on that is not New Year's Day."""
    while day.weekday() >= 5 or (day.month, day.day) == (1, 1):
        day += timedelta(days=1)
    return day


def _approval_jobs(session: Session, users: dict[int, User], now: datetime) -> list[Job]:
    jobs = []
    for quote in pending_quotes(session=session):
        waited = now - quote.requested_at
        if waited < APPROVAL_NUDGE_AFTER:
            continue
        approvers = approvers_of(quote, session=session)
        for user in approvers:
            if user.id in users and enabled(users[user.id], "approval_nudges"):
                jobs.append(Job(f"approval_nudge:{user.id}:{quote.id}", "approval_nudges", user.id, quote.id))
        if waited >= APPROVAL_ESCALATE_AFTER:
            asked = {u.id for u in approvers}
            for admin in active_admins(session=session):
                if admin.id not in asked and admin.id != quote.requested_by and admin.id in users \
                        and enabled(users[admin.id], "approval_nudges"):
                    jobs.append(Job(f"approval_escalation:{admin.id}:{quote.id}", "approval_nudges",
                                    admin.id, quote.id))
    return jobs


def approvers_of(quote: Quote, *, session: Session) -> list[User]:
    """Who may decide `quote` now: the requester's manager when a manager suffices and there is an
    active one, else the active admins (never the requester), as `tools.approval_rules` decided
    when the quote was made."""
    requester = get_user(quote.requested_by, session=session)
    if Role(quote.required_role) is Role.manager and requester is not None and requester.manager_id:
        manager = get_user(requester.manager_id, session=session)
        if manager is not None and manager.active and manager.id != requester.id:
            return [manager]
    return [u for u in active_admins(session=session) if u.id != quote.requested_by]

