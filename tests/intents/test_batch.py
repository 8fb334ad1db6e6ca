"""intents/batch.py: the eval contract (`salesbot parse --fixture F --batch CASES`)."""
from __future__ import annotations

import importlib.util
import json

import pytest

from intents.batch import parse_batch
from tests.conftest import SHARED_EVAL


def test_each_case_is_parsed_as_its_user_at_its_time(fixture_data):
    cases = [
        {"id": "a", "now": "2026-11-25T10:00", "user": 1, "text": "明天上午十点提醒我给蓝鲸李总打电话"},
        {"id": "b", "now": "2026-11-29T21:00", "user": 1, "text": "明天上午十点提醒我给蓝鲸李总打电话"},
        {"id": "c", "now": "2026-11-25T10:00", "user": 5, "text": "Move Tailspin from Alice to me"},
        {"id": "d", "now": "2026-11-25T10:00", "user": 1, "text": "谢谢"},
    ]
    rows = list(parse_batch(fixture_data, cases))
    assert [r["id"] for r in rows] == ["a", "b", "c", "d"]
    assert rows[0]["calls"][0]["args"]["due_at"] == "2026-11-26T10:00"
    assert rows[1]["calls"][0]["args"]["due_at"] == "2026-11-30T10:00"
    assert rows[2]["calls"][0]["args"] == {"from_user": "Alice Chen", "to_user": "Bob Smith", "account": "Tailspin Airlines"}
    assert rows[3]["calls"] == [] and "asked" not in rows[3]
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows)
    json.dumps(rows, ensure_ascii=False)


def test_a_case_the_engine_asks_about_carries_the_readings_offered(fixture_data):
    from intents.base import Alternative, Parse
    from tools.base import ToolCall

    class Unsure:
        name = "unsure"

        def parse(self, text, ctx):
            reading = (ToolCall("account_overview", {"account": "蓝鲸数据"}),)
            return Parse(calls=[], confidence=0.3, alternatives=[Alternative(reading, 0.4)])

    (row,) = parse_batch(fixture_data, [{"id": "x", "now": "2026-11-25T10:00", "user": 1, "text": "蓝鲸?"}], Unsure())
    assert row["calls"] == []
    assert row["asked"] == [[{"name": "account_overview", "args": {"account": "蓝鲸数据"}}]]


def test_open_deals_of_the_fixture_are_known_by_name(fixture_data):
    (row,) = parse_batch(fixture_data, [{"id": "x", "now": "2026-11-25T10:00", "user": 1, "text": "蓝鲸扩容项目推迟到明年一季度了"}])
    assert row["calls"][0]["args"]["opportunity"] == "数据平台扩容"


def test_an_unknown_user_is_an_error(fixture_data):
    with pytest.raises(ValueError, match="no user 99"):
        list(parse_batch(fixture_data, [{"id": "x", "now": "2026-11-25T10:00", "user": 99, "text": "hi"}]))


def _score_module():
    path = SHARED_EVAL / "score.py"
    if not path.exists():
        pytest.skip("the shared eval folder is not next to the repository")
    spec = importlib.util.spec_from_file_location("eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_set_accuracy():
    score = _score_module()
    fixture = json.loads((SHARED_EVAL / "fixture.json").read_text(encoding="utf-8"))
    gold = [json.loads(line) for line in (SHARED_EVAL / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    predictions = {row["id"]: row for row in parse_batch(fixture, gold)}
    result = score.score(gold, predictions, score.build_aliases(fixture))
    assert result["case_accuracy"] >= 0.97, result["misses"][:5]
    assert result["tool_f1"] >= 0.98 and result["arg_accuracy"] >= 0.97
