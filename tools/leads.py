"""Leads: intake from any channel, matching, routing, and the lifecycle with its history.

`intake` is the one entry for new leads (CSV import, `POST /api/leads`, a rep's chat): each row is
validated (`LeadInput`), matched (`tools.lead_match`: another channel of an open lead is merged into
it and its source added to `sources`; a known customer links `account_id`), routed
(`tools.lead_routing`) and written with its history. A bad row is rejected with its reason and the
others still load.

Lifecycle: new → assigned → contacted → qualified → converted | disqualified (reason). `transition`
is the only way a status changes; it writes a `LeadEvent` (who, when, from, to) every time.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from storage.leadkeys import (
    company_key, credit_code_key, email_key, phone_key, valid_credit_code, valid_email,
)
from storage.models import Lead, LeadEvent, LeadStatus, User
from storage.repos import outbox
from tools.base import ToolError
from tools.lead_match import LeadMatcher
from tools.lead_routing import Router
from tools.lead_rules import RoutingRules

S = LeadStatus
TRANSITIONS: dict[str, set[str]] = {
    S.new: {S.assigned, S.contacted, S.disqualified},
    S.assigned: {S.assigned, S.contacted, S.qualified, S.converted, S.disqualified},
    S.contacted: {S.assigned, S.qualified, S.converted, S.disqualified},
    S.qualified: {S.assigned, S.converted, S.disqualified},
    S.converted: set(),
    S.disqualified: {S.assigned},  # reopened by a manager
}
FILLABLE = ("contact", "phone", "email", "region", "industry", "note", "credit_code")
_PHONE = re.compile(r"^\+?[\d\s\-()]{7,32}$")
PER_LEAD_NOTICES = 3  # a rep given more leads than this in one batch gets one summary instead


class LeadInput(BaseModel):
    """One lead as it arrives. Only the company is required; the rest is checked when given."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    company: str = Field(min_length=1, max_length=200, description="company name")
    contact: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=64)
    email: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=100)
    industry: str | None = Field(None, max_length=100)
    source: str | None = Field(None, max_length=100, description="channel: 官网, 展会, 天猫, ...")
    note: str | None = Field(None, max_length=2000)
    credit_code: str | None = Field(None, description="统一社会信用代码, 18 characters")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None and not (isinstance(v, str) and not v.strip())}
        return data

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        if v is not None and (not _PHONE.match(v) or len(re.sub(r"\D", "", v)) < 7):
            raise ValueError("not a phone number (digits, spaces, + - and brackets; at least 7 digits)")
        return v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not valid_email(v):
            raise ValueError("not an email address")
        return v

    @field_validator("credit_code")
    @classmethod
    def _credit(cls, v: str | None) -> str | None:
        if v is not None:
            if not valid_credit_code(v):
                raise ValueError("not a valid 统一社会信用代码 (18 characters with a correct check character)")
            return credit_code_key(v)
        return v


def row_problem(exc: ValidationError) -> str:
    """A validation error as one line naming the field: 'email: not an email address'."""
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "row"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field"
        parts.append(f"{name}: {msg}")
    return "; ".join(parts)


@dataclass
class IntakeResult:
    imported: int = 0
    merged: int = 0
    existing_customer: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    assigned: Counter[int] = field(default_factory=Counter)
    leads: list[tuple[Any, str]] = field(default_factory=list)  # (Lead | NewLead, "created" | "merged")

    def summary(self, users: dict[int, User]) -> dict[str, Any]:
        return {"imported": self.imported, "merged": self.merged, "existing_customer": self.existing_customer,
                "rejected": self.rejected,
                "assigned": {users[uid].name if uid in users else str(uid): n
                             for uid, n in sorted(self.assigned.items(), key=lambda kv: (-kv[1], kv[0]))}}


class NewLead(SimpleNamespace):
    """A lead of this batch not written yet: the columns of `Lead` as attributes (cheaper than an
    ORM object; the batch is written with one multi-row insert per chunk), then its `id`."""

    COLUMNS: tuple[str, ...] = ()

    def row(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in self.COLUMNS}


NewLead.COLUMNS = tuple(c.name for c in Lead.__table__.columns if c.name != "id")


