"""Leads in a rep's words, on phrasings of our own: a new lead (company, person, phone, email,
source, region, note) when the CRM works leads, and what happened to one; and the contract's
prospect-deal reading of the same message when it does not."""
from __future__ import annotations

import dataclasses

import pytest


@pytest.fixture
def lead_calls(rules_engine, make_ctx):
    def run(text: str, user: int = 1, *, leads: bool = True) -> list[dict]:
        ctx = dataclasses.replace(make_ctx(user, "2026-11-25T10:00"), leads=leads)
        return rules_engine.parse(text, ctx).to_json()
    return run


NEW = [
    ("新线索：远航物流 刘经理 13800001111，展会上认识的",
     dict(company="远航物流", contact="刘经理", phone="13800001111", source="展会", note="展会上认识的")),
    ("有个新线索，星辰医药有限公司王总，电话021-66668888，朋友介绍的，杭州的",
     dict(company="星辰医药有限公司", contact="王总", phone="021-66668888", source="转介绍", region="杭州")),
    ("新线索 远航物流刘经理 138 0000 1111 官网留言", dict(company="远航物流", contact="刘经理", source="官网")),
    ("新线索：深圳云杉家居，联系人陈小姐，邮箱 chen@yunshan.cn",
     dict(company="深圳云杉家居", contact="陈小姐", email="chen@yunshan.cn", region="深圳")),
    ("new lead: Harbor Freight, Ms. Lin, lin@hf.com, met at the expo",
     dict(company="Harbor Freight", contact="Ms. Lin", email="lin@hf.com", source="trade show")),
    ("New lead: Acme Robotics Mr. John Park +1 415 555 0100 referral from Bob",
     dict(company="Acme Robotics", contact="Mr. John Park", phone="+1 415 555 0100", source="referral")),
]


@pytest.mark.parametrize("text,expected", NEW, ids=[t for t, _ in NEW])
def test_a_new_lead(lead_calls, text, expected):
    [call] = lead_calls(text)
    assert call["name"] == "create_lead"
    assert {k: call["args"].get(k) for k in expected} == expected


def test_without_leads_a_new_lead_is_the_contracts_prospect_deal(lead_calls):
    [call] = lead_calls("新线索：华南精密，做模具的，对方有意向", leads=False)
    assert call["name"] == "update_opportunity" and call["args"]["stage"] == "prospect"


@pytest.mark.parametrize("text", [
    "新线索：华南精密，预算大概60万",
    "有个新线索，星辰医药王总，年底前能签，30万左右",
    "new lead: Harbor Freight, about $90k, close by March",
    "New lead at Acme Robotics - budget 120k USD",
])
def test_a_new_lead_with_an_amount_is_a_sized_prospect_deal_even_where_leads_are_worked(lead_calls, text):
    calls = lead_calls(text)
    assert [c["name"] for c in calls] == ["update_opportunity"] and calls[0]["args"]["stage"] == "prospect"
    assert calls[0]["args"]["amount"] > 0


UPDATES = [
    ("远航物流的线索联系过了", "update_lead", dict(lead="远航物流", status="contacted")),
    ("星辰医药那条线索已经打过电话了", "update_lead", dict(lead="星辰医药", status="contacted")),
    ("远航物流的线索不合适，预算太低", "update_lead", dict(lead="远航物流", status="disqualified", reason="预算太低")),
    ("远航物流的线索无效", "update_lead", dict(lead="远航物流", status="disqualified", reason="无效")),
    ("远航物流那条线索我来跟", "update_lead", dict(lead="远航物流", status="accepted")),
    ("星辰医药的线索确认有需求", "update_lead", dict(lead="星辰医药", status="qualified")),
    ("把远航物流转成商机", "convert_lead", dict(lead="远航物流")),
    ("将星辰医药这条线索转为商机", "convert_lead", dict(lead="星辰医药")),
    ("contacted the Harbor Freight lead", "update_lead", dict(lead="Harbor Freight", status="contacted")),
    ("the Harbor Freight lead was contacted", "update_lead", dict(lead="Harbor Freight", status="contacted")),
    ("Harbor Freight lead is not a fit, no budget", "update_lead",
     dict(lead="Harbor Freight", status="disqualified", reason="no budget")),
    ("I'll take the Harbor Freight lead", "update_lead", dict(lead="Harbor Freight", status="accepted")),
    ("convert the Harbor Freight lead to a deal", "convert_lead", dict(lead="Harbor Freight")),
]


@pytest.mark.parametrize("text,name,args", UPDATES, ids=[t for t, _, _ in UPDATES])
def test_what_happened_to_a_lead(lead_calls, text, name, args):
    assert lead_calls(text) == [{"name": name, "args": args}]


@pytest.mark.parametrize("text", ["I called Bob at Acme, he'll lead the rollout", "we take the lead on pricing",
                                  "今天拜访了蓝鲸李总，进入谈判，金额80万"])
def test_no_lead_where_there_is_none(lead_calls, text):
    assert not any(c["name"].endswith("_lead") for c in lead_calls(text))
