"""Sentence classes behind reminder actions, deal renames, manager reports, a bare amount's
currency, the deal a quote names and where a next step lands (now: Wed 2026-11-25 10:00).

Each class is read by a rule, not by sentence: zh and en paraphrases of each, none from the eval
files."""
from __future__ import annotations

import pytest


def one(calls, text, user):
    got = calls(text, user=user)
    assert len(got) == 1, got
    return got[0]


# --- a bare amount leaves the currency to the tool --------------------------------------------

@pytest.mark.parametrize("text, user, amount", [
    ("Acme moved to negotiation, 260k now", 4, 260000),
    ("Globex deal size is 480k, evaluation stage", 4, 480000),
    ("蓝鲸这单谈到900k了，进入谈判", 1, 900000),
])
def test_a_bare_amount_states_no_currency(calls, text, user, amount):
    call = one(calls, text, user)
    assert call["name"] == "update_opportunity"
    assert call["args"]["amount"] == amount and "currency" not in call["args"]


@pytest.mark.parametrize("text, user, currency", [
    ("Acme is at $300k now", 4, "USD"), ("青松120万进入谈判", 1, "CNY"), ("Umbrella Health: €90k, negotiating", 4, "EUR"),
])
def test_a_stated_currency_is_kept(calls, text, user, currency):
    assert [c for c in calls(text, user=user) if c["name"] == "update_opportunity"][0]["args"]["currency"] == currency


# --- the deal a quote is for ---------------------------------------------------------------

@pytest.mark.parametrize("text, user, product", [
    ("帮我给蓝鲸的数据平台扩容出个报价，80万，打九折", 1, "数据平台扩容"),
    ("蓝鲸扩容那单报个价，75万，九五折", 1, "数据平台扩容"),
    ("quote for Acme's Fleet analytics, $240k, 5% off", 4, "Fleet analytics"),
])
def test_a_quote_names_its_deal_as_product(calls, text, user, product):
    call = one(calls, text, user)
    assert (call["name"], call["args"]["product"]) == ("create_quote", product)


# --- reminders: done, delete, move --------------------------------------------------------

@pytest.mark.parametrize("name, text, user, args", [
    ("complete_reminder", "给北辰王总回电话那个提醒已经办完了", 1, {"account": "北辰汽车", "text": "给北辰王总回电话"}),
    ("complete_reminder", "北辰回电话的提醒搞定了", 1, {"account": "北辰汽车"}),
    ("complete_reminder", "蓝鲸发方案的待办完成了", 1, {"account": "蓝鲸数据"}),
    ("complete_reminder", "mark the Globex call reminder as done", 4, {"account": "Globex Industries"}),
    ("complete_reminder", "the reminder to call Dana is done", 4, {"text": "call Dana"}),
    ("complete_reminder", "tick off my Acme reminder", 4, {"account": "Acme Corporation"}),
    ("delete_reminder", "把12月31号那个提醒删掉", 1, {"due_on": "2026-12-31"}),
    ("delete_reminder", "周五的提醒取消吧", 1, {"due_on": "2026-11-27"}),
    ("delete_reminder", "删除给蓝鲸发方案的提醒", 1, {"account": "蓝鲸数据", "text": "给蓝鲸发方案"}),
    ("delete_reminder", "delete my reminder to call Dana", 4, {"text": "call Dana"}),
    ("delete_reminder", "remove the Friday reminder", 4, {"due_on": "2026-11-27"}),
    ("delete_reminder", "cancel the Acme reminder", 4, {"account": "Acme Corporation"}),
    ("move_reminder", "把3点那个提醒改到明天", 1, {"due_time": "15:00", "new_day": "2026-11-26"}),
    ("move_reminder", "给北辰回电话的提醒推迟到下周一", 1, {"account": "北辰汽车", "new_day": "2026-11-30"}),
    ("move_reminder", "把周五的提醒挪到下午4点", 1, {"due_on": "2026-11-27", "new_time": "16:00"}),
    ("move_reminder", "push my 3pm reminder to tomorrow", 4, {"due_time": "15:00", "new_day": "2026-11-26"}),
    ("move_reminder", "move the Acme reminder to Friday 10am", 4, {"account": "Acme Corporation", "new_day": "2026-11-27", "new_time": "10:00"}),
    ("move_reminder", "reschedule the reminder about the Globex call to next Monday", 4,
     {"account": "Globex Industries", "new_day": "2026-11-30", "text": "Globex call"}),
])
def test_reminder_actions(calls, name, text, user, args):
    call = one(calls, text, user)
    assert call["name"] == name
    assert args.items() <= call["args"].items()


