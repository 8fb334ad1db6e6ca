"""Reading a change to an open card. The sentences are paraphrases of our own (none is in an issue
or an eval file); each names a field or states a bare value, and the value lands where its type fits."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intents.base import ParseContext, UserInfo
from intents.edits import read_edit
from intents.rules import RulesEngine
from storage.names import Directory, Entry
from tools.base import ToolCall

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Friday
DIRECTORY = Directory(
    accounts=[Entry("account", 1, "青松制药", ("青松",)), Entry("account", 2, "Initech", ()),
              Entry("account", 3, "Contoso Ltd", ("Contoso",)), Entry("account", 4, "Globex Industries", ("Globex",))],
    users=[Entry("user", 1, "王磊", ("小王",)), Entry("user", 2, "李娜", ())],
    contacts=[Entry("contact", 10, "孙悦", (), account_id=1), Entry("contact", 11, "赵强", (), account_id=1),
              Entry("contact", 12, "Peter Gibbons", ("Peter",), account_id=2)])
CTX = ParseContext(user=UserInfo(1, "王磊", "rep", "zh", "Asia/Shanghai"), now=NOW, directory=DIRECTORY)
VISIT = ToolCall("log_visit", {"account": "青松制药", "contacts": ["孙悦", "赵强"], "occurred_on": "2026-12-04",
                               "channel": "onsite", "summary": "聊了续约"})
DEAL = ToolCall("update_opportunity", {"account": "青松制药", "stage": "negotiation", "amount": 1200000})
REMINDER = ToolCall("create_reminder", {"account": "青松制药", "due_at": "2026-12-09T09:00", "text": "跟进"})
QUOTE = ToolCall("create_quote", {"account": "青松制药", "amount": 500000, "discount_pct": 10})
HANDOVER = ToolCall("reassign_accounts", {"from_user": "李娜", "to_user": "王磊"})


def edited(text, calls, *, expecting=False):
    edit = read_edit(text, calls, CTX, RulesEngine(), expecting=expecting)
    return None if edit is None else {c.name: c.args for c in edit.calls}


@pytest.mark.parametrize("text, amount", [("金额调到95万", 950000), ("价格应该是一百万", 1000000), ("88万", 880000),
                                          ("make it 1.1M", 1100000), ("deal size 700k", 700000)])
def test_amounts(text, amount):
    assert edited(text, [VISIT, DEAL])["update_opportunity"]["amount"] == amount


@pytest.mark.parametrize("text", ["其实是上周五见的", "拜访时间是前天", "we met on Tuesday actually", "改成周三"])
def test_past_dates_move_the_visit(text):
    got = edited(text, [VISIT])
    assert got is not None and got["log_visit"]["occurred_on"] < "2026-12-04"


@pytest.mark.parametrize("text", ["下周一", "下下周三跟进", "12月20号", "in two weeks", "next Thursday"])
def test_a_future_date_never_becomes_the_visit_date(text):
    got = edited(text, [VISIT])
    assert got is not None and got["log_visit"]["occurred_on"] == "2026-12-04"
    assert got["create_reminder"]["due_at"] > "2026-12-04"


@pytest.mark.parametrize("text, due", [("提醒挪到下周一上午9点半", "2026-12-07T09:30"), ("跟进时间改成周二下午两点", "2026-12-08T14:00"),
                                       ("reminder on Monday at 11am", "2026-12-07T11:00"), ("下午5点", "2026-12-09T17:00")])
def test_reminder_times(text, due):
    assert edited(text, [VISIT, DEAL, REMINDER])["create_reminder"]["due_at"] == due


def test_a_future_date_on_a_deal_card_is_its_close_date():
    assert edited("预计成交改到月底", [DEAL])["update_opportunity"]["expected_close"] == "2026-12-31"
    assert edited("改成下个月15号", [DEAL])["update_opportunity"]["expected_close"] == "2027-01-15"


@pytest.mark.parametrize("text, name", [("竞争对手换成销售易", "销售易"), ("对手是Salesforce", "Salesforce"),
                                        ("we're up against HubSpot", "HubSpot"), ("lost to Zoho", "Zoho")])
def test_competitor(text, name):
    assert edited(text, [VISIT, DEAL])["update_opportunity"]["competitor"] == name


@pytest.mark.parametrize("text, contacts", [("联系人就孙悦", ["孙悦"]), ("见的人只有赵强", ["赵强"]),
                                           ("联系人去掉赵强", ["孙悦"]), ("联系人还有钱芳", ["孙悦", "赵强", "钱芳"]),
                                           ("only 赵强", ["赵强"])])
def test_contacts(text, contacts):
    assert edited(text, [VISIT])["log_visit"]["contacts"] == contacts


def test_handover_scope():
    got = read_edit("just Contoso and Initech", [HANDOVER], CTX, RulesEngine())
    assert [c.args.get("account") for c in got.calls] == ["Contoso Ltd", "Initech"]
    assert all(c.args["from_user"] == "李娜" and c.args["to_user"] == "王磊" for c in got.calls)
    assert read_edit("Globex", [HANDOVER], CTX, RulesEngine(), expecting=True).calls[0].args["account"] == \
        "Globex Industries"


def test_quote_discount_and_amount():
    assert edited("打个八折吧", [QUOTE])["create_quote"]["discount_pct"] == 20
    assert edited("报价金额改成45万", [QUOTE])["create_quote"] == {"account": "青松制药", "amount": 450000,
                                                              "discount_pct": 10}


def test_stage_and_channel():
    assert edited("阶段退回评估", [VISIT, DEAL])["update_opportunity"]["stage"] == "evaluation"
    assert edited("其实是视频会", [VISIT])["log_visit"]["channel"] == "video"


@pytest.mark.parametrize("text", ["今天拜访了青松孙悦，聊了续约", "我的提醒", "本季度pipeline", "好的", "top accounts this week",
                                  "remind me tomorrow 3pm to call Rachel about the renewal"])
def test_new_requests_are_not_changes(text):
    assert read_edit(text, [VISIT, DEAL, REMINDER], CTX, RulesEngine()) is None


def test_words_that_are_no_names_are_not_contacts():
    assert read_edit("whatever you think", [VISIT], CTX, RulesEngine(), expecting=True) is None
