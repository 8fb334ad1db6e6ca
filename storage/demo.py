"""A realistic, seeded demo CRM (`salesbot demo`), in the format of the eval fixture.

`build_demo` returns a dict that `storage.fixture.import_fixture` loads as is: 8 users (three zh
reps under a zh manager, two en reps under an en manager, one admin), 40 accounts with contacts
(three near-duplicates and some incomplete records for the data-health report), 150 opportunities
of which 100 are closed, each with a stage `history` and 2–6 visits whose notes tell what moved
the deal forward or why it was lost, approved/rejected/pending quotes, approval rules and pending
reminders. Every date lies in the ~18 months up to `today`, and the same `seed` and `today` give
the same dataset. User 1 is a zh rep with open deals, for `salesbot chat --as 1`.
"""
from __future__ import annotations

import math
import string
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from typing import Any

from sqlmodel import Session

from storage.demo_data.accounts import ACCOUNTS, ADMIN, UNOWNED_FALLBACK_REP, USERS
from storage.demo_data.notes import (
    DRIVER_STAGE, DRIVERS, LOSS_OBJECTIONS, NOTES, OBJECTION_STAGE, OBJECTIONS,
)
from storage.fixture import FixtureError, has_data, import_fixture
from storage.models import Stage

TIMEZONE = "Asia/Shanghai"
HISTORY_DAYS = 540
# (closed, open) deals per rep; the duplicate accounts' deals count towards their owner's quota.
REP_QUOTAS = {1: (22, 10), 2: (20, 10), 6: (18, 8), 4: (21, 11), 7: (19, 11)}
WON_DEALS = 58
OPEN_STAGES = [Stage.prospect] * 16 + [Stage.evaluation] * 18 + [Stage.negotiation] * 16
DUPLICATE_DEALS = {38: "open", 39: "closed"}
PENDING_QUOTES = 7

P, E, N, W, L = Stage.prospect, Stage.evaluation, Stage.negotiation, Stage.won, Stage.lost
# Days a deal spends in a stage before it moves on.
DWELL = {P: (10, 45), E: (14, 60), N: (7, 40)}
LOSS_WEIGHTS = {"price": 3, "competitor": 3, "budget_freeze": 2, "security_review": 1.5,
                "integration": 1.5, "no_decision": 1}
APPROVAL_RULES = [
    {"name": "折扣10%及以上 / discount 10%+", "min_discount_pct": 10, "approver_role": "manager"},
    {"name": "折扣20%及以上 / discount 20%+", "min_discount_pct": 20, "approver_role": "admin"},
    {"name": "大单（300万元及以上）", "min_amount": 3000000, "currency": "CNY", "approver_role": "admin"},
    {"name": "Large deal (USD 500k+)", "min_amount": 500000, "currency": "USD", "approver_role": "admin"},
    {"name": "Large deal (EUR 450k+)", "min_amount": 450000, "currency": "EUR", "approver_role": "admin"},
]


@dataclass
class _Deal:
    account: dict[str, Any]
    owner_id: int
    stage: Stage
    history: list[tuple[Stage, date]]
    amount: Decimal | None
    name: str
    product: str
    values: dict[str, Any]
    drivers: list[str] = field(default_factory=list)
    objections: list[str] = field(default_factory=list)
    handled: list[str] = field(default_factory=list)
    loss_reason: str | None = None
    expected_close: date | None = None
    id: int = 0
    told: set[str] = field(default_factory=set)  # templates used, so a deal's notes do not repeat

    @property
    def lang(self) -> str:
        return self.account["lang"]

    @property
    def currency(self) -> str:
        return self.account["currency"]

    @property
    def closed_on(self) -> date | None:
        return self.history[-1][1] if self.stage.is_closed else None

    def stage_on(self, day: date) -> Stage:
        return [stage for stage, on in self.history if on <= day][-1]

    def entered(self, stage: Stage) -> date | None:
        return next((on for s, on in self.history if s == stage), None)


