import pytest


def reminder(calls, text, **kw):
    (call,) = calls(text, **kw)
    assert call["name"] == "create_reminder"
    return call["args"]


@pytest.mark.parametrize("text, user, now, due", [
    ("提醒我周五下午三点给天衡的郑总打电话", 1, "2026-11-25T10:00", "2026-11-27T15:00"),
    ("下周三上午十点半提醒我去海纳开会", 6, "2026-11-25T10:00", "2026-12-02T10:30"),
    ("12月15日中午提醒我约天衡郑总吃饭", 1, "2026-11-25T10:00", "2026-12-15T12:00"),
    ("1月10号提醒我跟蓝鲸确认采购计划", 1, "2026-11-25T10:00", "2027-01-10T09:00"),
    ("下周提醒我联系云帆林总", 6, "2026-11-25T10:00", "2026-11-30T09:00"),
    ("明天上午十点提醒我给蓝鲸李总打电话", 1, "2026-11-29T21:00", "2026-11-30T10:00"),
    ("后天提醒我给海纳何总发新年祝福", 6, "2026-12-30T18:00", "2027-01-01T09:00"),
    ("提醒我晚上8点给云帆林总回微信", 6, "2026-11-25T10:00", "2026-11-25T20:00"),
    ("提醒我：明天下午三点半跟天衡开电话会", 1, "2026-11-25T10:00", "2026-11-26T15:30"),
    ("remind me tmrw 9:30am to call Rachel at Contoso Insurance", 4, "2026-11-25T10:00", "2026-11-26T09:30"),
    ("remind me 5:15pm to update the Globex opp notes", 4, "2026-11-25T10:00", "2026-11-25T17:15"),
    ("remind me at 9 to call Ken", 4, "2026-11-25T10:00", "2026-11-26T09:00"),
    ("reminder for 8 tonight: review the Fabrikam RFP answers", 4, "2026-11-25T10:00", "2026-11-25T20:00"),
    ("set a reminder Dec 3 at 2pm to prep the Tailspin QBR", 4, "2026-11-25T10:00", "2026-12-03T14:00"),
    ("in 3 days remind me to ping Peter about the API keys", 4, "2026-11-25T10:00", "2026-11-28T09:00"),
    ("remind me next monday to send the Initech paperwork", 4, "2026-12-30T18:00", "2027-01-04T09:00"),
    ("next week remind我follow up海纳的PO", 6, "2026-11-25T10:00", "2026-11-30T09:00"),
])
def test_when(calls, text, user, now, due):
    assert reminder(calls, text, user=user, now=now)["due_at"] == due


@pytest.mark.parametrize("text, lead", [
    ("后天下午两点跟云帆林总开视频会，提前半小时提醒我", "2026-11-27T13:30"),
    ("remind me 15 minutes before my 3pm call with Hank tomorrow", "2026-11-26T14:45"),
])
def test_remind_so_long_before(calls, text, lead):
    assert reminder(calls, text, user=6)["due_at"] == lead


@pytest.mark.parametrize("text, words, account", [
    ("提醒我周五下午三点给天衡的郑总打电话", "给天衡的郑总打电话", "天衡能源"),
    ("下个月15号提醒我华康的续约", "华康的续约", "华康医疗"),
    ("remind me tmrw 9:30am to call Rachel at Contoso Insurance", "call Rachel at Contoso Insurance", "Contoso Insurance"),
    ("remind me next friday at noon: Umbrella security review docs", "Umbrella security review docs", "Umbrella Health"),
    ("周一早上9点半提醒我开周会", "开周会", None),
])
def test_what_and_about_whom(calls, text, words, account):
    args = reminder(calls, text, user=4 if text.isascii() else 1)
    assert args["text"] == words and args.get("account") == account


def test_no_time_at_all_is_a_missing_due_at(parse):
    result = parse("提醒我给蓝鲸打电话")
    (call,) = result.calls
    assert call.name == "create_reminder" and "due_at" not in call.args
    assert [(q.kind, q.arg, q.call_index) for q in result.questions] == [("missing", "due_at", 0)]
    assert result.confidence < 0.8


def test_a_pronoun_takes_the_account_named_before(calls):
    out = calls("上门拜访青松，赵主任把合同签了。明天上午十点提醒我给他们发开票信息")
    assert out[-1]["args"]["account"] == "青松制药"


def test_listing_reminders_is_not_creating_one(calls):
    assert calls("我的提醒", user=6) == [{"name": "list_reminders", "args": {}}]


@pytest.mark.parametrize("text, user, dues", [
    ("提醒我明天上午给青松发方案，下午三点给北辰邓总打电话", 1, ["2026-11-26T09:00", "2026-11-26T15:00"]),
    ("remind me friday 2pm to call Rachel, and monday morning to send Ken the SOW", 4,
     ["2026-11-27T14:00", "2026-11-30T09:00"]),
])
def test_one_request_several_reminders(calls, text, user, dues):
    out = calls(text, user=user)
    assert [c["name"] for c in out] == ["create_reminder"] * len(dues)
    assert [c["args"]["due_at"] for c in out] == dues and all(c["args"]["text"] for c in out)


def test_a_colon_after_the_trigger_is_one_reminder(calls):
    assert [c["args"]["due_at"] for c in calls("提醒我：明天下午三点半跟天衡开电话会")] == ["2026-11-26T15:30"]


def test_a_reminder_then_another_request(calls):
    out = calls("提醒我周五开团队例会 另外102批了", user=3)
    assert [c["name"] for c in out] == ["create_reminder", "approve_quote"]
    assert out[0]["args"]["text"] == "开团队例会" and out[1]["args"] == {"quote_id": 102}


def test_the_account_named_earlier_in_the_sentence(calls):
    (reminder,) = calls("明年1月中旬北辰要验收，提醒我1月10号准备验收材料", now="2026-12-30T18:00")
    assert reminder["args"]["account"] == "北辰汽车" and reminder["args"]["due_at"] == "2027-01-10T09:00"
