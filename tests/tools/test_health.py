"""data_health on a dataset built here (now: 2026-11-25; stale after 14 days).

Team of M: reps A and B; rep C is another team's.
  A: visits v1 (with contact), v2 (none); deals dA1 evaluation without close date, untouched 30
     days (stale), dA2 negotiation complete and fresh; accounts acc1, acc3 complete.
     checks 6, complete 4; open 2, stale 1 → 70·4/6 + 30·1/2 = 61.67 → 62
  B: visit v3 (with contact); deal dB1 prospect (not checked, fresh); accounts acc2 (no
     industry), acc4 complete. checks 3, complete 2; open 1, stale 0 → 70·2/3 + 30 = 76.67 → 77
  team: checks 9, complete 6, open 3, stale 1 → 66.67 → 67, minus 5 × 2 duplicate pairs = 57
  duplicates: acc1 星海科技有限公司 / acc2 星海科技 (same core name); acc3 Northstar Labs /
  acc4 North Star Lab (similar names, same email). C's acc5 shares acc1's phone but is not in
  the team's scope.
"""
from __future__ import annotations

import pytest

from storage.db import session_scope
from storage.models import Role
from tests.tools.builders import CrmBuilder
from tests.tools.conftest import ToolRunner


@pytest.fixture
def world(engine, clock, tool_settings):
    with session_scope(engine) as session:
        build = CrmBuilder(session)
        m = build.user("Mia", Role.manager)
        a, b = build.user("Adam", manager=m), build.user("Bea", manager=m)
        c = build.user("Cal", manager=build.user("Ned", Role.manager))
        acc1 = build.account("星海科技有限公司", a, industry="软件", phone="021-5555 1234")
        acc2 = build.account("星海科技", b)
        acc3 = build.account("Northstar Labs", a, industry="IT", email="ops@northstar.io")
        build.account("North Star Lab", b, industry="IT", email="OPS@northstar.io")
        build.account("Other Co", c, industry="IT", phone="+86 21 5555 1234")
        build.deal(acc1, a, "dA1", [("prospect", "2026-10-01"), ("evaluation", "2026-10-26")],
                   amount="1000")
        build.deal(acc3, a, "dA2", [("prospect", "2026-10-01"), ("negotiation", "2026-11-23")],
                   amount="5000", expected_close="2026-12-31")
        build.deal(acc2, b, "dB1", [("prospect", "2026-10-01")], updated="2026-10-01")
        build.visit(acc1, a, "2026-10-16", [build.contact(acc1, "周一")])
        build.visit(acc3, a, "2026-11-24")
        build.visit(acc2, b, "2026-11-23", [build.contact(acc2, "吴二")])
        root = build.user("Root", Role.admin)
        ids = {"M": m.id, "A": a.id, "B": b.id, "C": c.id, "admin": root.id}
    runner = ToolRunner(engine, clock, tool_settings)
    runner.ids = ids
    return runner


def test_team_health_scores_per_rep_and_overall(world):
    data = world.run(world.ids["M"], "data_health").data
    assert (data["scope"], data["checked"], data["complete"], data["open_deals"]) == ("team", 9, 6, 3)
    reps = {r["user"]["name"]: r for r in data["reps"]}
    assert set(reps) == {"Adam", "Bea"}
    assert (reps["Adam"]["checked"], reps["Adam"]["complete"], reps["Adam"]["stale"], reps["Adam"]["score"]) == (6, 4, 1, 62)
    assert (reps["Bea"]["checked"], reps["Bea"]["complete"], reps["Bea"]["stale"], reps["Bea"]["score"]) == (3, 2, 0, 77)
    assert data["score"] == 57


def test_issues_name_what_is_missing(world):
    reps = {r["user"]["name"]: r for r in world.run(world.ids["M"], "data_health").data["reps"]}
    adam = {(i["kind"], tuple(i.get("missing", ()))) for i in reps["Adam"]["issues"]}
    assert adam == {("visit_without_contact", ()), ("deal_incomplete", ("expected_close",))}
    bea = [(i["kind"], i["account"]["name"], i["missing"]) for i in reps["Bea"]["issues"]]
    assert bea == [("account_incomplete", "星海科技", ["industry"])]


def test_duplicates_and_stale_deals(world):
    data = world.run(world.ids["M"], "data_health").data
    pairs = {tuple(a["name"] for a in d["accounts"]): d["reasons"] for d in data["duplicates"]}
    assert pairs == {("星海科技有限公司", "星海科技"): ["same_name"],
                     ("Northstar Labs", "North Star Lab"): ["similar_name", "same_email"]}
    [stale] = data["stale_deals"]
    assert (stale["deal"]["name"], stale["last_touch"], stale["days_idle"]) == ("dA1", "2026-10-26", 30)


def test_a_rep_sees_only_their_own_health(world):
    data = world.run(world.ids["A"], "data_health", scope="team").data
    assert (data["scope"], data["scope_narrowed"]) == ("mine", True)
    assert [r["user"]["name"] for r in data["reps"]] == ["Adam"]
    assert data["duplicates"] == []
    assert data["score"] == 62


def test_shared_phone_across_teams_shows_only_to_whoever_sees_both(world):
    assert world.run(world.ids["C"], "data_health").data["duplicates"] == []
    everyone = world.run(world.ids["admin"], "data_health").data
    pairs = {tuple(a["name"] for a in d["accounts"]): d["reasons"] for d in everyone["duplicates"]}
    assert pairs[("星海科技有限公司", "Other Co")] == ["same_phone"]
    assert {r["user"]["name"] for r in everyone["reps"]} == {"Adam", "Bea", "Cal"}


def test_a_visit_refreshes_a_stale_deal(world, clock):
    world.run(world.ids["A"], "log_visit", account="星海科技有限公司", contacts=["周一"])
    data = world.run(world.ids["M"], "data_health").data
    assert data["stale_deals"] == []
