"""Routing, table-driven over every rule kind: existing customers, `when` (one value, any of a
list, several fields, region prefix, sources), a rep, a team by round robin and by least loaded,
capacity, away reps, the manager fallback, no matching rule, users by id and by name."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from storage.db import session_scope
from storage.models import Lead, User
from tests.tools.lead_helpers import leads, run_intake

# the eval fixture: 张伟 (3) manages 王磊 (1), 李娜 (2), 刘洋 (6); Bob Smith (5) manages Alice Chen (4).
# 蓝鲸数据 (account 1) is 王磊's.
RULES = """\
existing_customer: owner
capacity: {default: 2, 李娜: 1}
rules:
  - when: {region: [上海, 杭州]}
    assign: {team: 张伟, strategy: round_robin}
  - when: {source: 官网, industry: 医药}
    assign: {rep: 李娜}
  - when: {industry: 能源}
    assign: {team: 张伟, strategy: least_loaded}
  - when: {source: 门店}
    assign: {rep: 4}
  - when: {industry: 教育}
    assign: {team: Bob Smith}
"""


@dataclass
class Case:
    name: str
    rows: list[dict]
    owners: list[int | None]
    away: list[int] = field(default_factory=list)
    rules: str = RULES
    preload: dict[int, int] = field(default_factory=dict)  # user id → open leads already held


CASES = [
    Case("existing customer goes to its owner", [{"company": "蓝鲸数据", "region": "北京"}], [1]),
    Case("existing customer whose owner is away follows the rules",
         [{"company": "蓝鲸数据", "region": "杭州"}], [2], away=[1]),
    Case("existing_customer: rules ignores the owner",
         [{"company": "蓝鲸数据", "industry": "能源"}], [2],
         rules="existing_customer: rules\nrules:\n  - assign: {rep: 李娜}\n"),
    Case("a list means any of; round robin in id order", [{"company": f"新{i}", "region": r} for i, r in
                                                          enumerate(["上海", "杭州", "上海", "杭州市西湖区"])],
         [1, 2, 6, 1]),
    Case("region matches by prefix", [{"company": "新A", "region": "上海市浦东新区"}], [1]),
    Case("several fields must all match", [{"company": "新A", "source": "官网", "industry": "医药"},
                                           {"company": "新B", "source": "官网", "industry": "零售"}], [2, None]),
    Case("a full rep is skipped for the manager", [{"company": f"新{i}", "source": "官网", "industry": "医药"}
                                                   for i in range(2)], [2, 3]),
    Case("an away rep's lead goes to the manager", [{"company": "新A", "source": "官网", "industry": "医药"}],
         [3], away=[2]),
    Case("least loaded counts open leads already held", [{"company": "新A", "industry": "能源"}], [6],
         preload={1: 1, 2: 1}),
    Case("round robin skips away and full reps", [{"company": f"新{i}", "region": "上海"} for i in range(3)],
         [6, 6, 3], away=[1], preload={2: 1}),
    Case("a rep named by id", [{"company": "新A", "source": "门店"}], [4]),
    Case("a team with everyone away goes to its manager", [{"company": "新A", "industry": "教育"}], [5], away=[4]),
    Case("no rule matches: the lead stays new", [{"company": "新A", "region": "成都"}], [None]),
    Case("a rule without when catches every lead", [{"company": "新A"}], [4],
         rules="rules:\n  - when: {region: 上海}\n    assign: {rep: 王磊}\n  - assign: {rep: Alice Chen}\n"),
    Case("names and aliases are case- and width-insensitive", [{"company": "新A", "region": "ＳＨＡＮＧＨＡＩ"}], [1],
         rules="rules:\n  - when: {region: shanghai}\n    assign: {rep: 王磊}\n"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_routing(crm, case: Case):
    with session_scope(crm) as session:
        for uid in case.away:
            user = session.get(User, uid)
            user.preferences = {**(user.preferences or {}), "away": True}
            session.add(user)
        for uid, n in case.preload.items():
            for k in range(n):
                session.add(Lead(company=f"已有{uid}-{k}", company_key=f"已有{uid}-{k}", owner_id=uid, status="assigned"))
    before = len(leads(crm))
    result = run_intake(crm, case.rows, case.rules)
    assert not result.rejected
    assert [lead.owner_id for lead in leads(crm)[before:]] == case.owners
    for lead in leads(crm)[before:]:
        assert lead.status == ("assigned" if lead.owner_id else "new")


def test_round_robin_continues_across_imports(crm):
    rules = "rules:\n  - assign: {team: 张伟, strategy: round_robin}\n"
    run_intake(crm, [{"company": "新A"}, {"company": "新B"}], rules)
    run_intake(crm, [{"company": "新C"}, {"company": "新D"}], rules)
    assert [lead.owner_id for lead in leads(crm)] == [1, 2, 6, 1]