def build_demo(seed: int = 7, today: date | None = None) -> dict[str, Any]:
    """The demo dataset for `today` (the machine's date when not given), as a fixture dict."""
    today = today or date.today()
    rng = Random(seed)
    deals = _plan_deals(rng, today)
    deals.sort(key=lambda d: (d.history[0][1], d.account["id"], d.name))
    for number, deal in enumerate(deals, 1):
        deal.id = number
    _add_imperfections(rng, [d for d in deals if not d.stage.is_closed], today)
    references = sorted((d.closed_on, d.account["id"]) for d in deals if d.stage == W)
    visits = [v for d in deals for v in _visits(rng, d, today, references)]
    visits.sort(key=lambda v: (v["occurred_on"], v["opportunity_id"]))
    for number, visit in enumerate(visits, 1):
        visit["id"] = number
    quotes = _quotes(rng, deals, today)
    waiting = {q["opportunity_id"] for q in quotes if q["status"] == "pending"}
    return {
        "about": "Salesbot demo CRM: a seeded, realistic sales team with 18 months of history.",
        "timezone": TIMEZONE,
        "default_currency": "CNY",
        "users": [dict(u) for u in USERS],
        "accounts": [_account_record(a) for a in ACCOUNTS],
        "opportunities": [_opportunity_record(d) for d in deals],
        "quotes": quotes,
        "visits": visits,
        "reminders": _reminders(rng, deals, visits, waiting, today),
        "approval_rules": [dict(r) for r in APPROVAL_RULES],
    }


def load_demo(*, session: Session, today: date | None = None, seed: int = 7) -> dict[str, int]:
    """Load the demo into an empty database in `session`; return the counts per kind.

    Raises `FixtureError` when the database already holds users: the demo keeps its own ids.
    """
    if has_data(session=session):
        raise FixtureError("the database already has data; load the demo into an empty database")
    return import_fixture(build_demo(seed=seed, today=today), session=session)


# --- planning ---------------------------------------------------------------------------------


def _deal_owner(account: dict[str, Any]) -> int:
    return account["owner_id"] or UNOWNED_FALLBACK_REP


def _plan_deals(rng: Random, today: date) -> list[_Deal]:
    outcomes = [W] * WON_DEALS + [L] * (sum(c for c, _ in REP_QUOTAS.values()) - WON_DEALS)
    open_stages = list(OPEN_STAGES)
    rng.shuffle(outcomes)
    rng.shuffle(open_stages)
    names_used: dict[int, set[str]] = {}
    deals: list[_Deal] = []
    for rep, (closed, open_) in REP_QUOTAS.items():
        kinds = ["closed"] * closed + ["open"] * open_
        slots: list[tuple[dict, str]] = []
        for account_id, kind in DUPLICATE_DEALS.items():
            account = _account(account_id)
            if _deal_owner(account) == rep:
                kinds.remove(kind)
                slots.append((account, kind))
        rng.shuffle(kinds)
        accounts = [a for a in ACCOUNTS if _deal_owner(a) == rep and a["id"] not in DUPLICATE_DEALS
                    and a["contacts"]]
        rng.shuffle(accounts)
        for i, kind in enumerate(kinds):
            slots.append((accounts[i] if i < len(accounts) else rng.choice(accounts), kind))
        for account, kind in slots:
            stage = outcomes.pop() if kind == "closed" else open_stages.pop()
            deals.append(_plan_deal(rng, account, rep, stage, today, names_used))
    return deals


def _plan_deal(rng: Random, account: dict, rep: int, stage: Stage, today: date,
               names_used: dict[int, set[str]]) -> _Deal:
    notes = NOTES[account["lang"]]
    loss_reason = _weighted(rng, LOSS_WEIGHTS) if stage == L else None
    path = _path(rng, stage, loss_reason)
    history = _dates(rng, path, today)
    product, name = _deal_name(rng, account, notes, names_used.setdefault(account["id"], set()))
    amount = _amount(rng, account["currency"])
    values = {
        "product": product, "pain": rng.choice(notes["pains"].get(account["industry"], notes["pains"]["_"])),
        "crit": rng.choice(notes["criteria"]), "weeks": rng.randint(2, 8), "exec": rng.choice(notes["execs"]),
        "scope": rng.choice(notes["scopes"]), "erp": rng.choice(notes["erps"]),
        "disc": rng.choice([5, 8, 10, 12, 15, 18]), "amt": _money_text(amount, account["currency"]),
        "target": _money_text(amount * Decimal("0.85"), account["currency"]), "comp": None,
    }
    deal = _Deal(account=account, owner_id=rep, stage=stage, history=history, amount=amount, name=name,
                 product=product, values=values, loss_reason=loss_reason)
    _plan_story(rng, deal, path)
    if "competitor" in deal.objections or loss_reason in ("price", "competitor") or (
            stage == L and rng.random() < 0.4):
        values["comp"] = rng.choice(notes["competitors"])
    deal.expected_close = _expected_close(rng, deal, today)
    return deal


