"""data_health: how complete and clean the CRM is, per rep, with duplicates and stale deals.

Checks:
- a visit names at least one contact;
- an open deal past prospect (evaluation, negotiation) has an amount and an expected close date;
- an account has an industry and an owner;
- an open deal is stale when nothing touched it (an edit, a stage move, a visit on its account)
  for `settings.stale_deal_days`;
- two accounts are duplicate candidates when a name or alias is the same after stripping legal
  suffixes, when their core names are ≥ 90 similar (rapidfuzz ratio), or when they share a phone
  or an email;
- 合同合规率 this quarter: the deals won with a contract attached whose amount matches the approved
  quote, of all deals won (`storage.repos.attachments.contract_compliance`); not part of the score;
- anomalies in the last 90 days: a deal amount that jumped (the new amount is ≥ 3× or ≤ ⅓ of the
  old one, from the audit log: often a slipped digit) and a stage that went backwards (from the
  stage history; lost → won is not backwards).

The data star of a month ranks reps by the completeness of what they recorded in it: visits on
days of the month, and the deals in evaluation, negotiation or won they own and touched in it
(each needs an amount, and a close date unless won). The highest share of complete checks comes
first, then more checks, then the name; a rep needs at least one check to be ranked.

Score (0–100, also per rep): 70 × (complete checks / all checks) + 30 × (fresh open deals / open
deals), rounded half up; the overall score loses 5 points per duplicate pair. No checks or no
open deals count as complete / fresh.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any


from sqlmodel import select

from storage.models import Account, AuditLog, Opportunity, Stage, StageChange
from storage.names import SIMILAR_NAME, duplicate_pairs  # noqa: F401  (SIMILAR_NAME: re-exported)
from storage.repos.accounts import account_names, live_account_rows
from storage.repos.attachments import contract_compliance
from storage.repos.deals import deal_rows, last_stage_changes, stage_history, stage_history_rows
from storage.repos.users import users_by_id
from storage.repos.visits import contact_counts, last_visit_days, visits_without_contact
from tools.base import ToolContext, ToolResult, tool
from tools.deal_rules import is_backwards
from tools.periods import DateRange, period_range
from tools.permissions import Reach, scoped_reach
from tools.pipeline import CLOSED
from tools.schemas import DataHealthArgs
from tools.values import ref

DUPLICATE_PENALTY = 5
ACCOUNT_FIELDS = ("id", "name", "aliases", "phone", "email", "industry", "owner_id")  # what the checks read
DEAL_FIELDS = ("id", "name", "account_id", "stage", "amount", "currency", "expected_close", "owner_id", "updated_at")
ANOMALY_DAYS = 90
AMOUNT_JUMP = Decimal(3)


@dataclass
class Tally:
    checked: int = 0
    complete: int = 0
    open_deals: int = 0
    stale: int = 0
    issues: list[dict[str, Any]] = field(default_factory=list)

    def check(self, ok: bool, issue: dict[str, Any]) -> None:
        self.checked += 1
        if ok:
            self.complete += 1
        else:
            self.issues.append(issue)

    def add(self, checked: int, complete: int) -> None:
        """Checks that passed or that the database counted, listing no issue."""
        self.checked += checked
        self.complete += complete

    def score(self, duplicates: int = 0) -> int:
        completeness = Fraction(self.complete, self.checked) if self.checked else Fraction(1)
        freshness = Fraction(self.open_deals - self.stale, self.open_deals) if self.open_deals else Fraction(1)
        raw = 70 * completeness + 30 * freshness
        return max(0, min(100, int(raw + Fraction(1, 2)) - DUPLICATE_PENALTY * duplicates))


@tool(writes=False)
def data_health(ctx: ToolContext, args: DataHealthArgs) -> ToolResult:
    """Report CRM data quality for a scope (mine or team; default team for managers and admins,
    mine for reps): per rep, visits without a contact, deals past prospect without an amount or
    close date, accounts without an industry; duplicate-account candidates; stale deals;
    anomalies (amounts that jumped, stages that went backwards); this month's data star ranking;
    and a 0–100 score."""
    reach, scope, narrowed = scoped_reach(ctx, args.scope)
    session, today = ctx.session, ctx.today()
    accounts = live_account_rows(session=session, owner_ids=reach.user_ids, columns=ACCOUNT_FIELDS)
    deals = deal_rows(reach.user_ids, session=session, columns=DEAL_FIELDS)
    recent = stage_history_rows(reach.user_ids, session=session, moved_in=(anomalies_since(ctx, today), None))
    tallies: dict[int | None, Tally] = defaultdict(Tally)

    # visits: counted in SQL; only those without a contact come back, in id order
    for rep_id, (_count, named) in contact_counts(reach.user_ids, session=session).items():
        tallies[rep_id].add(named, named)
    for visit in visits_without_contact(reach.user_ids, session=session):
        tallies[visit.rep_id].check(False, {
            "kind": "visit_without_contact", "visit_id": visit.id, "occurred_on": visit.occurred_on.isoformat()})
    # an issue is written out only for what fails (most rows pass)
    for deal in deals:
        if deal.stage in (Stage.evaluation, Stage.negotiation):
            if missing := [f for f in ("amount", "expected_close") if getattr(deal, f) is None]:
                tallies[deal.owner_id].check(False, {"kind": "deal_incomplete", "deal": ref(deal), "missing": missing})
            else:
                tallies[deal.owner_id].add(1, 1)
    for account in accounts:
        if missing := [name for name, value in (("industry", account.industry), ("owner", account.owner_id))
                       if value in (None, "")]:
            tallies[account.owner_id].check(False, {"kind": "account_incomplete", "account": ref(account),
                                                    "missing": missing})
        else:
            tallies[account.owner_id].add(1, 1)

    stale = stale_deals(ctx, [d for d in deals if d.stage not in CLOSED], today,
                        last_stage_changes(session=session, owner_ids=reach.user_ids))
    for deal in deals:
        if deal.stage not in CLOSED:
            tallies[deal.owner_id].open_deals += 1
    for item in stale:
        tallies[item["owner_id"]].stale += 1

    duplicates = duplicate_accounts(accounts)
    total = Tally()
    for tally in tallies.values():
        total.checked += tally.checked
        total.complete += tally.complete
        total.open_deals += tally.open_deals
        total.stale += tally.stale
    people = users_by_id([u for u in tallies if u is not None], session=session)
    reps = [{"user": ref(people.get(user_id)) if user_id is not None else None,
             "checked": t.checked, "complete": t.complete, "open_deals": t.open_deals, "stale": t.stale,
             "score": t.score(), "issues": t.issues}
            for user_id, t in sorted(tallies.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))]
    return ToolResult("data_health", {
        "scope": scope, "scope_narrowed": narrowed, "score": total.score(len(duplicates)),
        "checked": total.checked, "complete": total.complete, "open_deals": total.open_deals,
        "stale_days": ctx.settings.stale_deal_days,
        "reps": reps, "duplicates": duplicates, "stale_deals": stale,
        "anomalies": anomalies(ctx, deals, today, recent),
        "data_star": data_star(ctx, reach, period_range("this_month", today), deals=deals),
        "contract_compliance": compliance(ctx, reach, period_range("this_quarter", today), deals),
    })


def compliance(ctx: ToolContext, reach: Reach, period: DateRange, deals: list) -> dict[str, Any]:
    """合同合规率 of the deals won in `period` by owners in reach (`deals`: theirs), and the deals
    that miss it."""
    found = contract_compliance(period.start, period.end, session=ctx.session, owner_ids=reach.user_ids)
    names = {d.id: d for d in deals}
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "won": found.won,
            "with_contract": found.with_contract, "compliant": found.compliant, "rate": found.rate,
            "missing": [ref(names[i]) for i in found.missing if i in names],
            "mismatched": [ref(names[i]) for i in found.mismatched if i in names]}


def stale_deals(ctx: ToolContext, open_deals: list[Opportunity], today: date,
                last_moves: dict[int, datetime] | None = None) -> list[dict[str, Any]]:
    """Open deals untouched (edit, stage move, visit on the account) for `stale_deal_days`.
    `last_moves`: each deal's latest stage change when the caller has them (a superset is fine)."""
    tz, limit = ctx.tz, ctx.settings.stale_deal_days
    if last_moves is None:
        last_moves = last_stage_changes(session=ctx.session, deal_ids=[d.id for d in open_deals])
    last_visit = last_visit_days({d.account_id for d in open_deals}, session=ctx.session)
    # touched on a day after `cutoff` (for an instant: at or after that day's local midnight) is fresh
    cutoff = today - timedelta(days=limit)
    fresh_from = DateRange(cutoff + timedelta(days=1), today).bounds(tz)[0]
    idle_deals = []
    for deal in open_deals:
        moved, visited = last_moves.get(deal.id), last_visit.get(deal.account_id)
        if (deal.updated_at >= fresh_from or (moved is not None and moved >= fresh_from)
                or (visited is not None and visited > cutoff)):
            continue  # most open deals: three comparisons, no time-zone conversion
        last = max(day for day in (deal.updated_at.astimezone(tz).date(),
                                   moved.astimezone(tz).date() if moved is not None else None, visited) if day)
        idle_deals.append((deal, last, (today - last).days))
    accounts = account_names({deal.account_id for deal, _, _ in idle_deals}, session=ctx.session)
    out = [{"deal": ref(deal), "account": {"id": deal.account_id, "name": accounts[deal.account_id]},
            "stage": str(deal.stage), "owner_id": deal.owner_id, "last_touch": last.isoformat(), "days_idle": idle}
           for deal, last, idle in idle_deals]
    return sorted(out, key=lambda item: -item["days_idle"])


