"""sales_forecast and account_potential on the eval fixture: scope and permissions as every report,
JSON-ready results, and a clear error when the analytics extra is missing."""
from __future__ import annotations

import importlib.util

import pytest

REP, MANAGER = 1, 3


def test_forecast_for_a_manager_covers_the_team_and_splits_by_rep(runner):
    data = runner.run(MANAGER, "sales_forecast", by="rep").data
    assert data["scope"] == "team" and data["quarter_kind"] == "next_quarter" and data["by"] == "rep"
    assert data["quarter"] == "2027Q1" and data["range"] == {"start": "2027-01-01", "end": "2027-03-31"}
    for fc in data["forecasts"]:
        assert float(fc["low"]["amount"]) <= float(fc["mean"]["amount"]) <= float(fc["high"]["amount"])
        assert set(fc["stage_win"]) == {"prospect", "evaluation", "negotiation"}
        assert {row["user"]["id"] for row in fc["by_rep"]}


def test_a_rep_asking_for_the_team_gets_their_own(runner):
    data = runner.run(REP, "sales_forecast", scope="team", quarter="this_quarter").data
    assert data["scope"] == "mine" and data["scope_narrowed"] and data["quarter"] == "2026Q4"
    potential = runner.run(REP, "account_potential", scope="team", limit=3).data
    assert potential["scope"] == "mine" and potential["scope_narrowed"]
    assert len(potential["items"]) <= 3
    assert all(item["owner"]["id"] == REP for item in potential["items"] if item["owner"])


def test_potential_items_are_ranked_and_explained(runner):
    data = runner.run(MANAGER, "account_potential").data
    scores = [item["score"] for item in data["items"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    assert [item["rank"] for item in data["items"]] == list(range(1, len(scores) + 1))
    assert all(item["segment"]["zh"] and item["segment"]["en"] for item in data["items"])
    assert sum(s["size"] for s in data["segments"]) == data["total_accounts"]


@pytest.mark.parametrize("tool, module", [("sales_forecast", "statsmodels"), ("account_potential", "sklearn")])
def test_missing_extra_is_a_clear_error(runner, monkeypatch, tool, module):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == module else real(name, *a))
    assert runner.outcome(MANAGER, tool) == "analytics_unavailable"