def intake(rows: Iterable[tuple[int, dict[str, Any]]], *, session, rules: RoutingRules, now: datetime,
           actor_id: int | None, notify: bool = True, chunk: int = 2000,
           matcher: LeadMatcher | None = None, router: Router | None = None) -> IntakeResult:
    """Validate, match, route and write each `(row number, fields)`; see the module docstring.
    `result.leads` holds the written leads (`Lead` rows, or `NewLead`s with their ids)."""
    matcher = matcher or LeadMatcher(session)
    router = router or Router(rules, session=session)
    result = IntakeResult()
    pending: list[NewLead] = []
    blank = dict.fromkeys(NewLead.COLUMNS)
    for number, raw in rows:
        try:
            data = LeadInput.model_validate(raw)
        except ValidationError as exc:
            result.rejected.append({"row": number, "reason": row_problem(exc)})
            continue
        found = matcher.match(company=data.company, phone=data.phone, email=data.email,
                              credit_code=data.credit_code)
        if found.lead is not None:
            lead = found.lead
            _merge_into(lead, data, now)
            event = {"action": "merged", "detail": f"{data.source or '?'}: {data.company}"}
            if isinstance(lead, NewLead):
                lead.events.append(event)
            else:
                session.add(lead)
                session.add(_event(lead.id, now, actor_id, **event))
            result.merged += 1
            result.leads.append((lead, "merged"))
            matcher.remember(lead)
            continue
        lead = NewLead(**blank)
        lead.__dict__.update(data.model_dump())
        lead.__dict__.update(
            sources=[data.source] if data.source else [], account_id=found.account_id,
            contact_id=found.contact_id, company_key=company_key(data.company), phone_key=phone_key(data.phone),
            email_key=email_key(data.email), status=S.new.value, created_at=now, updated_at=now, id=None,
            events=[{"action": "created", "to_status": S.new.value, "detail": data.source}])
        if found.account_id is not None:
            result.existing_customer += 1
        decision = router.route(lead)
        if decision.owner_id is not None:
            _assign_fields(lead, decision.owner_id, now, rules)
            lead.events.append({"action": "assigned", "from_status": S.new.value, "to_status": S.assigned.value,
                                "owner_id": decision.owner_id, "detail": decision.describe()})
            router.assigned(decision.owner_id)
            result.assigned[decision.owner_id] += 1
        pending.append(lead)
        matcher.remember(lead)
        result.imported += 1
        result.leads.append((lead, "created"))
        if len(pending) >= chunk:
            _write(session, pending, now, actor_id)
    _write(session, pending, now, actor_id)
    session.flush()
    if notify:
        _notify_assigned(result, session=session, now=now)
    return result


def _write(session, pending: list[NewLead], now: datetime, actor_id: int | None) -> None:
    """Insert the chunk's new leads (ids in order), then their history."""
    if not pending:
        return
    session.flush()
    ids = _new_ids(session, len(pending))
    for lead, lead_id in zip(pending, ids):
        lead.id = lead_id
    session.execute(sa.insert(Lead.__table__), [{"id": lead.id, **lead.row()} for lead in pending])
    events = []
    for lead in pending:
        for event in lead.events:
            events.append({"lead_id": lead.id, "at": now, "actor_id": actor_id, "from_status": None,
                           "to_status": None, "owner_id": None, "detail": None, **event})
        lead.events = []
    session.execute(sa.insert(LeadEvent.__table__), events)
    pending.clear()


def _new_ids(session, n: int) -> list[int]:
    """`n` fresh lead ids, so one batch is written with a plain multi-row insert: PostgreSQL draws
    them from the id sequence; SQLite takes the next ones (the write transaction holds the
    database lock, see `storage.db`, so nobody else can take them meanwhile)."""
    if session.get_bind().dialect.name == "postgresql":
        return list(session.execute(sa.text(
            "SELECT nextval(pg_get_serial_sequence('lead', 'id')) FROM generate_series(1, :n)"), {"n": n}).scalars())
    top = session.execute(sa.select(sa.func.max(Lead.__table__.c.id))).scalar() or 0
    return list(range(top + 1, top + n + 1))