def _path(rng: Random, stage: Stage, loss_reason: str | None) -> list[Stage]:
    if stage == W:
        return [P, N, W] if rng.random() < 0.1 else [P, E, N, W]
    if stage == L:
        reached = {"price": [N], "competitor": [E, N], "security_review": [E, E, N],
                   "integration": [E, E, N]}.get(loss_reason or "", [P, E, N])
        last = rng.choice(reached)
        return [P, E, N][: [P, E, N].index(last) + 1] + [L]
    return [P, E, N][: [P, E, N].index(stage) + 1]


def _dates(rng: Random, path: list[Stage], today: date) -> list[tuple[Stage, date]]:
    steps = [rng.randint(*DWELL[s]) for s in path[:-1]]
    if path[-1].is_closed:
        start = today - timedelta(days=rng.randint(sum(steps) + 1, HISTORY_DAYS))
    else:
        start = today - timedelta(days=sum(steps) + rng.randint(2, 45))
    history, on = [], start
    for stage, step in zip(path, [0, *steps]):
        on += timedelta(days=step)
        history.append((stage, on))
    return history


def _deal_name(rng: Random, account: dict, notes: dict, used: set[str]) -> tuple[str, str]:
    sep = "" if account["lang"] == "zh" else " "
    while True:
        product, suffix = rng.choice(notes["products"]), rng.choice(notes["suffixes"])
        name = f"{product}{sep}{suffix}"
        if name not in used:
            used.add(name)
            return product, name


