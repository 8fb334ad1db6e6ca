"""A reminder timed against another time of the same message: 提前一小时, an hour before, the day before."""
import pytest


@pytest.mark.parametrize("text, user, due, account", [
    ("周四下午两点蓝海评审会，提前一小时提醒我", 2, "2026-11-26T13:00", "蓝海数据"),
    ("明早九点半去天衡做汇报，提前四十分钟提醒我", 1, "2026-11-26T08:50", "天衡能源"),
    ("下周二上午十点跟华康开验收会，提前一天提醒我", 2, "2026-11-30T10:00", "华康医疗"),
    ("后天晚上七点和瑞丰冯经理吃饭 提前两个小时提醒我", 6, "2026-11-27T17:00", "瑞丰食品"),
    ("Tailspin QBR on Friday at 2pm - remind me 45 minutes before", 4, "2026-11-27T13:15", "Tailspin Airlines"),
    ("call with Hank tomorrow at half past three, remind me an hour ahead", 4, "2026-11-26T14:30", "Globex Industries"),
    ("Umbrella onsite next Monday 10am; remind me a day before", 4, "2026-11-29T10:00", "Umbrella Health"),
])
def test_lead_time_counts_from_the_event(calls, text, user, due, account):
    (call,) = calls(text, user=user)
    assert call["name"] == "create_reminder"
    assert call["args"]["due_at"] == due and call["args"].get("account") == account


@pytest.mark.parametrize("text, user, due", [
    ("今天上午去北辰见了许工，周五下午三点还要开评审会，提前半小时提醒我", 1, "2026-11-27T14:30"),
    ("met Jane at Fabrikam this morning; steering committee Thursday 11am, remind me 15 minutes before", 4, "2026-11-26T10:45"),
    ("上午在金桥见了周总聊完了下周一下午两点签约提前一小时提醒我", 1, "2026-11-30T13:00"),
])
def test_after_a_report_the_lead_time_counts_from_the_later_event(calls, text, user, due):
    got = calls(text, user=user)
    assert [c["name"] for c in got].count("log_visit") == 1, got
    (reminder,) = [c for c in got if c["name"] == "create_reminder"]
    assert reminder["args"]["due_at"] == due
