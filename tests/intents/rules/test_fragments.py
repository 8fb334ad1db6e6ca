"""Notes typed as fragments with no verb, and voice-style text with no punctuation."""
import pytest


def by_name(got):
    out = {}
    for c in got:
        out.setdefault(c["name"], []).append(c["args"])
    return out


@pytest.mark.parametrize("text, user, name, expected", [
    ("跟进 后天 瑞丰 回款", 6, "create_reminder", {"due_at": "2026-11-27T09:00", "account": "瑞丰食品"}),
    ("再约 下周一 天衡 郑总", 1, "create_reminder", {"due_at": "2026-11-30T09:00", "account": "天衡能源"}),
    ("青松 GMP合规 评估中 120万", 1, "update_opportunity", {"account": "青松制药", "stage": "evaluation", "amount": 1200000}),
    ("明远 排课系统 签约 33万 拿下", 2, "update_opportunity", {"account": "明远教育", "stage": "won", "amount": 330000}),
    ("Initech TPS suite - negotiating - $88k", 4, "update_opportunity", {"account": "Initech", "stage": "negotiation", "amount": 88000}),
    ("f/u Contoso Bank tmrw 10am re SSO", 4, "create_reminder", {"due_at": "2026-11-26T10:00", "account": "Contoso Bank"}),
])
def test_fragments(calls, text, user, name, expected):
    got = by_name(calls(text, user=user))
    assert name in got, got
    assert {k: got[name][0].get(k) for k in expected} == expected


@pytest.mark.parametrize("text, user, expected", [
    ("今天下午去了趟华康马院长说预算批下来了金额八十万下周三提醒我发合同",
     2, {"log_visit": {"account": "华康医疗", "occurred_on": "2026-11-25"},
         "update_opportunity": {"amount": 800000},
         "create_reminder": {"due_at": "2026-12-02T09:00"}}),
    ("刚跟天衡郑总打完电话他们进入商务谈判了明天上午十点提醒我准备报价",
     1, {"log_visit": {"account": "天衡能源", "channel": "phone", "occurred_on": "2026-11-25"},
         "update_opportunity": {"stage": "negotiation"},
         "create_reminder": {"due_at": "2026-11-26T10:00"}}),
    ("met Bill at Initech this morning they want a pilot remind me friday at 2pm to send the pilot plan",
     4, {"log_visit": {"account": "Initech", "occurred_on": "2026-11-25"},
         "create_reminder": {"due_at": "2026-11-27T14:00"}}),
])
def test_voice_style_without_punctuation(calls, text, user, expected):
    got = by_name(calls(text, user=user))
    for name, args in expected.items():
        assert name in got, got
        assert {k: got[name][0].get(k) for k in args} == args
    assert "text" in got["create_reminder"][0]


@pytest.mark.parametrize("text, user, expected", [
    ("昨天上午去了海纳见何总下午又跟瑞丰冯经理视频了一个小时", 6,
     [("海纳零售", "2026-11-24", "onsite"), ("瑞丰食品", "2026-11-24", "video")]),
    ("前天在明远跟吴老师过了排课方案今天给蓝海黄总打了电话", 2,
     [("明远教育", "2026-11-23", "onsite"), ("蓝海数据", "2026-11-25", "phone")]),
    ("monday met Jane at Fabrikam yesterday a zoom with Mary from Acme", 4,
     [("Fabrikam Manufacturing", "2026-11-23", "onsite"), ("Acme Corporation", "2026-11-24", "video")]),
])
def test_dictated_run_of_touches_splits_by_day(calls, text, user, expected):
    got = [(c["args"]["account"], c["args"].get("occurred_on"), c["args"].get("channel"))
           for c in calls(text, user=user) if c["name"] == "log_visit"]
    assert got == expected


@pytest.mark.parametrize("text, user", [
    ("昨天去了蓝鲸见李总今天上午又跟李总通了电话", 1),
    ("今天下午三点在青松跟赵主任过了方案", 1),
    ("met Hank at Globex this morning, call with him again at 4pm", 4),
])
def test_one_account_is_not_split_into_two_accounts(calls, text, user):
    accounts = {c["args"]["account"] for c in calls(text, user=user) if c["name"] == "log_visit"}
    assert len(accounts) == 1
