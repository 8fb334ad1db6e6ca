"""The permission matrix: role × tool × (own team's data, another team's data).

Actors: rep 王磊 (1, team of 张伟), manager 张伟 (3), admin (7). "Own" targets belong to 王磊's
team (account 蓝鲸数据, quote #102 requested by 王磊); "other" targets to Bob Smith's team
(account Acme, quote #101 requested by Alice). Every case runs in a rolled-back transaction.
"""
from __future__ import annotations

import pytest

from tests.tools.conftest import ADMIN_ID

REP, MANAGER, ADMIN = 1, 3, ADMIN_ID
OK = "ok"

TARGETS = {"own": {"account": "蓝鲸数据", "quote_id": 102, "from_user": "王磊", "to_user": "李娜"},
           "other": {"account": "Acme", "quote_id": 101, "from_user": "Alice", "to_user": "王磊"}}

CALLS = {
    "log_visit": lambda t: {"account": t["account"], "summary": "check"},
    "update_opportunity": lambda t: {"account": t["account"], "amount": 123456},
    "create_quote": lambda t: {"account": t["account"], "amount": 1000},
    "approve_quote": lambda t: {"quote_id": t["quote_id"]},
    "reject_quote": lambda t: {"quote_id": t["quote_id"], "comment": "no"},
    "create_reminder": lambda t: {"account": t["account"], "due_at": "2026-11-26T09:00", "text": "x"},
    "reassign_accounts": lambda t: {"from_user": t["from_user"], "to_user": t["to_user"],
                                    "account": t["account"]},
    "account_overview": lambda t: {"account": t["account"]},
    "suggest_next_steps": lambda t: {"account": t["account"]},
}

ACCOUNT_TOOLS = ("log_visit", "update_opportunity", "create_quote", "create_reminder",
                 "account_overview", "suggest_next_steps")
# Another team's account is unknown to a rep or manager (nothing names it or its owner); the
# tools that would create an unknown account refuse instead of duplicating the hidden one.
CREATING_TOOLS = ("log_visit", "update_opportunity")
EXPECTED: dict[str, dict[tuple[int, str], str]] = {
    name: {(REP, "own"): OK, (REP, "other"): hidden,
           (MANAGER, "own"): OK, (MANAGER, "other"): hidden,
           (ADMIN, "own"): OK, (ADMIN, "other"): OK}
    for name in ACCOUNT_TOOLS
    for hidden in ["account_not_in_reach" if name in CREATING_TOOLS else "unknown_account"]
}
for decision in ("approve_quote", "reject_quote"):
    EXPECTED[decision] = {(REP, "own"): "cannot_decide_own_quote", (REP, "other"): "quote_not_found",
                          (MANAGER, "own"): OK, (MANAGER, "other"): "quote_not_found",
                          (ADMIN, "own"): OK, (ADMIN, "other"): OK}
EXPECTED["reassign_accounts"] = {(REP, "own"): "not_allowed_to_reassign", (REP, "other"): "not_allowed_to_reassign",
                                 (MANAGER, "own"): OK, (MANAGER, "other"): "not_allowed_to_reassign",
                                 (ADMIN, "own"): OK, (ADMIN, "other"): OK}


def test_the_matrix_covers_every_tool_that_takes_a_target():
    assert set(EXPECTED) == set(CALLS)
    assert all(len(cases) == 6 for cases in EXPECTED.values())


@pytest.mark.parametrize("tool_name", sorted(EXPECTED))
def test_permission_matrix(runner, tool_name):
    got = {case: runner.outcome(case[0], tool_name, **CALLS[tool_name](TARGETS[case[1]]))
           for case in EXPECTED[tool_name]}
    assert got == EXPECTED[tool_name]


SCOPED_READS = {
    "top_accounts": lambda d: {i["account"]["name"] for i in d["items"]},
    "pipeline_report": lambda d: {c for s in d["stages"] for c in [t["currency"] for t in s["totals"]]},
    "data_health": lambda d: {r["user"]["name"] for r in d["reps"] if r["user"]},
}


@pytest.mark.parametrize("actor, scope, narrowed, sees_other_team", [
    (REP, "mine", False, False),
    (REP, "team", True, False),
    (MANAGER, "team", False, False),
    (ADMIN, "team", False, True),
])
def test_report_scope_per_role(runner, actor, scope, narrowed, sees_other_team):
    top = runner.run(actor, "top_accounts", metric="pipeline", scope=scope, limit=50).data
    pipeline = runner.run(actor, "pipeline_report", scope=scope).data
    health = runner.run(actor, "data_health", scope=scope).data
    for data in (top, pipeline, health):
        assert data["scope_narrowed"] is narrowed
    accounts = SCOPED_READS["top_accounts"](top)
    assert ("Acme Corporation" in accounts) is sees_other_team
    assert ("USD" in SCOPED_READS["pipeline_report"](pipeline)) is sees_other_team  # Alice's deals are in USD
    assert ("Alice Chen" in SCOPED_READS["data_health"](health)) is sees_other_team
    if actor == REP:
        assert accounts <= {"蓝鲸数据", "青松制药", "北辰汽车", "天衡能源"}
        assert {r["user"]["name"] for r in health["reps"]} == {"王磊"}


def test_list_reminders_is_always_the_users_own(runner):
    runner.run(2, "create_reminder", due_at="2026-11-26T09:00", text="李娜的")
    runner.run(1, "create_reminder", due_at="2026-11-26T10:00", text="王磊的")
    for actor, expected in ((1, ["王磊的"]), (2, ["李娜的"]), (3, []), (ADMIN, [])):
        assert [r["text"] for r in runner.run(actor, "list_reminders").data["reminders"]] == expected