def warm_up(session) -> None:
    """Fill the duplicate finder's caches with every live account (what an admin's report reads),
    so the first data-health request after start does not pay for them. For start-up threads."""
    duplicate_pairs(live_account_rows(session=session, owner_ids=None, columns=ACCOUNT_FIELDS))


def duplicate_accounts(accounts: list[Account]) -> list[dict[str, Any]]:
    """Duplicate candidates (`storage.names.duplicate_pairs`) as the report shows them."""
    return [{"accounts": [ref(p.first), ref(p.second)], "reasons": list(p.reasons), "similarity": p.similarity}
            for p in duplicate_pairs(accounts)]


def anomalies(ctx: ToolContext, deals: list[Opportunity], today: date,
              history: dict[int, list[StageChange]] | None = None) -> list[dict[str, Any]]:
    """Amount jumps (audit log) and backward stage moves (stage history) of `deals` in the last
    `ANOMALY_DAYS` days, newest first. `history`: the deals' stage history when the caller has it
    (a superset, or only the deals that moved since `anomalies_since`, is fine)."""
    if not deals:
        return []
    tz, by_id = ctx.tz, {d.id: d for d in deals}
    since = anomalies_since(ctx, today)
    out: list[dict[str, Any]] = []
    if history is None:
        history = stage_history(list(by_id), session=ctx.session)
    for deal_id, changes in history.items():
        if deal_id not in by_id:
            continue
        for change in changes:
            if (change.from_stage is not None and change.changed_at >= since
                    and is_backwards(Stage(change.from_stage), Stage(change.to_stage))):
                out.append({"kind": "stage_backwards", "deal": ref(by_id[deal_id]),
                            "owner_id": by_id[deal_id].owner_id, "from": str(change.from_stage),
                            "to": str(change.to_stage), "on": change.changed_at.astimezone(tz).date().isoformat(),
                            "by": change.changed_by})
    audits = ctx.session.exec(select(AuditLog).where(
        AuditLog.entity == "opportunity", AuditLog.action == "update", AuditLog.at >= since)
        .order_by(AuditLog.at, AuditLog.id)).all()
    for entry in (a for a in audits if a.entity_id in by_id):  # recent updates are few; deals may be many
        before, after = _amount(entry.before), _amount(entry.after)
        if before and after and (after >= before * AMOUNT_JUMP or after * AMOUNT_JUMP <= before):
            deal = by_id[entry.entity_id]
            out.append({"kind": "amount_jump", "deal": ref(deal), "owner_id": deal.owner_id,
                        "before": str(before), "after": str(after), "currency": deal.currency,
                        "on": entry.at.astimezone(tz).date().isoformat(), "by": entry.actor_id})
    return sorted(out, key=lambda item: item["on"], reverse=True)


