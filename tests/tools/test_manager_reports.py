"""A manager's report about one rep, by rep, and the weekly report on demand."""
from __future__ import annotations

import pytest

from storage.models import Opportunity, Stage


def open_deals_of(runner, owner_ids) -> int:
    return sum(1 for d in runner.all(Opportunity) if d.owner_id in owner_ids and not Stage(d.stage).is_closed)


@pytest.mark.parametrize("manager, rep, rep_id", [(3, "王磊", 1), (3, "娜娜", 2), (5, "Alice", 4)])
def test_a_manager_asks_about_one_rep(runner, manager, rep, rep_id):
    data = runner.run(manager, "pipeline_report", rep=rep, period="this_quarter").data
    assert data["scope"] == "rep" and data["rep"]["id"] == rep_id
    assert data["open"]["count"] == open_deals_of(runner, {rep_id})
    from bot.render_results import render_result
    from tools.base import ToolResult
    assert data["rep"]["name"] in render_result(ToolResult("pipeline_report", data), "zh").splitlines()[0]


@pytest.mark.parametrize("user, rep", [(5, "王磊"), (1, "李娜"), (3, "Alice")])
def test_another_teams_rep_is_refused(runner, user, rep):
    assert runner.outcome(user, "pipeline_report", rep=rep) == "not_your_team"


def test_a_rep_may_name_themselves(runner):
    assert runner.run(1, "pipeline_report", rep="王磊").data["rep"]["id"] == 1


def test_by_rep_splits_the_team(runner):
    data = runner.run(3, "pipeline_report", by_rep=True).data
    rows = data["by_rep"]
    assert {r["user"]["name"] for r in rows} <= {"王磊", "李娜", "刘洋", "张伟"}
    assert sum(r["open"]["count"] for r in rows) == data["open"]["count"]
    assert runner.run(3, "pipeline_report").data["by_rep"] is None


def test_weekly_report_is_the_digests_figures(runner):
    data = runner.run(3, "weekly_report").data
    assert data["period"] == "last_week" and data["range"] == {"start": "2026-11-16", "end": "2026-11-22"}
    assert set(data["numbers"]) == {"visits", "new_deals", "moves"}
    assert data["scope"] == "team" and not data["scope_narrowed"]
    assert data["week"]["period"] == "last_week" and data["quarter"]["period"] == "this_quarter"
    this_week = runner.run(3, "weekly_report", period="this_week").data
    assert this_week["range"] == {"start": "2026-11-23", "end": "2026-11-29"}
    mine = runner.run(1, "weekly_report").data
    assert mine["scope"] == "mine" and mine["scope_narrowed"]
    from bot.render_results import render_result
    from tools.base import ToolResult
    text = render_result(ToolResult("weekly_report", data), "zh")
    assert text.startswith("📊 团队周报 11-16 ~ 11-22")
