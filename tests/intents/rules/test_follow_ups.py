"""跟进 / 再约 / follow up / circle back with a day ahead: a reminder for that day naming the
account of its sentence, and the next step of the visit it follows."""
import pytest


def only(calls, name, text, **kw):
    got = [c for c in calls(text, **kw) if c["name"] == name]
    assert len(got) == 1, calls(text, **kw)
    return got[0]["args"]


@pytest.mark.parametrize("text, user, due, account", [
    ("周四跟进一下天衡的投标", 1, "2026-11-26T09:00", "天衡能源"),
    ("下下周一再约明远吴老师", 2, "2026-12-07T09:00", "明远教育"),
    ("月底前回访一下瑞丰", 6, "2026-11-30T09:00", "瑞丰食品"),
    ("明天下午三点跟进北辰的合同", 1, "2026-11-26T15:00", "北辰汽车"),
    ("follow up with Peter at Initech on Friday", 4, "2026-11-27T09:00", "Initech"),
    ("circle back w/ Fabrikam next Tuesday re the retrofit", 4, "2026-12-01T09:00", "Fabrikam Manufacturing"),
    ("touch base with Nancy tomorrow at 4pm", 4, "2026-11-26T16:00", "Northwind Traders"),
])
def test_a_follow_up_with_a_day_is_a_reminder(calls, text, user, due, account):
    args = only(calls, "create_reminder", text, user=user)
    assert args["due_at"] == due and args["account"] == account and args["text"]


@pytest.mark.parametrize("text, user, account", [
    ("今天去青松见了赵主任，聊了验收标准，下周一跟进", 1, "青松制药"),
    ("昨天和海纳何总电话沟通了价格，周五再约", 6, "海纳零售"),
    ("met Mary at Acme this morning to review the rollout, follow up next Wednesday", 4, "Acme Corporation"),
])
def test_after_a_visit_the_follow_up_is_its_next_step_and_a_reminder(calls, text, user, account):
    visit = only(calls, "log_visit", text, user=user)
    reminder = only(calls, "create_reminder", text, user=user)
    assert visit["account"] == reminder["account"] == account
    assert visit["next_step"]


@pytest.mark.parametrize("text, user", [
    ("这周还有哪些要跟进的？", 1),
    ("蓝海那边该怎么跟进比较好", 2),
    ("上周团队跟进了多少客户", 3),
    ("昨天跟进了北辰邓总，聊了框架协议", 1),
    ("who should follow up with Globex?", 5),
    ("I followed up with Hank yesterday about the renewal", 4),
])
def test_questions_and_done_follow_ups_are_not_reminders(calls, text, user):
    assert all(c["name"] != "create_reminder" for c in calls(text, user=user))


def test_a_follow_up_inside_a_reminder_is_one_reminder(calls):
    (call,) = calls("提醒我周五跟进金桥的回款")
    assert call["name"] == "create_reminder" and call["args"]["due_at"] == "2026-11-27T09:00"
