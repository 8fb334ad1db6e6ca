"""Answers to the loop's questions and card edits by reply, read with the rules normalizers."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intents.base import ParseContext, UserInfo
from intents.rules import RulesEngine
from intents.values import extract_patch, extract_value
from storage.names import Directory, Entry
from tools.base import ToolCall

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday


@pytest.fixture(scope="module")
def ctx() -> ParseContext:
    directory = Directory(
        accounts=[Entry("account", 1, "蓝鲸数据", ("蓝鲸",)), Entry("account", 12, "Acme Corporation", ("Acme",))],
        users=[Entry("user", 1, "王磊", ("小王",)), Entry("user", 6, "刘洋", ("老刘",))])
    return ParseContext(user=UserInfo(1, "王磊", "rep", "zh", "Asia/Shanghai"), now=NOW, directory=directory)


@pytest.mark.parametrize("field, text, value", [
    ("amount", "80万", 800000),
    ("amount", "八十万", 800000),
    ("amount", "$1.2M", 1200000),
    ("amount", "250000", 250000),
    ("amount", "不知道", None),
    ("amount", "-5", None),
    ("discount_pct", "九折", 10),
    ("discount_pct", "15% off", 15),
    ("due_at", "周五下午3点", "2026-11-27T15:00"),
    ("due_at", "明天", "2026-11-26T09:00"),
    ("due_at", "next thursday 10am", "2026-12-03T10:00"),
    ("due_at", "晚上8点", "2026-11-25T20:00"),
    ("due_at", "随便", None),
    ("expected_close", "月底", "2026-11-30"),
    ("occurred_on", "周一", "2026-11-23"),
    ("account", "蓝鲸", "蓝鲸数据"),
    ("account", "星河科技", "星河科技"),
    ("to_user", "老刘", "刘洋"),
    ("to_user", "nobody at all", None),
    ("quote_id", "#102", 102),
    ("stage", "进入谈判", "negotiation"),
    ("channel", "电话", "phone"),
    ("comment", "  折扣太大  ", "折扣太大"),
])
def test_extract_value(ctx, field, text, value):
    assert extract_value(field, text, ctx) == value


@pytest.mark.parametrize("calls, reply, expected", [
    ([ToolCall("update_opportunity", {"account": "蓝鲸数据", "stage": "negotiation"})], "金额改成90万",
     {"account": "蓝鲸数据", "stage": "negotiation", "amount": 900000}),
    ([ToolCall("create_reminder", {"due_at": "2026-11-27T15:00", "text": "回电话"})], "改成下周四",
     {"due_at": "2026-12-03T09:00", "text": "回电话"}),
    ([ToolCall("create_quote", {"account": "蓝鲸数据", "amount": 800000, "discount_pct": 10})], "打八五折",
     {"account": "蓝鲸数据", "amount": 800000, "discount_pct": 15}),
    ([ToolCall("create_reminder", {"due_at": "2026-11-27T15:00", "text": "call John"})], "no, next Thursday 2pm",
     {"due_at": "2026-12-03T14:00", "text": "call John"}),
])
def test_extract_patch_applies_stated_values(ctx, calls, reply, expected):
    patched = extract_patch(reply, calls, ctx, RulesEngine())
    assert patched is not None
    assert patched[0].args == expected


def test_extract_patch_without_a_change_is_none(ctx):
    calls = [ToolCall("log_visit", {"account": "蓝鲸数据", "summary": "聊了方案"})]
    assert extract_patch("嗯嗯", calls, ctx, RulesEngine()) is None
