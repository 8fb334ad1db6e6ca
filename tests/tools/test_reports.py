"""Reports on a dataset built here, with stage history at known times, so every number is known.

Now is Wednesday 2026-11-25 10:00 (Shanghai); this quarter is Oct 1 – Dec 31.
Team of manager M: reps A and B. Rep C belongs to manager N.
  d1 A/a1  prospect 10-01 → evaluation 10-11 → negotiation 10-21 → won 11-10   ¥100,000   cycle 40 d
  d2 A/a2  prospect 10-05 → evaluation 10-15 → lost 11-01                       ¥50,000
  d3 B/a3  prospect 10-10 → evaluation 10-20 → won 11-20                        ¥300,000   cycle 41 d
  d4 B/a3  prospect 09-01 → evaluation 09-15 → negotiation 10-05 (open)        ¥200,000   close 12-15
  d5 A/a1  prospect 10-20 → evaluation 11-01 (open)                             $80,000    close 12-20
  d7 A/a2  prospect 11-15 (open, no amount)                                                close 2027-01-15
  d6 C/a4  prospect 10-01 → won 11-05 (other team)                              ¥999,999
"""
from __future__ import annotations

import pytest

from storage.db import session_scope
from storage.models import Role
from tests.tools.builders import CrmBuilder
from tests.tools.conftest import ToolRunner

M, A, B, N, C = "M", "A", "B", "N", "C"


@pytest.fixture
def world(engine, clock, tool_settings):
    with session_scope(engine) as session:
        build = CrmBuilder(session)
        m = build.user("Mia Manager", Role.manager)
        a = build.user("Adam Rep", manager=m)
        b = build.user("Bea Rep", manager=m)
        n = build.user("Ned Manager", Role.manager)
        c = build.user("Cal Rep", manager=n)
        a1, a2 = build.account("Alpha Ltd", a), build.account("Apex Corp", a)
        a3, a4 = build.account("Beta GmbH", b), build.account("Gamma Inc", c)
        build.deal(a1, a, "d1", [("prospect", "2026-10-01"), ("evaluation", "2026-10-11"),
                                 ("negotiation", "2026-10-21"), ("won", "2026-11-10")], amount="100000")
        build.deal(a2, a, "d2", [("prospect", "2026-10-05"), ("evaluation", "2026-10-15"),
                                 ("lost", "2026-11-01")], amount="50000")
        build.deal(a3, b, "d3", [("prospect", "2026-10-10"), ("evaluation", "2026-10-20"),
                                 ("won", "2026-11-20")], amount="300000")
        build.deal(a3, b, "d4", [("prospect", "2026-09-01"), ("evaluation", "2026-09-15"),
                                 ("negotiation", "2026-10-05")], amount="200000", expected_close="2026-12-15")
        build.deal(a1, a, "d5", [("prospect", "2026-10-20"), ("evaluation", "2026-11-01")],
                   amount="80000", currency="USD", expected_close="2026-12-20")
        build.deal(a4, c, "d6", [("prospect", "2026-10-01"), ("won", "2026-11-05")], amount="999999")
        build.deal(a2, a, "d7", [("prospect", "2026-11-15")], expected_close="2027-01-15")
        for day in ("2026-11-02", "2026-11-10", "2026-11-20"):
            build.visit(a1, a, day)
        for day in ("2026-11-03", "2026-11-24"):
            build.visit(a3, b, day)
        for day in ("2026-10-20", "2026-11-05", "2026-11-06"):
            build.visit(a2, a, day)
        for day in ("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"):
            build.visit(a4, c, day)
        ids = {M: m.id, A: a.id, B: b.id, N: n.id, C: c.id}
    runner = ToolRunner(engine, clock, tool_settings)
    runner.ids = ids
    return runner


def cny(amount: str) -> dict:
    return {"amount": amount, "currency": "CNY"}


def usd(amount: str) -> dict:
    return {"amount": amount, "currency": "USD"}


