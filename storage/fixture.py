"""Load a CRM state in the format of `../shared/eval/fixture.json` (`salesbot import`).

Ids in the file are kept, so eval cases and tests can refer to them. Times are wall-clock in the
file's `timezone`. Loading is one transaction: a bad file writes nothing.

Optional keys beyond the eval fixture (used by the demo dataset, `storage.demo`): a user's
`timezone`; an account's and a contact's `phone` and `email`; an opportunity's `history`
(`[{"stage", "on"}]`, oldest first, ending at its stage: one stage-change row each, and the
opportunity's created/updated times); a visit's `objections` and `next_step_due`; a quote's `note`,
`required_role`, `approver_id`, `decided_on` and `comment`; top-level `reminders` (`user_id`,
`text`, `due_at` wall-clock in the user's timezone, optional `account_id`, `status`, `kind`) and
`approval_rules` (the columns of `ApprovalRule`).
"""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session, select

from storage.models import (
    Account, ApprovalRule, Contact, Opportunity, Quote, QuoteStatus, Reminder, ReminderStatus, Role,
    Stage, StageChange, User, Visit, VisitContact,
)


class FixtureError(ValueError):
    pass


def import_fixture(data: dict[str, Any], *, session: Session) -> dict[str, int]:
    """Insert users, accounts, contacts, opportunities, quotes and visits; return counts."""
    tz = ZoneInfo(data.get("timezone", "Asia/Shanghai"))
    currency = data.get("default_currency", "CNY")
    try:
        counts = _load(data, tz, currency, session)
    except (KeyError, TypeError, ValueError) as exc:
        raise FixtureError(f"fixture is malformed: {exc!r}") from exc
    _reset_sequences(session)
    return counts


