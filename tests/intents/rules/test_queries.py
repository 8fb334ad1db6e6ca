import pytest


@pytest.mark.parametrize("text, user, name, args", [
    ("本周团队哪些客户最活跃？给我前五", 3, "top_accounts", {"period": "this_week", "metric": "activity", "limit": 5, "scope": "team"}),
    ("上个月团队签单金额最多的前10个客户", 3, "top_accounts", {"period": "last_month", "metric": "won", "limit": 10, "scope": "team"}),
    ("本周我拜访最多的客户有哪些", 1, "top_accounts", {"period": "this_week", "metric": "activity", "scope": "mine"}),
    ("今年在谈金额最大的客户排个名", 3, "top_accounts", {"period": "this_year", "metric": "pipeline"}),
    ("看看上周团队的拜访排名", 3, "top_accounts", {"period": "last_week", "metric": "activity", "scope": "team"}),
    ("top 5 accounts by pipeline this quarter for the team", 5, "top_accounts",
     {"period": "this_quarter", "metric": "pipeline", "limit": 5, "scope": "team"}),
    ("which accounts closed the most last quarter?", 5, "top_accounts", {"period": "last_quarter", "metric": "won"}),
    ("which of my accounts had the most touches last week? top 3", 4, "top_accounts",
     {"period": "last_week", "metric": "activity", "limit": 3, "scope": "mine"}),
    ("这个月我的pipeline怎么样", 1, "pipeline_report", {"period": "this_month", "scope": "mine"}),
    ("看下团队本季度的转化率和预测", 3, "pipeline_report", {"period": "this_quarter", "scope": "team"}),
    ("给我看下上季度的销售漏斗", 3, "pipeline_report", {"period": "last_quarter"}),
    ("team forecast for this quarter pls", 5, "pipeline_report", {"period": "this_quarter", "scope": "team"}),
    ("今天有啥待办", 1, "list_reminders", {"period": "today"}),
    ("what's on my plate today", 4, "list_reminders", {"period": "today"}),
    ("有哪些报价等我审批？", 3, "list_pending_approvals", {}),
    ("any quotes waiting on me?", 5, "list_pending_approvals", {}),
    ("蓝鲸的情况给我汇总一下", 1, "account_overview", {"account": "蓝鲸数据"}),
    ("pull up everything on Contoso Insurance", 4, "account_overview", {"account": "Contoso Insurance"}),
    ("查一下团队的数据质量，看看有没有重复的客户", 3, "data_health", {"scope": "team"}),
    ("check my accounts for dupes and missing fields", 4, "data_health", {"scope": "mine"}),
])
def test_questions(calls, text, user, name, args):
    assert calls(text, user=user) == [{"name": name, "args": args}]


@pytest.mark.parametrize("text, account", [
    ("华康医疗这单卡住了，一直没有回音，有什么办法推进吗", "华康医疗"),
    ("Initech has gone quiet for 2 weeks, how do I re-engage Bill?", "Initech"),
])
def test_advice_keeps_the_question(calls, text, account):
    assert calls(text, user=2) == [{"name": "suggest_next_steps", "args": {"account": account, "question": text}}]


@pytest.mark.parametrize("text", ["谢谢", "好的收到👌", "你好，你都能干啥？", "早上好", "这个机器人支持语音吗？", "thanks!",
                                  "hey, what can you do?", "lol ok", "does this thing work with Outlook calendar?", "辛苦了",
                                  "今天天气不错", "who built you?"])
def test_small_talk_asks_for_nothing(parse, text):
    result = parse(text)
    assert result.calls == [] and result.questions == []


def test_a_visit_report_is_top_accounts_by_activity(calls):
    assert calls("我上周的拜访记录汇总") == [{"name": "top_accounts", "args": {
        "period": "last_week", "metric": "activity", "scope": "mine"}}]


def test_a_story_that_ends_in_a_request_for_advice(calls):
    text = "Tailspin went dark after the demo, any tips to get Sam back on a call?"
    assert calls(text, user=4) == [{"name": "suggest_next_steps", "args": {"account": "Tailspin Airlines", "question": text}}]
    out = calls("昨天拜访了蓝鲸李总，他们还在犹豫，我下一步该怎么推进？")
    assert [c["name"] for c in out] == ["log_visit", "suggest_next_steps"]


@pytest.mark.parametrize("text, user, name, args", [
    ("how's the team tracking against the Q4 target", 5, "pipeline_report", {"period": "this_quarter", "scope": "team"}),
    ("团队本月新增商机多少", 3, "pipeline_report", {"period": "this_month", "scope": "team"}),
    ("what's pending my approval", 5, "list_pending_approvals", {}),
    ("这周还剩什么没做的", 6, "list_reminders", {"period": "this_week"}),
    ("金桥物流的全部信息", 2, "account_overview", {"account": "金桥物流"}),
    ("give me a rundown on Umbrella Health", 4, "account_overview", {"account": "Umbrella Health"}),
])
def test_more_ways_to_ask(calls, text, user, name, args):
    assert calls(text, user=user) == [{"name": name, "args": args}]


def test_advice_without_the_word_how(calls):
    (advice,) = calls("云帆林总说要再考虑考虑，有什么好的跟进策略吗", user=6)
    assert advice["name"] == "suggest_next_steps" and advice["args"]["account"] == "云帆软件"
    assert calls("Bill asked how to configure SSO on our call today", user=4)[0]["name"] == "log_visit"


def test_words_about_data_are_not_a_new_account(calls):
    assert calls("看看我的客户数据有没有缺漏", user=6) == [{"name": "data_health", "args": {"scope": "mine"}}]


@pytest.mark.parametrize("text, user, metric", [
    ("这周我跑得最勤的客户有哪些", 1, "activity"),
    ("上个月我去得最多的五个客户", 1, "activity"),
    ("今年我签下的客户按金额排个名", 1, "won"),
    ("本季度团队签的客户里金额最大的前十", 3, "won"),
    ("top accounts by visits this month", 4, "activity"),
    ("my biggest closed-won accounts this year", 4, "won"),
])
def test_the_metric_of_a_ranking_is_read_from_its_verb(calls, text, user, metric):
    (call,) = calls(text, user=user)
    assert call["name"] == "top_accounts" and call["args"]["metric"] == metric