def test_pipeline_report_for_the_team(world):
    data = world.run(world.ids[M], "pipeline_report").data
    assert (data["period"], data["scope"], data["range"]) == (
        "this_quarter", "team", {"start": "2026-10-01", "end": "2026-12-31"})
    assert data["stages"] == [
        {"stage": "prospect", "count": 1, "totals": []},
        {"stage": "evaluation", "count": 1, "totals": [usd("80000.00")]},
        {"stage": "negotiation", "count": 1, "totals": [cny("200000.00")]},
    ]
    assert data["won"] == {"count": 2, "totals": [cny("400000.00")]}
    assert data["lost"] == {"count": 1, "totals": [cny("50000.00")]}
    assert data["win_rate"] == 0.6667
    assert data["stage_conversion"] == [
        {"from": "prospect", "to": "evaluation", "entered": 5, "advanced": 4, "rate": 0.8},
        {"from": "evaluation", "to": "negotiation", "entered": 4, "advanced": 2, "rate": 0.5},
        {"from": "negotiation", "to": "won", "entered": 2, "advanced": 1, "rate": 0.5},
    ]
    assert (data["avg_cycle_days"], data["cycle_deals"]) == (40.5, 2)
    assert data["avg_deal_size"] == [cny("200000.00")]
    assert data["forecast"] == {
        "expected_deals": 2,
        "weighted_open": [cny("120000.00"), usd("24000.00")],  # 0.6 × 200k, 0.3 × $80k
        "won": [cny("400000.00")],
        "total": [cny("520000.00"), usd("24000.00")],
    }


def test_pipeline_report_for_a_rep_and_narrowed_team_scope(world):
    mine = world.run(world.ids[A], "pipeline_report").data
    asked_team = world.run(world.ids[A], "pipeline_report", scope="team").data
    assert (mine["scope"], mine["scope_narrowed"]) == ("mine", False)
    assert (asked_team["scope"], asked_team["scope_narrowed"]) == ("mine", True)
    for data in (mine, asked_team):
        assert data["won"]["count"] == 1 and data["lost"]["count"] == 1 and data["win_rate"] == 0.5
        assert data["avg_cycle_days"] == 40.0


def test_pipeline_report_last_quarter_has_nothing_closed(world):
    data = world.run(world.ids[M], "pipeline_report", period="last_quarter").data
    assert data["won"]["count"] == 0 and data["win_rate"] is None and data["avg_cycle_days"] is None
    assert data["stage_conversion"][0] == {"from": "prospect", "to": "evaluation", "entered": 1,
                                           "advanced": 1, "rate": 1.0}  # d4 entered in September
    assert data["forecast"]["expected_deals"] == 0


def names(items) -> list[str]:
    return [item["account"]["name"] for item in items]


def test_top_accounts_by_activity_ranks_ties_by_latest_visit(world):
    data = world.run(world.ids[M], "top_accounts").data
    assert (data["period"], data["metric"], data["scope"], data["limit"]) == ("this_month", "activity", "team", 5)
    assert names(data["items"]) == ["Alpha Ltd", "Beta GmbH", "Apex Corp"]
    assert [i["visits"] for i in data["items"]] == [3, 2, 2]
    assert [i["rank"] for i in data["items"]] == [1, 2, 3]
    limited = world.run(world.ids[M], "top_accounts", limit=1).data
    assert names(limited["items"]) == ["Alpha Ltd"] and limited["total_accounts"] == 3


def test_top_accounts_by_open_pipeline_default_currency_first(world):
    data = world.run(world.ids[M], "top_accounts", metric="pipeline").data
    assert names(data["items"]) == ["Beta GmbH", "Alpha Ltd"]
    assert data["items"][0]["totals"] == [cny("200000.00")]
    assert data["items"][1]["totals"] == [usd("80000.00")]
    assert data["period_applies"] is False


def test_top_accounts_by_won_amount_in_the_period(world):
    quarter = world.run(world.ids[M], "top_accounts", metric="won", period="this_quarter").data
    assert names(quarter["items"]) == ["Beta GmbH", "Alpha Ltd"]
    assert [i["totals"] for i in quarter["items"]] == [[cny("300000.00")], [cny("100000.00")]]
    october = world.run(world.ids[M], "top_accounts", metric="won", period="last_month").data
    assert october["items"] == []


def test_top_accounts_for_a_rep_are_their_own(world):
    data = world.run(world.ids[B], "top_accounts", scope="team").data
    assert names(data["items"]) == ["Beta GmbH"] and data["scope_narrowed"] is True
    other = world.run(world.ids[N], "top_accounts").data
    assert names(other["items"]) == ["Gamma Inc"]
