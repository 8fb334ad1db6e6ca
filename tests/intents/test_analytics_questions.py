"""Forecast and potential questions, zh and en, said many ways; this quarter's forecast without
"by rep" stays a pipeline_report (CONTRACT.md), and writes that mention a forecast stay writes."""
from __future__ import annotations

import pytest

from tests.intents.heldout import X, check, predict

NOW = "2026-12-07T10:00"
CASES = [
    (NOW, 3, "下季度能签多少", [("sales_forecast", dict(quarter="next_quarter"))]),
    (NOW, 3, "下个季度团队大概能成交多少？", [("sales_forecast", dict(quarter="next_quarter", scope="team"))]),
    (NOW, 1, "我下季度能签下多少", [("sales_forecast", dict(quarter="next_quarter", scope="mine"))]),
    (NOW, 3, "明年Q1的预测给我看看", [("sales_forecast", dict(quarter="next_quarter"))]),
    (NOW, 3, "Q1能签多少", [("sales_forecast", dict(quarter="next_quarter"))]),
    (NOW, 3, "按人看一下下季度预测", [("sales_forecast", dict(quarter="next_quarter", by="rep"))]),
    (NOW, 3, "本季度每个人的业绩预测", [("sales_forecast", dict(quarter="this_quarter", by="rep"))]),
    (NOW, 5, "forecast next quarter by rep", [("sales_forecast", dict(quarter="next_quarter", by="rep"))]),
    (NOW, 5, "what's the forecast for next quarter?", [("sales_forecast", dict(quarter="next_quarter"))]),
    (NOW, 5, "how much will we close next quarter", [("sales_forecast", dict(quarter="next_quarter"))]),
    (NOW, 5, "Q1 forecast per rep please", [("sales_forecast", dict(quarter="next_quarter", by="rep"))]),
    (NOW, 4, "my forecast for next qtr", [("sales_forecast", dict(quarter="next_quarter", scope="mine"))]),
    (NOW, 3, "哪些客户值得重点跟", [("account_potential", {})]),
    (NOW, 1, "我该重点跟哪些客户？", [("account_potential", dict(scope="mine"))]),
    (NOW, 3, "潜力最大的前3个客户", [("account_potential", dict(limit=3))]),
    (NOW, 3, "团队里最有希望成交的客户有哪些", [("account_potential", dict(scope="team"))]),
    (NOW, 5, "which accounts have the most potential", [("account_potential", {})]),
    (NOW, 5, "top 3 high-potential customers for the team", [("account_potential", dict(limit=3, scope="team"))]),
    (NOW, 4, "which customers should I focus on?", [("account_potential", dict(scope="mine"))]),
    (NOW, 4, "who's most likely to buy", [("account_potential", {})]),
    # unchanged: this quarter's forecast is a pipeline report; a reminder about a forecast is a reminder
    ("2026-11-25T10:00", 3, "看下团队本季度的转化率和预测", [("pipeline_report", dict(period="this_quarter", scope="team"))]),
    ("2026-11-26T19:40", 4, "forecast for my deals this quarter", [("pipeline_report", dict(period="this_quarter", scope="mine"))]),
    ("2026-12-04T17:45", 5, "Remind me Monday 8am to go over the Q1 forecast with Alice", [("create_reminder", dict(due_at="2026-12-07T08:00", text=X))]),
]


@pytest.fixture(scope="module")
def predictions(fixture_data):
    return predict(fixture_data, CASES, "aq")


@pytest.mark.parametrize("index", range(len(CASES)))
def test_analytics_question(predictions, index):
    check(CASES[index], predictions[f"aq{index:03d}"])