def _amount(rng: Random, currency: str) -> Decimal:
    median, low, high, step = {"CNY": (600_000, 120_000, 4_200_000, 10_000),
                               "USD": (85_000, 15_000, 650_000, 500),
                               "EUR": (70_000, 12_000, 520_000, 500)}[currency]
    value = min(max(math.exp(rng.gauss(math.log(median), 0.7)), low), high)
    if rng.random() < 0.1:  # some deals carry odd figures with cents, as exported from an ERP
        return Decimal(int(value)) + Decimal(rng.choice(["0.50", "0.25", "0.80", "0.99"]))
    return Decimal(int(value // step * step))


def _plan_story(rng: Random, deal: _Deal, path: list[Stage]) -> None:
    """Choose what moves the deal (drivers) and what stands in its way (objections)."""
    reached = set(path)
    if deal.stage == W:
        deal.drivers = rng.sample(DRIVERS, rng.choice([1, 2, 2, 3]))
        deal.objections = rng.sample(OBJECTIONS, rng.choice([0, 1, 1, 2]))
        deal.handled = list(deal.objections)
    elif deal.stage == L:
        if E in reached and rng.random() < 0.35:
            deal.drivers = [rng.choice(["onsite_demo", "poc"])]
        deal.objections = list(LOSS_OBJECTIONS[deal.loss_reason or "no_decision"])
    else:
        possible = [d for d in DRIVERS if Stage(DRIVER_STAGE[d]) in reached]
        deal.drivers = rng.sample(possible, min(len(possible), rng.choice([0, 1, 2])))
        raised = [o for o in OBJECTIONS if Stage(OBJECTION_STAGE[o]) in reached]
        deal.objections = rng.sample(raised, min(len(raised), rng.choice([0, 1, 1, 2])))
        deal.handled = [o for o in deal.objections if rng.random() < 0.4]


def _expected_close(rng: Random, deal: _Deal, today: date) -> date:
    if deal.closed_on:
        return deal.closed_on + timedelta(days=rng.randint(-25, 20))
    low, high = {N: (7, 60), E: (30, 120), P: (60, 180)}[deal.stage]
    return today + timedelta(days=rng.randint(low, high))


def _add_imperfections(rng: Random, open_deals: list[_Deal], today: date) -> None:
    """A few open deals without amount or close date, or with a close date already past."""
    prospects = [d for d in open_deals if d.stage == P]
    picked = rng.sample(prospects, 5)
    for deal in picked[:3]:
        deal.amount = None
        deal.values["amt"] = deal.values["target"] = None
    for deal in picked[3:]:
        deal.expected_close = None
    advanced = [d for d in open_deals if d.stage != P]
    for deal in rng.sample(advanced, 3):
        deal.expected_close = today - timedelta(days=rng.randint(5, 40))


# --- visits -----------------------------------------------------------------------------------


def _visits(rng: Random, deal: _Deal, today: date, references: list[tuple[date, int]]) -> list[dict]:
    notes = NOTES[deal.lang]
    deal.values["ref"] = _reference(rng, deal, references)
    closed = deal.stage.is_closed
    days = _visit_days(rng, deal, today, rng.choice([2, 3, 3, 4, 4, 5, 5, 6]))
    queues = _event_queues(deal)
    stages = [deal.stage_on(day) for day in days]
    events: list[list[tuple[str, str]]] = [[] for _ in days]
    for stage, queue in queues.items():
        slots = [i for i, s in enumerate(stages) if s == stage and not (closed and i == len(days) - 1)]
        for n, event in enumerate(queue):
            if slots:
                events[slots[n * len(slots) // len(queue)]].append(event)
    placed = {key for evs in events for kind, key in evs if kind == "handled"}
    visits = []
    for i, (day, stage, evs) in enumerate(zip(days, stages, events)):
        final = closed and i == len(days) - 1
        if final and deal.stage == W:  # resolutions not told yet are told when the deal closes
            evs = evs + [("handled", k) for k in deal.handled if k not in placed]
        visits.append(_visit(rng, deal, notes, day, stage, evs, first=i == 0, final=final))
    return visits


def _visit_days(rng: Random, deal: _Deal, today: date, count: int) -> list[date]:
    """The first visit opens the deal, a closed deal's last one closes it; the others go first one
    to each later stage the deal went through, then anywhere, on distinct days."""
    bounds = [on for _, on in deal.history] + ([] if deal.stage.is_closed else [today + timedelta(days=1)])
    windows = [[bounds[0] + timedelta(days=d) for d in range(1, (bounds[1] - bounds[0]).days)]]
    windows += [[lo + timedelta(days=d) for d in range((hi - lo).days)] for lo, hi in zip(bounds[1:], bounds[2:])]
    middle = count - 1 - int(deal.stage.is_closed)
    chosen: list[date] = []
    for window in windows[1:] + windows[:1]:
        if middle > len(chosen) and window:
            chosen.append(window.pop(rng.randrange(len(window))))
    rest = [day for window in windows for day in window]
    chosen += rng.sample(rest, min(middle - len(chosen), len(rest)))
    closing = [deal.closed_on] if deal.closed_on else []
    return [bounds[0], *sorted(chosen), *closing]


def _event_queues(deal: _Deal) -> dict[Stage, list[tuple[str, str]]]:
    """Per stage, the sentences to tell in order: objections raised, drivers, objections handled."""
    open_stages = [s for s, _ in deal.history if not s.is_closed]

    def home(stage_name: str) -> Stage:
        stage = Stage(stage_name)
        return stage if stage in open_stages else open_stages[-1]

    queues: dict[Stage, list[tuple[str, str]]] = {s: [] for s in open_stages}
    for key in deal.objections:
        queues[home(OBJECTION_STAGE[key])].append(("objection", key))
    for key in deal.drivers:
        queues[home(DRIVER_STAGE[key])].append(("driver", key))
    for key in deal.handled:
        queues[home(OBJECTION_STAGE[key])].append(("handled", key))
    return queues


def _visit(rng: Random, deal: _Deal, notes: dict, day: date, stage: Stage,
           events: list[tuple[str, str]], *, first: bool, final: bool) -> dict:
    contacts = deal.account["contacts"]
    people = rng.sample(contacts, 2 if len(contacts) > 1 and rng.random() < 0.3 else 1)
    values = dict(deal.values, c=_display(people[0]))
    told: list[tuple[str, str | None]] = []
    objections: list[str] = []
    if final and deal.stage == W:
        phrases = [_fill(rng, [notes["driver_phrase"][k]], values) for k in deal.drivers]
        told.append(_pick(rng, notes["won"], dict(values, drivers=notes["and"].join(phrases)), deal.told))
    elif final:
        told.append(_pick(rng, notes["lost"][deal.loss_reason], values, deal.told))
        objections.extend(LOSS_OBJECTIONS[deal.loss_reason])
        if values["comp"] and "competitor" not in LOSS_OBJECTIONS[deal.loss_reason]:
            told.append(_pick(rng, notes["also_competing"], values, deal.told))
    elif first:
        told.append(_pick(rng, notes["discovery"], values, deal.told))
    for kind, key in events:
        if kind == "objection" and key not in objections:
            objections.append(key)
        told.append(_pick(rng, notes[kind][key], values, deal.told))
    if not told:
        told.append(_pick(rng, notes[stage.value], values, deal.told))
    drivers = [key for kind, key in events if kind == "driver"]
    hints = [hint for _, hint in told if hint]
    if final:
        step_key = "won" if deal.stage == W else "lost"
        next_step = _fill(rng, notes["next_step"][step_key], values) if (
            deal.stage == W or rng.random() < 0.5) else None
    else:
        step_key = drivers[-1] if drivers else stage.value
        next_step = None if rng.random() < 0.07 else _fill(rng, notes["next_step"][step_key], values)
    return {
        "account_id": deal.account["id"], "opportunity_id": deal.id, "rep_id": deal.owner_id,
        "occurred_on": day.isoformat(), "channel": hints[0] if hints else _channel(rng, stage, final),
        "contacts": [p["name"] for p in people],
        "summary": ("" if deal.lang == "zh" else " ").join(text for text, _ in told),
        "objections": objections, "next_step": next_step,
        "next_step_due": (day + timedelta(days=rng.randint(2, 14))).isoformat()
        if next_step and not (final and deal.stage == L) else None,
    }


def _channel(rng: Random, stage: Stage, final: bool) -> str:
    weights = ({"phone": 4, "onsite": 4, "email": 2} if final else {
        P: {"onsite": 4, "phone": 3, "event": 1.5, "message": 1.5},
        E: {"onsite": 5, "video": 4, "email": 1},
        N: {"onsite": 3.5, "video": 2.5, "phone": 2.5, "email": 1.5},
    }[stage])
    return _weighted(rng, weights)


def _reference(rng: Random, deal: _Deal, references: list[tuple[date, int]]) -> str:
    """A customer of the same language (and industry, when there is one) won before this deal left
    prospecting."""
    by = deal.history[1][1] if len(deal.history) > 1 else deal.history[0][1]
    same = [a for on, a in references if on < by and a != deal.account["id"]
            and _account(a)["lang"] == deal.lang]
    if not same:
        same = [a["id"] for a in ACCOUNTS if a["lang"] == deal.lang and a["id"] != deal.account["id"]
                and a["id"] not in DUPLICATE_DEALS and a["aliases"]]
    peers = [a for a in same if _account(a)["industry"] == deal.account["industry"]]
    return _short_name(_account(rng.choice(sorted(set(peers or same)))))


# --- quotes and reminders --------------------------------------------------------------------


def _quotes(rng: Random, deals: list[_Deal], today: date) -> list[dict]:
    quotes: list[dict] = []
    for deal in deals:
        negotiated = deal.entered(N)
        if deal.amount is None or negotiated is None or not deal.stage.is_closed:
            continue
        if deal.stage == W and rng.random() < 0.6:
            status = "approved"
        elif deal.stage == L and deal.loss_reason == "price" and rng.random() < 0.6:
            status = "rejected"
        else:
            continue
        asked = negotiated + timedelta(days=rng.randint(0, max(0, (deal.closed_on - negotiated).days - 3)))
        quotes.append(_quote(rng, deal, asked, status=status, decided_after=timedelta(hours=rng.randint(2, 50))))
    negotiating = [d for d in deals if d.stage == N and d.amount is not None]
    chosen: list[_Deal] = []
    for rep in REP_QUOTAS:  # every rep waits on at least one decision, when they can
        mine = [d for d in negotiating if d.owner_id == rep]
        if mine:
            chosen.append(rng.choice(mine))
    rest = [d for d in negotiating if d not in chosen]
    chosen += rng.sample(rest, min(len(rest), PENDING_QUOTES - len(chosen)))
    for n, deal in enumerate(sorted(chosen, key=lambda d: d.id)):
        asked = today - timedelta(days=rng.randint(1, min(6, (today - deal.entered(N)).days)))
        quotes.append(_quote(rng, deal, asked, status="pending", discount=22 if n == 0 else None))
    quotes.sort(key=lambda q: (q["requested_on"], q["opportunity_id"]))
    for number, quote in enumerate(quotes, 101):
        quote["id"] = number
    return quotes


def _quote(rng: Random, deal: _Deal, day: date, *, status: str, decided_after: timedelta | None = None,
           discount: int | None = None) -> dict:
    notes = NOTES[deal.lang]
    if discount is None:
        discount = rng.choice([5, 8, 10, 12, 15, 18] if status != "rejected" else [22, 25, 28, 30])
    role = _required_role(deal.amount, deal.currency, Decimal(discount))
    manager = next(u["manager_id"] for u in USERS if u["id"] == deal.owner_id)
    asked = datetime.combine(day, time(rng.randint(9, 18), rng.choice([0, 15, 30, 45])))
    record = {
        "account_id": deal.account["id"], "opportunity_id": deal.id, "amount": str(deal.amount),
        "currency": deal.currency, "discount_pct": discount, "product": deal.product,
        "note": rng.choice(notes["quote_note"]), "status": status, "requested_by": deal.owner_id,
        "requested_on": asked.isoformat(timespec="minutes"),
        "required_role": role,
    }
    if decided_after is not None:
        zh = deal.lang == "zh"
        record.update({
            "approver_id": ADMIN if role == "admin" else manager,
            "decided_on": (asked + decided_after).isoformat(timespec="minutes"),
            "comment": ("同意，尽快签约" if zh else "Approved, get it signed") if status == "approved"
            else ("折扣太大，先争取三年合同再谈" if zh else "Too deep; come back with a multi-year term"),
        })
    return record


def _required_role(amount: Decimal | None, currency: str, discount: Decimal) -> str:
    for rule in APPROVAL_RULES:
        if rule["approver_role"] != "admin":
            continue
        if "min_discount_pct" in rule and discount >= rule["min_discount_pct"]:
            return "admin"
        if "min_amount" in rule and rule["currency"] == currency and amount is not None \
                and amount >= rule["min_amount"]:
            return "admin"
    return "manager"


def _reminders(rng: Random, deals: list[_Deal], visits: list[dict], waiting: set[int],
               today: date) -> list[dict]:
    last_visit = {v["opportunity_id"]: v for v in visits}
    reminders: list[dict] = []
    for rep in REP_QUOTAS:
        mine = [d for d in deals if d.owner_id == rep and not d.stage.is_closed]
        for deal in rng.sample(mine, 3 if rep == 1 else rng.randint(1, 2)):
            notes = NOTES[deal.lang]
            visit = last_visit[deal.id]
            contact = next(c for c in deal.account["contacts"] if c["name"] == visit["contacts"][0])
            step = visit["next_step"] or notes["next_step"][deal.stage.value][0]
            if deal.lang == "en":
                step = step[0].lower() + step[1:]
            values = dict(deal.values, account=_short_name(deal.account), c=_display(contact), next=step)
            due = today + timedelta(days=rng.randint(1, 6))
            reminders.append({
                "user_id": rep, "account_id": deal.account["id"], "text": _fill(rng, notes["reminder"]["quote" if deal.id in waiting else "followup"], values),
                "due_at": f"{due.isoformat()}T{rng.choice(['09:00', '10:30', '14:00', '16:30'])}",
                "status": "pending", "kind": "followup",
            })
    reminders.sort(key=lambda r: (r["due_at"], r["user_id"]))
    for number, reminder in enumerate(reminders, 1):
        reminder["id"] = number
    return reminders


# --- records and helpers ----------------------------------------------------------------------


def _account_record(account: dict) -> dict:
    record = {k: account[k] for k in ("id", "name", "aliases", "industry", "region", "owner_id", "phone", "email")}
    record["contacts"] = [
        {"name": c["name"], "aliases": list(c["aliases"]), "title": c["title"], "email": c["email"],
         "phone": _contact_phone(c, account) if c["phone"] == "" else c["phone"]}
        for c in account["contacts"]
    ]
    return record


def _opportunity_record(deal: _Deal) -> dict:
    return {
        "id": deal.id, "account_id": deal.account["id"], "name": deal.name, "stage": deal.stage.value,
        "amount": None if deal.amount is None else str(deal.amount), "currency": deal.currency,
        "owner_id": deal.owner_id,
        "expected_close": deal.expected_close.isoformat() if deal.expected_close else None,
        "closed_on": deal.closed_on.isoformat() if deal.closed_on else None,
        "lost_reason": NOTES[deal.lang]["lost_reason"][deal.loss_reason].format_map(_Blank(deal.values))
        if deal.loss_reason else None,
        "competitor": deal.values["comp"],
        "history": [{"stage": s.value, "on": on.isoformat()} for s, on in deal.history],
    }


def _contact_phone(contact: dict, account: dict) -> str:
    """A stable, fictional number derived from the name (the seed does not move people's phones)."""
    digits = f"{zlib.crc32(contact['name'].encode()):010d}"
    if account["lang"] == "zh":
        return f"1{'3857'[int(digits[0]) % 4]}{digits[1:10]}"
    prefix = account["phone"].rsplit(" ", 1)[0] if account["phone"] else "+1 202 555"
    return f"{prefix} {digits[-4:]}"


def _account(account_id: int) -> dict:
    return next(a for a in ACCOUNTS if a["id"] == account_id)


def _short_name(account: dict) -> str:
    return account["aliases"][0] if account["aliases"] else account["name"]


def _display(contact: dict) -> str:
    return contact["aliases"][0] if contact["aliases"] else contact["name"]


def _fill(rng: Random, templates: list[str], values: dict[str, Any]) -> str:
    return _pick(rng, templates, values, set())[0]


def _pick(rng: Random, templates: list[str], values: dict[str, Any], told: set[str]) -> tuple[str, str | None]:
    """One of `templates` whose placeholders all have a value (preferring one not in `told`),
    filled in, with the channel its `@channel ` prefix names."""
    usable = [t for t in templates
              if all(values.get(f) is not None for _, f, _, _ in string.Formatter().parse(t) if f)] or templates
    template = rng.choice([t for t in usable if t not in told] or usable)
    told.add(template)
    channel = None
    if template.startswith("@"):
        channel, _, template = template[1:].partition(" ")
    return template.format_map(_Blank(values)), channel


class _Blank(dict):
    """Format values where a missing or None placeholder reads as nothing rather than 'None'."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__((k, v) for k, v in values.items() if v is not None)

    def __missing__(self, key: str) -> str:
        return ""


def _weighted(rng: Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _money_text(amount: Decimal | None, currency: str) -> str | None:
    if amount is None:
        return None
    if currency == "CNY":
        wan = amount / 10000
        return f"{wan:.1f}".removesuffix(".0") + "万"
    symbol = {"USD": "$", "EUR": "€"}[currency]
    if amount >= 1_000_000:
        return f"{symbol}{amount / 1_000_000:.1f}M"
    return f"{symbol}{amount / 1000:.0f}k"