def _load(data, tz, currency, session) -> dict[str, int]:
    users = data.get("users", [])
    for u in users:  # managers first so manager_id always points at an existing row
        session.add(User(id=u["id"], name=u["name"], aliases=list(u.get("aliases", [])),
                         role=Role(u.get("role", "rep")), language=u.get("lang", "zh"),
                         timezone=u.get("timezone", str(tz))))
    session.flush()
    for u in users:
        if u.get("manager_id"):
            session.get(User, u["id"]).manager_id = u["manager_id"]
    contacts_by_name: dict[tuple[int, str], int] = {}
    for a in data.get("accounts", []):
        session.add(Account(id=a["id"], name=a["name"], aliases=list(a.get("aliases", [])),
                            industry=a.get("industry"), region=a.get("region"),
                            owner_id=a.get("owner_id"), phone=a.get("phone"), email=a.get("email")))
    session.flush()
    for a in data.get("accounts", []):
        for c in a.get("contacts", []):
            row = Contact(account_id=a["id"], name=c["name"], aliases=list(c.get("aliases", [])),
                          title=c.get("title"), phone=c.get("phone"), email=c.get("email"))
            session.add(row)
            session.flush()
            contacts_by_name[(a["id"], c["name"])] = row.id
    for o in data.get("opportunities", []):
        stage = Stage(o["stage"])
        closed = _date(o.get("closed_on"))
        session.add(Opportunity(
            id=o["id"], account_id=o["account_id"], name=o.get("name") or "", stage=stage,
            amount=_money(o.get("amount")), currency=o.get("currency", currency),
            expected_close=_date(o.get("expected_close")), closed_on=closed,
            owner_id=o["owner_id"], lost_reason=o.get("lost_reason"), competitor=o.get("competitor"),
        ))
        session.flush()
        if o.get("history"):
            _add_history(session.get(Opportunity, o["id"]), o["history"], tz, session)
            continue
        when = _at(o.get("created_on") or o.get("closed_on"), tz)
        if when is not None:
            session.add(StageChange(opportunity_id=o["id"], from_stage=None, to_stage=stage,
                                    changed_at=when, changed_by=o["owner_id"]))
    for q in data.get("quotes", []):
        session.add(Quote(
            id=q["id"], account_id=q["account_id"], opportunity_id=q.get("opportunity_id"),
            amount=_money(q["amount"]), currency=q.get("currency", currency),
            discount_pct=Decimal(str(q.get("discount_pct", 0))), product=q.get("product"),
            status=QuoteStatus(q.get("status", "pending")), requested_by=q["requested_by"],
            requested_at=_at(q.get("requested_on"), tz) or datetime.now(tz),
            note=q.get("note"), required_role=Role(q.get("required_role", "manager")),
            approver_id=q.get("approver_id"), decided_at=_at(q.get("decided_on"), tz),
            comment=q.get("comment"),
        ))
    for v in data.get("visits", []):
        row = Visit(id=v.get("id"), account_id=v["account_id"], opportunity_id=v.get("opportunity_id"),
                    rep_id=v["rep_id"], occurred_on=_date(v["occurred_on"]), channel=v.get("channel"),
                    summary=v.get("summary"), next_step=v.get("next_step"),
                    next_step_due=_date(v.get("next_step_due")), objections=list(v.get("objections", [])))
        session.add(row)
        session.flush()
        for name in v.get("contacts", []):
            cid = contacts_by_name.get((v["account_id"], name))
            if cid is not None:
                session.add(VisitContact(visit_id=row.id, contact_id=cid))
    user_tz = {u["id"]: u.get("timezone", str(tz)) for u in users}
    for r in data.get("reminders", []):
        zone = user_tz.get(r["user_id"], str(tz))
        session.add(Reminder(
            id=r.get("id"), user_id=r["user_id"], account_id=r.get("account_id"), text=r["text"],
            due_at=_at(r["due_at"], ZoneInfo(zone)), timezone=zone,
            status=ReminderStatus(r.get("status", "pending")), kind=r.get("kind", "followup"),
        ))
    for rule in data.get("approval_rules", []):
        session.add(ApprovalRule(
            id=rule.get("id"), name=rule["name"],
            min_discount_pct=_money(rule.get("min_discount_pct")), min_amount=_money(rule.get("min_amount")),
            currency=rule.get("currency", currency), approver_role=Role(rule.get("approver_role", "manager")),
        ))
    session.flush()
    kinds = ("users", "accounts", "opportunities", "quotes", "visits", "reminders", "approval_rules")
    return {k: len(data.get(k, [])) for k in kinds}


def _add_history(opp: Opportunity, history: list[dict], tz, session: Session) -> None:
    """One StageChange per entry; entries must be in date order and end at the opportunity's stage."""
    steps = [(Stage(h["stage"]), _at(h["on"], tz)) for h in history]
    if any(later < earlier for (_, earlier), (_, later) in zip(steps, steps[1:])):
        raise ValueError(f"opportunity {opp.id}: history is not in date order")
    if steps[-1][0] != opp.stage:
        raise ValueError(f"opportunity {opp.id}: history ends at {steps[-1][0]}, not at its stage {opp.stage}")
    previous = None
    for stage, when in steps:
        session.add(StageChange(opportunity_id=opp.id, from_stage=previous, to_stage=stage,
                                changed_at=when, changed_by=opp.owner_id))
        previous = stage
    opp.created_at, opp.updated_at = steps[0][1], steps[-1][1]


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value) -> date | None:
    return None if not value else date.fromisoformat(str(value)[:10])


def _at(value, tz) -> datetime | None:
    if not value:
        return None
    text_value = str(value)
    if len(text_value) == 10:
        return datetime.combine(date.fromisoformat(text_value), time(12), tzinfo=tz)
    parsed = datetime.fromisoformat(text_value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _reset_sequences(session: Session) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the highest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("user", "account", "contact", "opportunity", "quote", "visit", "stagechange", "reminder",
                  "approvalrule"):
        session.exec(text(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
        ))


def has_data(*, session: Session) -> bool:
    return session.exec(select(User.id).limit(1)).first() is not None
