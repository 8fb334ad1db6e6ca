"""Proposed calls are checked against the registry's schemas and written as CONTRACT.md writes them."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from intents.base import ParseContext, UserInfo
from intents.llm.normalize import check_call
from storage.names import Directory, Entry
from tools.base import all_tools

TOOLS = all_tools()


def check(name, args, ctx):
    return check_call(0, name, args, "call_1", TOOLS, ctx)


def test_amounts_are_numbers_and_a_bare_amount_stays_without_currency(make_ctx):
    c = check("create_quote", {"account": "青松", "amount": "450,000", "discount_pct": "12%"}, make_ctx(1))
    assert c.valid
    assert c.call.args == {"account": "青松制药", "amount": 450000, "discount_pct": 12}
    c = check("update_opportunity", {"account": "Acme", "amount": 1250000.5, "currency": "usd"}, make_ctx(4))
    assert c.call.args == {"account": "Acme Corporation", "amount": 1250000.5, "currency": "USD"}


def test_symbols_and_words_are_read_but_nothing_is_guessed(make_ctx):
    c = check("update_opportunity", {"account": "北辰", "stage": "谈判", "amount": 200000, "currency": "¥"},
              make_ctx(1))
    assert c.call.args == {"account": "北辰汽车", "stage": "negotiation", "amount": 200000, "currency": "CNY"}
    c = check("update_opportunity", {"account": "北辰", "amount": "两百万"}, make_ctx(1))
    assert not c.valid and c.problems[0]["field"] == "amount"


def test_dates_and_due_times_in_contract_form(make_ctx):
    ctx = make_ctx(1)
    assert check("log_visit", {"account": "蓝鲸", "occurred_on": "2026-11-24T15:00:00"}, ctx).call.args == \
        {"account": "蓝鲸数据", "occurred_on": "2026-11-24"}
    assert check("create_reminder", {"due_at": "2026-11-27", "text": "回电话"}, ctx).call.args == \
        {"due_at": "2026-11-27T09:00", "text": "回电话"}
    # An offset time is the user's wall-clock (Shanghai is UTC+8).
    assert check("create_reminder", {"due_at": "2026-11-27T07:00:00Z", "text": "回电话"}, ctx).call.args == \
        {"due_at": "2026-11-27T15:00", "text": "回电话"}
    assert check("update_opportunity", {"account": "蓝鲸", "expected_close": "2027-03-31"}, ctx).call.args == \
        {"account": "蓝鲸数据", "expected_close": "2027-03-31"}


def test_quote_numbers_and_enums(make_ctx):
    assert check("approve_quote", {"quote_id": "Q-101", "comment": "ok"}, make_ctx(5)).call.args == \
        {"quote_id": 101, "comment": "ok"}
    assert check("top_accounts", {"period": "This Week", "metric": "pipeline", "limit": 3}, make_ctx(5)).call.args == \
        {"period": "this_week", "metric": "pipeline", "limit": 3}


def test_nulls_and_empties_are_absent_not_values(make_ctx):
    c = check("log_visit", {"account": "Globex", "contacts": [], "summary": "", "next_step": None,
                            "channel": "video"}, make_ctx(4))
    assert c.call.args == {"account": "Globex Industries", "channel": "video"}


def test_contacts_become_canonical_within_the_account(make_ctx):
    c = check("log_visit", {"account": "蓝鲸", "contacts": ["李总", "陈经理", "新来的刘工"]}, make_ctx(1))
    assert c.call.args["contacts"] == ["李明", "陈静", "新来的刘工"]
    c = check("log_visit", {"account": "星河物流", "contacts": ["李总"]}, make_ctx(1))
    assert c.call.args == {"account": "星河物流", "contacts": ["李总"]}


def test_users_of_a_handover_become_canonical(make_ctx):
    c = check("reassign_accounts", {"from_user": "老刘", "to_user": "小王"}, make_ctx(3))
    assert c.call.args == {"from_user": "刘洋", "to_user": "王磊"}


def test_invalid_values_are_problems_for_the_repair_round(make_ctx):
    c = check("update_opportunity", {"account": "北辰", "stage": "closed_won"}, make_ctx(1))
    assert not c.valid and [p["field"] for p in c.problems] == ["stage"]
    c = check("log_visit", {"account": "北辰", "when": "today"}, make_ctx(1))
    assert not c.valid and c.problems[0]["type"] == "extra_forbidden"
    c = check("approve_quote", {"comment": "批了"}, make_ctx(3))
    assert not c.valid and "quote_id or account" in c.problems[0]["message"]
    c = check("delete_everything", {}, make_ctx(3))
    assert not c.valid and c.problems[0]["type"] == "unknown_tool"


def test_missing_required_arguments_become_questions(make_ctx):
    c = check("create_quote", {"account": "青松", "discount_pct": 10}, make_ctx(1))
    assert c.valid and c.call.args == {"account": "青松制药", "discount_pct": 10}
    assert [(q.kind, q.arg) for q in c.questions] == [("missing", "amount")]
    c = check("create_quote", {"discount_pct": 150}, make_ctx(1))
    assert not c.valid and c.problems[0]["field"] == "discount_pct"


def test_ambiguous_account_becomes_a_question():
    directory = Directory(accounts=[Entry("account", 1, "Contoso Bank"), Entry("account", 2, "Contoso Insurance")])
    ctx = ParseContext(user=UserInfo(id=1, name="A", role="rep", language="en", timezone="Asia/Shanghai"),
                       now=datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Asia/Shanghai")), directory=directory)
    c = check("account_overview", {"account": "Contoso"}, ctx)
    assert c.valid and c.call.args == {"account": "Contoso"}
    [q] = c.questions
    assert (q.kind, q.arg, q.mention, set(q.candidates)) == ("ambiguous", "account", "Contoso",
                                                             {"Contoso Bank", "Contoso Insurance"})


def test_the_chat_actions_beyond_the_contract_come_out_json_ready(make_ctx):
    c = check("move_reminder", {"text": "call Dana", "due_time": "15:00", "new_day": "2026-11-26"}, make_ctx(4))
    assert c.valid and c.call.args == {"text": "call Dana", "due_time": "15:00", "new_day": "2026-11-26"}
    c = check("rename_opportunity", {"account": "Acme", "new_name": "Fleet Analytics 2"}, make_ctx(4))
    assert c.call.args == {"account": "Acme Corporation", "new_name": "Fleet Analytics 2"}
    c = check("pipeline_report", {"rep": "Alice", "by_rep": False}, make_ctx(5))
    assert c.valid and c.call.args["by_rep"] is False