@pytest.mark.parametrize("text, user, names", [
    ("提醒我明天给北辰回电话", 1, ["create_reminder"]),
    ("remind me to cancel the Acme meeting tomorrow", 4, ["create_reminder"]),
    ("我的提醒", 1, ["list_reminders"]),
    ("提醒功能怎么关掉？", 1, []),
    ("how do I delete a reminder?", 4, []),
])
def test_not_an_action_on_a_reminder(calls, text, user, names):
    assert [c["name"] for c in calls(text, user=user)] == names


# --- deals: names and renames ------------------------------------------------------------

@pytest.mark.parametrize("text, user, args", [
    ("把这个商机改名为星河智能仓储", 1, {"new_name": "星河智能仓储"}),
    ("蓝鲸的数据平台扩容改名叫数据中台二期", 1,
     {"new_name": "数据中台二期", "account": "蓝鲸数据", "opportunity": "数据平台扩容"}),
    ("商机名字改成「华东区巡检」", 1, {"new_name": "华东区巡检"}),
    ("rename the deal to Fleet Analytics 2", 4, {"new_name": "Fleet Analytics 2"}),
    ("rename the Acme Fleet analytics deal to Fleet Analytics 2027", 4,
     {"new_name": "Fleet Analytics 2027", "account": "Acme Corporation", "opportunity": "Fleet analytics"}),
    ("call this deal Northwind POS rollout", 4, {"new_name": "Northwind POS rollout"}),
])
def test_rename(calls, text, user, args):
    assert calls(text, user=user) == [{"name": "rename_opportunity", "args": args}]


@pytest.mark.parametrize("text, user", [
    ("今天拜访了蓝鲸李总，方案他们基本认可，进入评估", 1),
    ("去了青松，技术方案对方很满意，进入谈判", 1),
    ("Met Initech today, they liked the proposal a lot, moving to evaluation", 4),
])
def test_a_clause_about_the_proposal_is_no_deal_name(calls, text, user):
    (update,) = [c for c in calls(text, user=user) if c["name"] == "update_opportunity"]
    assert "opportunity" not in update["args"]


# --- a next step lands on the account it names ----------------------------------------------

@pytest.mark.parametrize("text, user, owner, other, due", [
    ("拜访了蓝鲸陈经理，又去了北辰见王总。下一步：周五前给蓝鲸发方案", 1, "蓝鲸数据", "北辰汽车", "2026-11-27"),
    ("今天见了青松赵主任，下午又去了北辰邓总那边，下一步：下周一给青松发报价", 1, "青松制药", "北辰汽车", "2026-11-30"),
    ("Met Acme and Globex today. Acme is moving to negotiation; next step: send Globex the pricing sheet by Friday",
     4, "Globex Industries", "Acme Corporation", "2026-11-27"),
])
def test_the_next_step_goes_to_the_account_it_names(calls, text, user, owner, other, due):
    visits = {c["args"]["account"]: c["args"] for c in calls(text, user=user) if c["name"] == "log_visit"}
    assert visits[owner]["next_step"] and visits[owner]["next_step_due"] == due
    assert "next_step" not in visits[other]


# --- managers' reports ---------------------------------------------------------------------

@pytest.mark.parametrize("text, user, args", [
    ("王磊这个月的pipeline", 3, {"period": "this_month", "rep": "王磊"}),
    ("看下李娜本季度的业绩", 3, {"period": "this_quarter", "rep": "李娜"}),
    ("how is Alice tracking this month", 5, {"period": "this_month", "rep": "Alice Chen"}),
    ("本季度pipeline按人分", 3, {"period": "this_quarter", "by_rep": True}),
    ("pipeline by rep this quarter", 5, {"period": "this_quarter", "by_rep": True}),
    ("团队这个月的业绩，每个人分别多少", 3, {"period": "this_month", "scope": "team", "by_rep": True}),
    ("give me the forecast", 5, {}),
    ("show me the forecast for this quarter", 5, {"period": "this_quarter"}),
    ("send me the pipeline", 5, {}),
    ("what's my forecast", 4, {"scope": "mine"}),
])
def test_pipeline_questions(calls, text, user, args):
    assert calls(text, user=user) == [{"name": "pipeline_report", "args": args}]


@pytest.mark.parametrize("text, user, args", [
    ("上周的周报发我一下", 3, {"period": "last_week"}),
    ("把这周的周报给我看看", 3, {"period": "this_week"}),
    ("周报呢", 3, {}),
    ("send me last week's digest", 5, {"period": "last_week"}),
    ("can I get the weekly report", 5, {}),
    ("weekly summary for this week please", 5, {"period": "this_week"}),
])
def test_weekly_report(calls, text, user, args):
    assert calls(text, user=user) == [{"name": "weekly_report", "args": args}]