def anomalies_since(ctx: ToolContext, today: date) -> datetime:
    """The start of the window `anomalies` looks at."""
    return DateRange(today - timedelta(days=ANOMALY_DAYS), today).bounds(ctx.tz)[0]


def _amount(values: dict | None) -> Decimal | None:
    raw = (values or {}).get("amount")
    try:
        amount = Decimal(str(raw)) if raw is not None else None
    except InvalidOperation:
        return None
    return amount if amount is not None and amount > 0 else None


def data_star(ctx: ToolContext, reach: Reach, span: DateRange, *, deals: list | None = None) -> list[dict[str, Any]]:
    """Reps in `reach` ranked by the completeness of what they recorded during `span` (see the
    module docstring); `rank` 1 is the month's data star. `deals`: the deals of `reach` when the
    caller has them."""
    tz, session = ctx.tz, ctx.session
    start, end = span.bounds(tz)
    owners = reach.user_ids
    tallies: dict[int, Tally] = defaultdict(Tally)
    for rep_id, (count, named) in contact_counts(owners, session=session, start=span.start, end=span.end).items():
        tallies[rep_id].add(count, named)
    if deals is None:
        deals = deal_rows(owners, session=session, columns=DEAL_FIELDS)
    moved = set(session.exec(select(StageChange.opportunity_id).where(
        StageChange.changed_at >= start, StageChange.changed_at < end)).all()) & {d.id for d in deals}
    for deal in deals:
        touched = start <= deal.updated_at < end or deal.id in moved
        if touched and deal.stage in (Stage.evaluation, Stage.negotiation, Stage.won):
            complete = deal.amount is not None and (deal.expected_close is not None or deal.stage in CLOSED)
            tallies[deal.owner_id].check(complete, {"kind": "deal_incomplete"})
    people = users_by_id(tallies, session=session)
    rows = [(uid, t) for uid, t in tallies.items() if t.checked and uid in people
            and str(people[uid].role) == "rep"]
    rows.sort(key=lambda item: (-Fraction(item[1].complete, item[1].checked), -item[1].checked,
                                people[item[0]].name))
    return [{"rank": i, "user": ref(people[uid]), "checked": t.checked, "complete": t.complete,
             "completeness": round(t.complete / t.checked, 4)}
            for i, (uid, t) in enumerate(rows, start=1)]
