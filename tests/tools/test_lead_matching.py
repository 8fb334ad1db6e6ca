"""CDM matching: a lead names a known customer however it is written, and the same new company
arriving from several channels becomes one lead listing every source."""
from __future__ import annotations

import pytest

from storage.db import session_scope
from storage.leadkeys import company_key, phone_key, valid_credit_code
from storage.models import Account, Contact
from tests.tools.lead_helpers import leads, run_intake

# the eval fixture's 蓝鲸数据 (id 1, aliases 蓝鲸 / Bluewhale Data, owner 王磊) and 金桥物流 (4, 李娜)
WRITTEN_DIFFERENTLY = [
    ("藍鯨數據", 1),                     # Traditional characters
    ("蓝鲸数据有限公司", 1),             # legal suffix
    ("蓝鲸 数据 股份有限公司", 1),       # spacing and another suffix
    ("ＢＬＵＥＷＨＡＬＥ　ＤＡＴＡ", 1),  # full width, upper case
    ("Bluewhale Data Co., Ltd.", 1),     # English alias with a suffix
    ("金橋物流集團", 4),                  # Traditional + 集团
    ("金桥", 4),                          # an alias alone
]


@pytest.mark.parametrize("company,account_id", WRITTEN_DIFFERENTLY)
def test_company_written_differently_reaches_the_account(crm, company, account_id):
    result = run_intake(crm, [{"company": company, "source": "官网"}])
    assert result.existing_customer == 1
    (lead,) = leads(crm)
    assert lead.account_id == account_id


def test_phone_email_and_contacts_link_the_customer(crm):
    with session_scope(crm) as session:
        session.add(Account(id=50, name="远山咨询", owner_id=6, phone="021-6666 8888"))
        session.flush()
        session.add(Contact(account_id=50, name="钱总", phone="+86 139 1234 5678", email="Qian@YuanShan.cn"))
    result = run_intake(crm, [
        {"company": "某个完全不同的名字", "phone": "(021) 66668888"},
        {"company": "另一个名字", "phone": "13912345678"},
        {"company": "第三个名字", "email": "qian@yuanshan.CN "},
    ])
    assert result.existing_customer == 3
    rows = leads(crm)
    assert [lead.account_id for lead in rows] == [50, 50, 50]
    assert [lead.contact_id is not None for lead in rows] == [False, True, True]
    assert {lead.owner_id for lead in rows} == {6}  # existing_customer: owner by default


def test_same_new_company_from_several_channels_is_one_lead(crm):
    result = run_intake(crm, [
        {"company": "远航物流有限公司", "contact": "刘经理", "phone": "13800001111", "source": "展会"},
        {"company": "遠航物流", "email": "liu@yuanhang.cn", "source": "官网"},
        {"company": "Other", "phone": "+86 138-0000-1111", "source": "天猫"},
        {"company": "远航物流", "source": "展会"},
    ])
    assert (result.imported, result.merged) == (1, 3)
    (lead,) = leads(crm)
    assert lead.sources == ["展会", "官网", "天猫"]
    assert lead.email == "liu@yuanhang.cn" and lead.contact == "刘经理"  # empty fields filled, none overwritten
    assert lead.company == "远航物流有限公司"


def test_a_later_import_merges_into_an_open_lead_and_credit_code_matches(crm):
    code = "91350100M000100Y43"
    run_intake(crm, [{"company": "甲公司", "credit_code": code, "source": "官网"}])
    result = run_intake(crm, [{"company": "乙名称", "credit_code": code.lower(), "source": "门店"}])
    assert result.merged == 1
    (lead,) = leads(crm)
    assert lead.sources == ["官网", "门店"]


def test_an_ambiguous_name_links_to_no_account(crm):
    with session_scope(crm) as session:
        session.add(Account(name="星河科技", owner_id=1))
        session.add(Account(name="星河集团", owner_id=2))
    result = run_intake(crm, [{"company": "星河有限公司"}])
    assert result.existing_customer == 0
    assert leads(crm)[0].account_id is None


def test_merged_accounts_are_reached_through_the_account_kept(crm):
    with session_scope(crm) as session:
        session.add(Account(id=60, name="青松药业集团", owner_id=1, merged_into_id=3))
        session.flush()
        session.add(Contact(account_id=60, name="旧联系人", phone="13700007777"))
    run_intake(crm, [{"company": "无关名称", "phone": "137 0000 7777"}])
    assert leads(crm)[0].account_id == 3


def test_keys():
    assert company_key("藍鯨科技有限公司") == company_key("蓝鲸 科技") == "蓝鲸"
    assert company_key("ＡＣＭＥ　Corp.") == company_key("acme") == "acme"
    assert phone_key("+86 138-0000-1111") == phone_key("13800001111")
    assert valid_credit_code("91350100M000100Y43") and not valid_credit_code("91350100M000100Y44")
    assert not valid_credit_code("12345")
