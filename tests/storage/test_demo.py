"""The demo dataset: shape, consistency, determinism, and the fixture keys it relies on."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from storage.db import session_scope
from storage.demo import APPROVAL_RULES, HISTORY_DAYS, build_demo, load_demo
from storage.demo_data.notes import NOTES, OBJECTIONS
from storage.fixture import FixtureError, import_fixture
from storage.models import (
    STAGE_ORDER, Account, ApprovalRule, Contact, Opportunity, Quote, Reminder, Role, Stage,
    StageChange, User, Visit, VisitContact,
)
from storage.names import core_name

TODAY = date(2026, 11, 25)
SHANGHAI = ZoneInfo("Asia/Shanghai")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo() -> dict:
    return build_demo(seed=7, today=TODAY)


@pytest.fixture
def demo_db(engine):
    with session_scope(engine) as session:
        counts = load_demo(session=session, today=TODAY)
    return engine, counts


def _local_day(moment) -> date:
    return moment.astimezone(SHANGHAI).date()


# --- loaded into SQLite and PostgreSQL --------------------------------------------------------


def test_demo_loads_with_its_counts(demo_db, demo):
    engine, counts = demo_db
    assert counts == {k: len(demo[k]) for k in counts}
    with session_scope(engine) as s:
        roles = Counter(u.role for u in s.exec(select(User)).all())
        opportunities = s.exec(select(Opportunity)).all()
        assert (roles[Role.rep], roles[Role.manager], roles[Role.admin]) == (5, 2, 1)
        assert len(s.exec(select(Account)).all()) == 40
        assert len(opportunities) == 150
        stages = Counter(Stage(o.stage) for o in opportunities)
        assert stages[Stage.won] + stages[Stage.lost] == 100
        assert all(stages[st] > 0 for st in Stage)
        assert len(s.exec(select(ApprovalRule)).all()) == len(APPROVAL_RULES)
        assert len(s.exec(select(Contact)).all()) == sum(len(a["contacts"]) for a in demo["accounts"])


def test_every_opportunity_has_a_consistent_stage_history(demo_db):
    engine, _ = demo_db
    with session_scope(engine) as s:
        changes = defaultdict(list)
        for change in s.exec(select(StageChange).order_by(StageChange.id)).all():
            changes[change.opportunity_id].append(change)
        for opp in s.exec(select(Opportunity)).all():
            history = changes[opp.id]
            assert history[0].from_stage is None and history[0].to_stage == Stage.prospect
            assert history[-1].to_stage == opp.stage
            for before, after in zip(history, history[1:]):
                assert after.from_stage == before.to_stage
                assert after.changed_at > before.changed_at
            forward = [Stage(c.to_stage) for c in history if c.to_stage != Stage.lost]
            assert [STAGE_ORDER.index(st) for st in forward] == sorted(STAGE_ORDER.index(st) for st in forward)
            assert TODAY - timedelta(days=HISTORY_DAYS) <= _local_day(history[0].changed_at)
            assert _local_day(history[-1].changed_at) <= TODAY
            if Stage(opp.stage).is_closed:
                assert opp.closed_on == _local_day(history[-1].changed_at) < TODAY
                assert opp.created_at == history[0].changed_at


def test_every_opportunity_has_two_to_six_visits_during_its_life(demo_db):
    engine, _ = demo_db
    with session_scope(engine) as s:
        started = {c.opportunity_id: _local_day(c.changed_at)
                   for c in s.exec(select(StageChange).where(StageChange.from_stage.is_(None))).all()}
        visits = defaultdict(list)
        for visit in s.exec(select(Visit).order_by(Visit.occurred_on, Visit.id)).all():
            visits[visit.opportunity_id].append(visit)
        linked = {vc.visit_id for vc in s.exec(select(VisitContact)).all()}
        for opp in s.exec(select(Opportunity)).all():
            mine = visits[opp.id]
            assert 2 <= len(mine) <= 6
            assert mine[0].occurred_on == started[opp.id]
            assert mine[-1].occurred_on <= (opp.closed_on or TODAY)
            if opp.closed_on:
                assert mine[-1].occurred_on == opp.closed_on
            assert all(v.rep_id == opp.owner_id and v.account_id == opp.account_id for v in mine)
            assert all(v.id in linked for v in mine)


def test_pending_quotes_wait_for_the_right_approver_and_reminders_are_local(demo_db, demo):
    engine, _ = demo_db
    with session_scope(engine) as s:
        users = {u.id: u for u in s.exec(select(User)).all()}
        pending = s.exec(select(Quote).where(Quote.status == "pending")).all()
        assert len(pending) >= 5
        assert {users[q.requested_by].manager_id for q in pending} == {3, 5}
        for quote in pending:
            opp = s.get(Opportunity, quote.opportunity_id)
            assert opp.stage == Stage.negotiation and quote.amount == opp.amount > 0
            assert (quote.required_role == Role.admin) == (quote.discount_pct >= 20)
        decided = s.exec(select(Quote).where(Quote.status.in_(["approved", "rejected"]))).all()
        assert decided and all(q.approver_id and q.decided_at >= q.requested_at for q in decided)
        expected = {r["id"]: r["due_at"] for r in demo["reminders"]}
        reminders = s.exec(select(Reminder)).all()
        assert {r.user_id for r in reminders} >= {1, 2, 4, 6, 7}
        for reminder in reminders:
            assert reminder.timezone == users[reminder.user_id].timezone
            local = reminder.due_at.astimezone(ZoneInfo(reminder.timezone))
            assert local.strftime("%Y-%m-%dT%H:%M") == expected[reminder.id]
            assert local.date() > TODAY and reminder.status == "pending"


def test_user_one_is_a_chinese_rep_with_open_deals(demo_db):
    engine, _ = demo_db
    with session_scope(engine) as s:
        user = s.get(User, 1)
        manager = s.get(User, user.manager_id)
        assert (user.role, user.language, manager.role, manager.language) == ("rep", "zh", "manager", "zh")
        open_deals = s.exec(select(Opportunity).where(
            Opportunity.owner_id == 1, Opportunity.stage.in_(["prospect", "evaluation", "negotiation"]))).all()
        assert len(open_deals) >= 5
        assert {o.stage for o in open_deals} >= {"evaluation", "negotiation"}


def test_load_demo_refuses_a_database_that_has_data(crm):
    with session_scope(crm) as s, pytest.raises(FixtureError, match="already has data"):
        load_demo(session=s, today=TODAY)
    with session_scope(crm) as s:
        assert len(s.exec(select(Opportunity)).all()) == 8


# --- the dataset itself -------------------------------------------------------------------------


def test_same_seed_and_day_give_the_same_data_and_dates_follow_today(demo):
    assert build_demo(seed=7, today=TODAY) == demo
    assert build_demo(seed=8, today=TODAY)["visits"] != demo["visits"]
    later = build_demo(seed=7, today=TODAY + timedelta(days=30))
    for before, after in zip(demo["opportunities"], later["opportunities"]):
        shifted = [(h["stage"], date.fromisoformat(h["on"]) + timedelta(days=30)) for h in before["history"]]
        assert shifted == [(h["stage"], date.fromisoformat(h["on"])) for h in after["history"]]


def test_teams_speak_their_language(demo):
    users = {u["id"]: u for u in demo["users"]}
    reps = [u for u in users.values() if u["role"] == "rep"]
    assert {u["lang"] for u in reps} == {"zh", "en"}
    for rep in reps:
        manager = users[rep["manager_id"]]
        assert manager["role"] == "manager" and manager["lang"] == rep["lang"]
    accounts = {a["id"]: a for a in demo["accounts"]}
    for visit in demo["visits"]:
        chinese = bool(CJK.search(accounts[visit["account_id"]]["name"]))
        assert bool(CJK.search(visit["summary"])) == chinese
        assert users[visit["rep_id"]]["lang"] == ("zh" if chinese else "en")


def test_won_notes_tell_what_moved_the_deal_and_lost_ones_why(demo):
    visits = defaultdict(list)
    for visit in demo["visits"]:
        visits[visit["opportunity_id"]].append(visit)
    phrases = [p.split("{")[0] for lang in NOTES.values() for p in lang["driver_phrase"].values()]
    for opp in demo["opportunities"]:
        notes = visits[opp["id"]]
        assert all(set(v["objections"]) <= set(OBJECTIONS) for v in notes)
        if opp["stage"] == "won":
            assert any(p in notes[-1]["summary"] for p in phrases), notes[-1]["summary"]
        if opp["stage"] == "lost":
            assert opp["lost_reason"]
            if opp["competitor"]:
                assert any(opp["competitor"] in v["summary"] for v in notes) or opp["competitor"] in opp["lost_reason"]
    lost = [o for o in demo["opportunities"] if o["stage"] == "lost"]
    assert len({o["lost_reason"] for o in lost}) >= 5
    assert sum(1 for o in lost if o["competitor"]) >= 10
    assert Counter(k for v in demo["visits"] for k in v["objections"]).keys() == set(OBJECTIONS)


def test_open_deals_are_spread_over_stages_with_amounts_and_close_dates(demo):
    open_deals = [o for o in demo["opportunities"] if o["stage"] in ("prospect", "evaluation", "negotiation")]
    assert len(open_deals) == 50
    assert min(Counter(o["stage"] for o in open_deals).values()) >= 10
    with_amount = [o for o in open_deals if o["amount"]]
    assert len(with_amount) >= 45
    assert sum(1 for o in open_deals if o["expected_close"] and o["expected_close"] > TODAY.isoformat()) >= 40


def test_data_health_has_duplicates_and_gaps_to_find(demo):
    accounts = {a["id"]: a for a in demo["accounts"]}
    by_core = defaultdict(list)
    for account in accounts.values():
        by_core[core_name(account["name"])].append(account["id"])
    assert sum(1 for ids in by_core.values() if len(ids) > 1) >= 2
    phones = Counter(a["phone"] for a in accounts.values() if a["phone"])
    assert any(n > 1 for n in phones.values())
    assert any(a["industry"] is None for a in accounts.values())
    assert any(a["region"] is None for a in accounts.values())
    assert any(a["owner_id"] is None for a in accounts.values())
    contacts = [c for a in accounts.values() for c in a["contacts"]]
    assert any(c["phone"] is None for c in contacts) and any(c["email"] is None for c in contacts)
    assert any(o["amount"] is None for o in demo["opportunities"])
    assert any(v["next_step"] is None for v in demo["visits"] if v["occurred_on"] < TODAY.isoformat())


# --- fixture keys the demo relies on --------------------------------------------------------------


def _one_deal(history: list[dict], stage: str) -> dict:
    return {
        "users": [{"id": 1, "name": "王磊", "role": "rep"}],
        "accounts": [{"id": 1, "name": "蓝鲸数据", "owner_id": 1}],
        "opportunities": [{"id": 1, "account_id": 1, "name": "一期", "stage": stage, "owner_id": 1,
                           "amount": 1000, "history": history}],
    }


@pytest.mark.parametrize("history, stage, problem", [
    ([{"stage": "prospect", "on": "2026-03-01"}, {"stage": "won", "on": "2026-02-01"}], "won", "date order"),
    ([{"stage": "prospect", "on": "2026-03-01"}, {"stage": "evaluation", "on": "2026-04-01"}], "won", "ends at"),
    ([{"stage": "prospect", "on": "2026-03-01"}, {"stage": "closing", "on": "2026-04-01"}], "won", "closing"),
])
def test_a_bad_history_is_refused_and_writes_nothing(sqlite_engine, history, stage, problem):
    with pytest.raises(FixtureError, match=problem), session_scope(sqlite_engine) as s:
        import_fixture(_one_deal(history, stage), session=s)
    with session_scope(sqlite_engine) as s:
        assert s.exec(select(User)).all() == []


def test_reminders_and_rules_load_beside_the_eval_keys(sqlite_engine):
    data = _one_deal([{"stage": "prospect", "on": "2026-03-01"}], "prospect")
    data["users"][0]["timezone"] = "Europe/Berlin"
    data["reminders"] = [{"user_id": 1, "text": "call back", "due_at": "2026-12-01T09:00"}]
    data["approval_rules"] = [{"name": "deep discount", "min_discount_pct": 20, "approver_role": "admin"}]
    with session_scope(sqlite_engine) as s:
        counts = import_fixture(data, session=s)
    assert (counts["reminders"], counts["approval_rules"]) == (1, 1)
    with session_scope(sqlite_engine) as s:
        reminder = s.exec(select(Reminder)).one()
        assert reminder.timezone == "Europe/Berlin"
        assert reminder.due_at.astimezone(ZoneInfo("Europe/Berlin")).hour == 9
        assert s.exec(select(ApprovalRule)).one().approver_role == Role.admin
