"""The routing rules file: what it accepts, and each problem reported with its line number."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tools.lead_rules import RulesError, load_rules, parse_duration, parse_rules

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_example_parses():
    rules = load_rules(ROOT / "config" / "routing.yaml")
    assert rules.existing_customer == "owner"
    assert (rules.capacity_default, rules.capacity) == (50, {"李娜": 10})
    assert rules.sla.first_contact == timedelta(hours=24) and rules.sla.then == "reassign"
    assert [r.line for r in rules.rules] == [7, 9, 11]
    assert rules.rules[0].when == {"region": ("上海", "杭州", "苏州")}
    assert rules.rules[0].assign.team == "张伟" and rules.rules[2].assign.strategy == "least_loaded"
    assert rules.rules[2].when == {}


BAD = [
    ("rules:\n  - when: {regoin: 上海}\n    assign: {rep: 李娜}\n", 2, "unknown lead field 'regoin'"),
    ("rules:\n  - when: {region: 上海}\n", 2, "no assign"),
    ("rules:\n  - assign: {rep: 李娜, team: 张伟}\n", 2, "exactly one of rep or team"),
    ("rules:\n  - assign: {team: 张伟, strategy: fastest}\n", 2, "round_robin or least_loaded"),
    ("capacity: {default: lots}\nrules:\n  - assign: {rep: 1}\n", 1, "whole number"),
    ("sla: {first_contact: soon}\nrules:\n  - assign: {rep: 1}\n", 1, "duration"),
    ("sla: {first_contact: 2h, then: escalate}\nrules:\n  - assign: {rep: 1}\n", 1, "reassign or notify_manager"),
    ("existing_customer: nobody\nrules:\n  - assign: {rep: 1}\n", 1, "owner or rules"),
    ("rules:\n  - assign: {rep: 1}\nrouting: x\n", 3, "unknown key 'routing'"),
    ("rules:\n  - assign: {rep: 1}\n   bad indent: [\n", 3, "not valid YAML"),
    ("rules: {rep: 1}\n", 1, "must be a list"),
    ("capacity: {default: 5}\n", 0, "no `rules:`"),
    ("", 0, "empty"),
]


@pytest.mark.parametrize("text,line,message", BAD, ids=[b[2] for b in BAD])
def test_problems_name_their_line(text, line, message):
    with pytest.raises(RulesError) as err:
        parse_rules(text, "r.yaml")
    assert any(ln == line and message in m for ln, m in err.value.problems), err.value.problems
    shown = str(err.value)
    assert (f"r.yaml:{line}:" if line else "r.yaml:") in shown


def test_every_problem_is_reported_at_once():
    text = "rules:\n  - when: {regoin: x}\n    assign: {rep: 1}\n  - assign: {team: 3, strategy: fast}\n"
    with pytest.raises(RulesError) as err:
        parse_rules(text)
    assert [line for line, _ in err.value.problems] == [2, 4]


def test_a_missing_file_names_the_setting(tmp_path):
    with pytest.raises(RulesError, match="ROUTING_RULES"):
        load_rules(tmp_path / "nope.yaml")


@pytest.mark.parametrize("text,span", [("24h", timedelta(hours=24)), ("2d", timedelta(days=2)),
                                       ("30m", timedelta(minutes=30)), ("1d12h", timedelta(hours=36)),
                                       ("soon", None), ("", None)])
def test_durations(text, span):
    assert parse_duration(text) == span