def _event(lead_id: int, at: datetime, actor_id: int | None, *, action: str, from_status: str | None = None,
           to_status: str | None = None, owner_id: int | None = None, detail: str | None = None) -> LeadEvent:
    return LeadEvent(lead_id=lead_id, at=at, actor_id=actor_id, action=action, from_status=from_status,
                     to_status=to_status, owner_id=owner_id, detail=detail)


def _merge_into(lead: Lead, data: LeadInput, now: datetime) -> None:
    if data.source and data.source not in (lead.sources or []):
        lead.sources = [*(lead.sources or []), data.source]
    for name in FILLABLE:
        value = getattr(data, name)
        if value and not getattr(lead, name):
            setattr(lead, name, value)
    lead.phone_key = lead.phone_key or phone_key(lead.phone)
    lead.email_key = lead.email_key or email_key(lead.email)
    lead.updated_at = now


def _assign_fields(lead: Lead, owner_id: int, now: datetime, rules: RoutingRules) -> None:
    lead.owner_id = owner_id
    lead.status = S.assigned
    lead.assigned_at = now
    lead.nudged_at = None
    lead.contact_due = now + rules.sla.first_contact if rules.sla.first_contact else None
    lead.updated_at = now


def transition(lead: Lead, to: str, *, session, actor_id: int | None, now: datetime,
               owner_id: int | None = None, reason: str | None = None, rules: RoutingRules | None = None) -> None:
    """Move `lead` to status `to`, recording who and when; `lead_bad_transition` when the
    lifecycle does not allow it (a converted lead is final)."""
    before = lead.status
    if to not in TRANSITIONS[S(before)]:
        raise ToolError("lead_bad_transition", company=lead.company, status=before, to=to)
    if to == S.assigned:
        if owner_id is None:
            raise ToolError("lead_bad_transition", company=lead.company, status=before, to=to)
        _assign_fields(lead, owner_id, now, rules or RoutingRules())
        lead.contacted_at = None
    else:
        lead.status = to
    if to == S.contacted:
        lead.contacted_at = now
        if lead.owner_id is None:
            lead.owner_id = actor_id
            lead.assigned_at = now
    elif to == S.converted:
        lead.converted_at = now
    elif to == S.disqualified:
        lead.disqualified_reason = reason
    lead.updated_at = now
    session.add(lead)
    session.add(_event(lead.id, now, actor_id, action=to if to != S.assigned or before == S.new else "reassigned",
                       from_status=before, to_status=to, owner_id=lead.owner_id, detail=reason))
    session.flush()


def lead_card(lead: Lead, tz: str | None = None) -> dict[str, Any]:
    """A lead as JSON-ready data for a card or a notice; `contact_due` in the reader's time zone."""
    due = lead.contact_due
    if due is not None and tz:
        try:
            due = due.astimezone(ZoneInfo(tz))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return {"id": lead.id, "company": lead.company, "contact": lead.contact, "phone": lead.phone,
            "email": lead.email, "region": lead.region, "industry": lead.industry,
            "sources": list(lead.sources or []), "note": lead.note, "status": lead.status,
            "owner_id": lead.owner_id, "account_id": lead.account_id,
            "contact_due": due.isoformat() if due else None}


def _notify_assigned(result: IntakeResult, *, session, now: datetime) -> None:
    by_owner: dict[int, list[Lead]] = {}
    for lead, how in result.leads:
        if how == "created" and lead.owner_id is not None and lead.status == S.assigned:
            by_owner.setdefault(lead.owner_id, []).append(lead)
    zones = dict(session.execute(sa.select(User.id, User.timezone).where(User.id.in_(list(by_owner)))).all())
    for owner_id, leads in by_owner.items():
        if len(leads) <= PER_LEAD_NOTICES:
            for lead in leads:
                outbox.enqueue(owner_id, "lead_assigned", {"lead": lead_card(lead, zones.get(owner_id))},
                               session=session, now=now)
        else:
            outbox.enqueue(owner_id, "leads_assigned", {"count": len(leads),
                                                        "companies": [l.company for l in leads[:5]]},
                           session=session, now=now)
