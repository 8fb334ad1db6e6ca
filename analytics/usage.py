"""How the bot is used, for a period: active users per week, adoption per rep, features used and
never used, card outcomes and the cancellation rate (a sign of misunderstanding), the engines that
answered, proactive messages sent, and how long after a visit it was recorded.

Sources: `usageevent` (messages, tool calls, commands, card edits), `draft` (cards: confirmed,
cancelled, expired, failed; a draft that only answered a question is no card), `engine call`, `jobrun` (proactive messages sent), `visit`
(occurred_on vs created_at, for visits recorded through the bot), `auditlog` (records written)."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from analytics.approvals import percentile
from storage.models import AuditLog, Draft, EngineCall, JobRun, Visit
from storage.repos.usage import usage_events

# Everything a user can use: the tools, the commands, and the proactive messages they can receive.
TOOL_FEATURES = ("log_visit", "update_opportunity", "create_quote", "approve_quote", "reject_quote",
                 "create_reminder", "list_reminders", "list_pending_approvals", "top_accounts",
                 "pipeline_report", "account_overview", "data_health", "suggest_next_steps",
                 "reassign_accounts", "sales_forecast", "account_potential", "rename_opportunity", "rename_account",
                 "complete_reminder", "delete_reminder", "move_reminder", "weekly_report", "create_lead",
                 "update_lead", "convert_lead")
COMMAND_FEATURES = ("help", "notify", "start")
PROACTIVE_FEATURES = ("morning_brief", "stale_deals", "approval_nudges", "weekly_digest", "data_star",
                      "value_report")
CARD_OUTCOMES = ("confirmed", "cancelled", "expired", "failed")


@dataclass(frozen=True)
class RepUsage:
    user_id: int
    messages: int
    active_days: int
    records: int           # writes confirmed (audit entries)
    features: int          # distinct tools and commands used


@dataclass(frozen=True)
class Usage:
    messages: int
    message_kinds: dict[str, int]
    active_users_per_week: tuple[tuple[date, int], ...]   # (Monday, distinct users)
    active_users: int
    per_rep: tuple[RepUsage, ...]
    feature_counts: dict[str, int]                        # every feature, zeros included
    cards: dict[str, int]                                 # outcomes + edited
    cancellation_rate: float | None
    engines: dict[str, int]
    engine_fallbacks: int
    proactive: dict[str, int]
    visit_to_record_days: dict[str, float | None]         # median, p90, same_day share

    @property
    def used(self) -> list[str]:
        return [f for f, n in self.feature_counts.items() if n]

    @property
    def never_used(self) -> list[str]:
        return [f for f, n in self.feature_counts.items() if not n]


def usage(*, session: Session, start: date, end: date, tz: ZoneInfo,
          user_ids: Collection[int] | None = None, rep_ids: Collection[int] = ()) -> Usage:
    """Usage in [start, end) (local dates in `tz`) by `user_ids` (None = everyone); `rep_ids` get a
    row each in `per_rep`, used or not."""
    lo = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(end, datetime.min.time(), tzinfo=tz)

    def mine(uid: int | None) -> bool:
        return user_ids is None or uid in user_ids

    events = [e for e in usage_events(session=session, start=lo, end=hi) if mine(e.user_id)]
    messages = [e for e in events if e.kind == "message"]
    weeks: dict[date, set[int]] = defaultdict(set)
    for e in messages:
        day = e.at.astimezone(tz).date()
        weeks[day - timedelta(days=day.weekday())].add(e.user_id)
    monday = start - timedelta(days=start.weekday())
    per_week = []
    while monday < end:
        per_week.append((monday, len(weeks.get(monday, ()))))
        monday += timedelta(days=7)

    features = Counter({f: 0 for f in TOOL_FEATURES + COMMAND_FEATURES + PROACTIVE_FEATURES})
    for e in events:
        if e.kind in ("tool", "command"):
            features[e.name] += 1
    jobs = [j for j in session.exec(select(JobRun).where(JobRun.finished_at >= lo, JobRun.finished_at < hi,
                                                         JobRun.status == "sent")).all() if mine(j.user_id)]
    proactive = Counter(j.kind for j in jobs)
    for kind, n in proactive.items():
        features[kind] += n

    # a draft that only answered questions ends confirmed with no calls left: it was never a card
    drafts = [d for d in session.exec(select(Draft).where(Draft.created_at >= lo, Draft.created_at < hi)).all()
              if mine(d.user_id) and d.calls]
    cards = Counter(str(d.status) for d in drafts if str(d.status) in CARD_OUTCOMES)
    cards = {k: cards.get(k, 0) for k in CARD_OUTCOMES}
    cards["edited"] = sum(1 for e in events if e.kind == "card" and e.name == "edited")
    decided = cards["confirmed"] + cards["cancelled"] + cards["expired"]
    calls = [c for c in session.exec(select(EngineCall).where(EngineCall.at >= lo, EngineCall.at < hi)).all()
             if mine(c.user_id)]

    audits = [a for a in session.exec(select(AuditLog).where(AuditLog.at >= lo, AuditLog.at < hi)).all()
              if mine(a.actor_id)]
    per_rep = []
    for rep in rep_ids:
        own = [e for e in events if e.user_id == rep]
        per_rep.append(RepUsage(
            rep, sum(1 for e in own if e.kind == "message"),
            len({e.at.astimezone(tz).date() for e in own if e.kind == "message"}),
            sum(1 for a in audits if a.actor_id == rep),
            len({e.name for e in own if e.kind in ("tool", "command")})))

    # visits recorded through the bot (their audited creation), not imported ones
    logged = {a.entity_id for a in audits if a.entity == "visit" and a.action == "create"}
    visits = list(session.exec(select(Visit).where(Visit.id.in_(list(logged))))) if logged else []
    lags = [max(0, (v.created_at.astimezone(tz).date() - v.occurred_on).days) for v in visits]
    return Usage(
        messages=len(messages), message_kinds=dict(Counter(e.name for e in messages)),
        active_users_per_week=tuple(per_week), active_users=len({e.user_id for e in messages}),
        per_rep=tuple(sorted(per_rep, key=lambda r: (-r.messages, r.user_id))),
        feature_counts=dict(features), cards=cards,
        cancellation_rate=cards["cancelled"] / decided if decided else None,
        engines=dict(Counter(c.engine for c in calls)), engine_fallbacks=sum(1 for c in calls if not c.ok),
        proactive=dict(proactive),
        visit_to_record_days={
            "median": statistics.median(lags) if lags else None,
            "p90": percentile(lags, 0.9) if lags else None,
            "same_day": sum(1 for x in lags if x == 0) / len(lags) if lags else None})
