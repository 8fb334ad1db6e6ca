"""Day and week reports: each clause with its own account and day, days paired with accounts
(分别 / respectively), an undated touch on the day of the one before, and a request at the end."""
import pytest

FRIDAY = "2026-11-27T19:00"


def visits(got):
    return [(c["args"]["account"], c["args"].get("occurred_on"), c["args"].get("channel")) for c in got if c["name"] == "log_visit"]


@pytest.mark.parametrize("text, user, expected", [
    ("这周总结：周一在青松跟赵主任过方案；周三和北辰许工视频；周四去华康见了马院长", 1,
     [("青松制药", "2026-11-23", "onsite"), ("北辰汽车", "2026-11-25", "video"), ("华康医疗", "2026-11-26", "onsite")]),
    ("周二电话联系了云帆林总，周四去瑞丰拜访冯经理", 6,
     [("云帆软件", "2026-11-24", "phone"), ("瑞丰食品", "2026-11-26", "onsite")]),
    ("Week in review: Mon call with Ken at Contoso Bank; Wed onsite at Umbrella with Dr. Marcus; Thu Zoom with Peter from Initech", 4,
     [("Contoso Bank", "2026-11-23", "phone"), ("Umbrella Health", "2026-11-25", "onsite"), ("Initech", "2026-11-26", "video")]),
])
def test_each_clause_has_its_own_day(calls, text, user, expected):
    assert visits(calls(text, user=user, now=FRIDAY)) == expected


@pytest.mark.parametrize("text, user, expected", [
    ("周二和周四分别去了海纳和金桥，聊明年的预算", 6, [("海纳零售", "2026-11-24"), ("金桥物流", "2026-11-26")]),
    ("Visited Globex and Fabrikam on Monday and Wednesday respectively", 4,
     [("Globex Industries", "2026-11-23"), ("Fabrikam Manufacturing", "2026-11-25")]),
    ("上周五和周一分别见了蓝海黄总和明远吴老师", 2, [("蓝海数据", "2026-11-20"), ("明远教育", "2026-11-23")]),
])
def test_days_pair_with_accounts(calls, text, user, expected):
    got = [(a, d) for a, d, _ in visits(calls(text, user=user, now=FRIDAY))]
    assert got == expected


@pytest.mark.parametrize("text, user", [
    ("today: coffee with Nancy from Northwind in the morning, then a call with Sam at Tailspin", 4),
    ("今天上午去了青松见孙工，后来又跟蓝海黄总通了个电话", 1),
    ("Busy morning. Met Jane at Fabrikam, then a Teams call with Bill from Initech", 4),
])
def test_an_undated_touch_takes_the_day_before_it(calls, text, user):
    got = visits(calls(text, user=user))
    assert len(got) == 2 and all(day == "2026-11-25" for _, day, _ in got), got


@pytest.mark.parametrize("text, user, asked_for", [
    ("今天去了蓝鲸见李总，下午跟天衡郑总电话。最后帮我列一下这周的提醒", 1, ("list_reminders", {"period": "this_week"})),
    ("上午拜访了云帆林总，聊续约。顺便看看有哪些报价等审批", 6, ("list_pending_approvals", {})),
    ("Met Hank at Globex today about the renewal. Also show me my reminders for next week", 4, ("list_reminders", {"period": "next_week"})),
])
def test_a_request_at_the_end_gets_its_own_call(calls, text, user, asked_for):
    got = calls(text, user=user)
    assert visits(got)
    name, args = asked_for
    (asked,) = [c for c in got if c["name"] == name]
    assert asked["args"] == args
    assert all("提醒" not in c["args"].get("summary", "") and "remind" not in c["args"].get("summary", "") for c in got)


@pytest.mark.parametrize("text, user", [
    ("Fabrikam: Jane emailed that the pilot went well. target close end of January", 4),
    ("今天拜访了海纳何总。下一步：看看能不能下周出方案", 6),
])
def test_a_last_remark_is_not_a_request(calls, text, user):
    assert all(c["name"] in ("log_visit", "update_opportunity", "create_reminder") for c in calls(text, user=user))


@pytest.mark.parametrize("text, user, expected_visits, reminder_account", [
    ("周报：周二去瑞丰见冯经理；周三电话跟进海纳何总的尾款；周四在云帆和林总过了续约条款；下周一提醒我给林总发续约合同", 6,
     [("瑞丰食品", "2026-11-24"), ("海纳零售", "2026-11-25"), ("云帆软件", "2026-11-26")], "云帆软件"),
    ("本周：周一去明远见吴老师；周三跟蓝海黄总视频，下周二再跟进数据治理方案", 2,
     [("明远教育", "2026-11-23"), ("蓝海数据", "2026-11-25")], "蓝海数据"),
    ("This week: Mon onsite with Jane at Fabrikam; Wed call with Sam at Tailspin, follow up next Tuesday on the pilot", 4,
     [("Fabrikam Manufacturing", "2026-11-23"), ("Tailspin Airlines", "2026-11-25")], "Tailspin Airlines"),
])
def test_a_follow_up_inside_a_report_stays_in_its_clause(calls, text, user, expected_visits, reminder_account):
    got = calls(text, user=user, now=FRIDAY)
    assert [(a, d) for a, d, _ in visits(got)] == expected_visits
    (reminder,) = [c for c in got if c["name"] == "create_reminder"]
    assert reminder["args"]["account"] == reminder_account


@pytest.mark.parametrize("text, user, name", [
    ("Met Ken at Contoso Bank about SSO; Zoom with Bill at Initech after lunch. Lastly, list my pending approvals", 4, "list_pending_approvals"),
    ("今天去华康见了马院长。最后，帮我列一下这周的待办", 2, "list_reminders"),
    ("Called Nancy at Northwind about the pilot. Finally: what's on my plate this week?", 4, "list_reminders"),
])
def test_a_request_after_a_comma_or_colon(calls, text, user, name):
    got = calls(text, user=user)
    assert visits(got) and [c["name"] for c in got].count(name) == 1
