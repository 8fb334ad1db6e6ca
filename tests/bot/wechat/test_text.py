"""Numbered choices out, numbers and typed decisions in: the rendering and parsing rules."""
from __future__ import annotations

import pytest

from bot.adapters.wechat.inbound import (ChoiceMemory, Decision, mentions_name, parse_decision, strip_mentions,
                                         typed_number)
from bot.adapters.wechat.render import plain_label, render_reply, split_text
from bot.cards import quote_choices
from bot.messages import Choice, Reply
from prompts.ui import t

DRAFT_ZH = (Choice("d:7:confirm", t("zh", "btn_confirm")), Choice("d:7:edit", t("zh", "btn_edit")),
            Choice("d:7:cancel", t("zh", "btn_cancel")))
DRAFT_EN = (Choice("d:7:confirm", t("en", "btn_confirm")), Choice("d:7:edit", t("en", "btn_edit")),
            Choice("d:7:cancel", t("en", "btn_cancel")))


def test_cards_end_with_numbered_choices_in_the_cards_language():
    [zh] = render_reply(Reply("📋 确认写入（1 项）\n拜访 蓝鲸数据", DRAFT_ZH))
    assert zh == "📋 确认写入（1 项）\n拜访 蓝鲸数据\n回复 1 确认 / 2 修改 / 3 取消"
    assert zh.endswith(t("zh", "card_footer"))
    [en] = render_reply(Reply("📋 Confirm (1 item)\nVisit Acme", DRAFT_EN))
    assert en.endswith("Reply 1 Confirm / 2 Edit / 3 Cancel")


def test_approval_requests_also_show_the_typed_decision_forms():
    [zh] = render_reply(Reply("🧾 报价待审批 #101", quote_choices(101, "zh")))
    assert zh.endswith("回复 1 同意 / 2 驳回\n也可以直接回复「同意 101」或「驳回 101 原因」")
    [en] = render_reply(Reply("🧾 Quote #101 needs approval", quote_choices(101, "en")))
    assert en.endswith('Reply 1 Approve / 2 Reject\nor reply "approve 101" / "reject 101 reason"')


def test_a_question_that_lists_its_candidates_gets_no_second_list():
    reply = Reply("「蓝鲸」指的是哪一个？回复序号：\n1. 蓝鲸数据\n2. 蓝鲸科技",
                  (Choice("c:3:0", "蓝鲸数据"), Choice("c:3:1", "蓝鲸科技")))
    assert render_reply(reply) == [reply.text]


def test_plain_replies_are_unchanged_and_long_ones_split_on_lines():
    assert render_reply(Reply("✅ 已保存")) == ["✅ 已保存"]
    text = "\n".join(f"第{i}行 " + "字" * 50 for i in range(100))
    pieces = render_reply(Reply(text, DRAFT_ZH), limit=500)
    assert all(len(p) <= 500 for p in pieces) and len(pieces) > 5
    assert "\n".join(pieces) == text + "\n回复 1 确认 / 2 修改 / 3 取消"
    assert split_text("x" * 1200, 500) == ["x" * 500, "x" * 500, "x" * 200]


@pytest.mark.parametrize("label, plain", [("✅ 确认", "确认"), ("✏️ 修改", "修改"), ("✖️ Cancel", "Cancel"),
                                          ("蓝鲸数据", "蓝鲸数据"), ("🧾", "🧾")])
def test_plain_label_drops_leading_symbols(label, plain):
    assert plain_label(label) == plain


@pytest.mark.parametrize("text, decision", [
    ("同意 101", Decision(101, "approve")),
    ("同意101", Decision(101, "approve")),
    ("批准 #７", Decision(7, "approve")),
    ("Approve 101.", Decision(101, "approve")),
    ("approve #103!", Decision(103, "approve")),
    ("驳回 101 折扣太大，最多九五折", Decision(101, "reject", "折扣太大，最多九五折")),
    ("驳回101：价格低于底线", Decision(101, "reject", "价格低于底线")),
    ("驳回 101", Decision(101, "reject", "")),
    ("reject 101: discount too deep", Decision(101, "reject", "discount too deep")),
    ("REJECT 12 - no budget", Decision(12, "reject", "no budget")),
])
def test_typed_decisions(text, decision):
    assert parse_decision(text) == decision
    assert decision.choice == f"q:{decision.quote_id}:{decision.action}"


@pytest.mark.parametrize("text", ["同意 101 吗？老板说了算", "我同意 101", "同意", "approve it", "驳回",
                                  "给青松报价50万", "1", ""])
def test_other_text_is_not_a_decision(text):
    assert parse_decision(text) is None


def test_numbers_press_the_choices_of_the_conversations_last_message():
    memory = ChoiceMemory()
    rep, manager = ("wxid_u1", "wxid_u1"), ("wxid_u3", "wxid_u3")
    memory.shown(rep, DRAFT_ZH)
    memory.shown(manager, quote_choices(102, "zh"))
    assert memory.pick(rep, "1") == "d:7:confirm"
    assert memory.pick(rep, " ３。") == "d:7:cancel"
    assert memory.pick(manager, "2") == "q:102:reject"
    assert memory.pick(rep, "4") is None and memory.pick(rep, "0") is None
    assert memory.pick(rep, "1 确认") is None
    assert memory.pick(("room@chatroom", "wxid_u1"), "1") is None  # another conversation

    memory.shown(rep, ())  # a message without choices: numbers mean nothing any more
    assert memory.pick(rep, "1") is None


def test_choice_memory_is_bounded():
    memory = ChoiceMemory(max_conversations=3)
    for i in range(5):
        memory.shown((f"c{i}", f"c{i}"), DRAFT_ZH)
    assert memory.pick(("c0", "c0"), "1") is None
    assert memory.pick(("c4", "c4"), "1") == "d:7:confirm"


@pytest.mark.parametrize("text, number", [("1", 1), (" 2 ", 2), ("3.", 3), ("１", 1), ("2）", 2),
                                          ("12", 12), ("一", None), ("1 2", None), ("100", None)])
def test_typed_number(text, number):
    assert typed_number(text) == number


def test_mentions_of_the_bot_are_found_and_removed():
    assert mentions_name("@Salesbot\u2005今天拜访了蓝鲸", ["Salesbot"])
    assert not mentions_name("@Salesbotter 你好", ["Salesbot"])
    assert not mentions_name("发给 Salesbot", ["Salesbot"])
    assert strip_mentions("@Salesbot\u2005今天拜访了蓝鲸", ["Salesbot"]) == "今天拜访了蓝鲸"
    assert strip_mentions("今天拜访了蓝鲸 @Salesbot", ["Salesbot"]) == "今天拜访了蓝鲸"
    assert strip_mentions("@李娜\u2005你看 @Salesbot 1", ["Salesbot"]) == "@李娜\u2005你看 1"
