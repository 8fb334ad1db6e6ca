"""Visits and deal changes (intents/rules/activity.py, deals.py), through the engine."""
import pytest



def names(calls):
    return [c["name"] for c in calls]


def test_a_visit_in_chinese(calls):
    (visit,) = calls("今天上午去青松拜访了孙工，演示了新版报表。下一步：整理需求清单")[:1]
    assert visit == {"name": "log_visit", "args": {
        "account": "青松制药", "contacts": ["孙悦"], "occurred_on": "2026-11-25", "channel": "onsite",
        "summary": "今天上午去青松拜访了孙工，演示了新版报表", "next_step": "整理需求清单"}}


def test_a_visit_in_english_with_the_contact_by_first_name(calls):
    (visit,) = calls("met Ken at Contoso Bank's office last friday, walked through SSO", user=4)
    assert visit["args"] | {"summary": "-"} == {"account": "Contoso Bank", "contacts": ["Ken Myer"],
                                                "occurred_on": "2026-11-20", "channel": "onsite", "summary": "-"}


def test_a_contact_names_the_account(calls):
    (visit,) = calls("李总今天来电话说想加购两个模块")
    assert visit["args"]["account"] == "蓝鲸数据" and visit["args"]["channel"] == "phone"


def test_two_visits_share_the_header_clause(calls):
    out = calls("昨天拜访了两家：海纳何总，聊门店补货系统；云帆林总，介绍了新版本", user=6)
    assert [(c["args"]["account"], c["args"]["contacts"], c["args"]["occurred_on"], c["args"]["channel"]) for c in out] == [
        ("海纳零售", ["何伟"], "2026-11-24", "onsite"), ("云帆软件", ["林峰"], "2026-11-24", "onsite")]


def test_each_account_keeps_its_own_channel(calls):
    out = calls("today: onsite at Initech w/ Bill + Peter, then a Teams call w/ Nancy from Northwind", user=4)
    assert [(c["args"]["account"], c["args"]["channel"]) for c in out] == [("Initech", "onsite"), ("Northwind Traders", "video")]


def test_both_accounts_move_when_the_message_says_both(calls):
    out = calls("昨天分别见了天衡郑总和北辰邓总，两边都在走合同")
    assert sorted((c["name"], c["args"]["account"]) for c in out) == [
        ("log_visit", "北辰汽车"), ("log_visit", "天衡能源"), ("update_opportunity", "北辰汽车"), ("update_opportunity", "天衡能源")]


def test_visit_stage_and_reminder_in_the_order_stated(calls):
    out = calls("昨天下午上门拜访了北辰汽车，许工和邓总都在，产线质检方案他们认可了，开始走合同。提醒我下周一跟进法务的意见")
    assert names(out) == ["log_visit", "update_opportunity", "create_reminder"]
    assert out[1]["args"] == {"account": "北辰汽车", "opportunity": "产线质检", "stage": "negotiation"}
    assert out[2]["args"]["due_at"] == "2026-11-30T09:00"


def test_a_deal_update_with_amount_and_close_date(calls):
    (update,) = calls("金桥物流仓储调度升级到谈判阶段，金额涨到六十万，预计成交日期12月20号", user=2)
    assert update["args"] == {"account": "金桥物流", "opportunity": "仓储调度", "stage": "negotiation",
                              "amount": 600000, "currency": "CNY", "expected_close": "2026-12-20"}


def test_a_deal_named_by_part_of_its_name(calls):
    assert calls("蓝鲸扩容项目推迟到明年一季度了")[0]["args"] == {
        "account": "蓝鲸数据", "opportunity": "数据平台扩容", "expected_close": "2027-03-31"}
    assert calls("上门拜访青松，赵主任当面把GMP系统的合同签了")[1]["args"]["opportunity"] == "GMP 合规系统"


def test_a_deal_the_crm_does_not_list_is_named_as_written(calls):
    assert calls("Fabrikam MES upgrade is now in contract review, 1.2M EUR", user=4)[0]["args"]["opportunity"] == "MES upgrade"
    assert calls("明远教育签了！三十五万，智慧教务系统", user=6)[0]["args"]["opportunity"] == "智慧教务系统"


def test_a_loss_with_competitor_and_reason(calls):
    assert calls("天衡那单丢了，被华为拿走了，对方更看重品牌")[0]["args"] == {
        "account": "天衡能源", "stage": "lost", "competitor": "华为", "lost_reason": "对方更看重品牌"}
    lost = calls("lost Northwind, they went with Salesforce. budget was the main issue", user=4)[0]["args"]
    assert (lost["competitor"], lost["lost_reason"]) == ("Salesforce", "budget was the main issue")
    assert "competitor" not in calls("瑞丰冯经理发微信说他们老板最后选了别家，这单丢了", user=2)[1]["args"]


def test_a_competitor_while_evaluating(calls):
    assert calls("Globex is evaluating us vs Oracle, deal ~$500k", user=4)[0]["args"] == {
        "account": "Globex Industries", "stage": "evaluation", "amount": 500000, "currency": "USD", "competitor": "Oracle"}


def test_a_new_lead_is_kept_as_written(calls):
    out = calls("新客户：星河科技，做跨境电商的，今天电话初次接触，对方CTO对订单系统有兴趣", user=6)
    assert sorted(names(out)) == ["log_visit", "update_opportunity"]
    assert {c["args"]["account"] for c in out} == {"星河科技"}


def test_people_the_crm_does_not_know_are_contacts_as_written(calls):
    visit = calls("新客户远航船舶，今天第一次上门，见了采购部的钱总")[-1]
    assert visit["args"]["contacts"] == ["钱总"]


def test_reported_speech_alone_is_not_a_visit(calls):
    assert names(calls("天衡那边项目黄了，郑总说预算被砍")) == ["update_opportunity"]


def test_a_future_visit_is_a_plan(calls):
    (plan,) = calls("明天下午两点去拜访蓝鲸李总")
    assert plan["name"] == "create_reminder" and plan["args"]["due_at"] == "2026-11-26T14:00"


def test_a_time_of_day_alone_dates_a_visit_today(calls):
    assert calls("下午和北辰许工开了个会")[0]["args"]["occurred_on"] == "2026-11-25"


def test_future_words_do_not_close_a_deal(calls):
    (update,) = calls("海纳这单预计下周五签约", user=6)
    assert update["args"] == {"account": "海纳零售", "expected_close": "2026-12-04"}


def test_just_now_means_today(calls):
    (visit, _) = calls("刚从青松出来，孙工说测试环境下周能准备好")
    assert visit["args"]["occurred_on"] == "2026-11-25" and visit["args"]["channel"] == "onsite"


def test_an_unnamed_deal_and_a_competitor_after_le(calls):
    (update,) = calls("云帆这个项目输给了金蝶，客户觉得我们太贵", user=6)
    assert "opportunity" not in update["args"]
    assert update["args"]["competitor"] == "金蝶" and update["args"]["stage"] == "lost"


def test_a_budget_sizes_a_deal_that_moves(calls):
    (update,) = calls("金桥仓储调度推进到谈判阶段了，预算60万", user=2)
    assert update["args"]["amount"] == 600000 and update["args"]["stage"] == "negotiation"
    assert [c["name"] for c in calls("黄总电话里说预算只有30万", user=2)] == ["log_visit"]


def test_a_deal_named_by_what_is_built(calls):
    (update, _) = calls("明远的智慧教务系统签了，合同额38万，下周一提醒我安排实施启动会", user=6)
    assert update["args"]["opportunity"] == "智慧教务系统"


def test_a_message_reporting_a_later_visit_is_the_touch_not_a_plan(calls):
    (visit,) = calls("金桥周总微信说下礼拜一来我们公司参观", user=2)
    assert visit["name"] == "log_visit" and visit["args"]["channel"] == "message"
    assert "occurred_on" not in visit["args"]
    assert calls("明天去拜访蓝鲸李总")[0]["name"] == "create_reminder"


def test_a_new_logo_keeps_only_its_name(calls):
    (update,) = calls("new logo! Wayne Enterprises signed a 2-yr deal, $210k", user=4)
    assert update["args"] == {"account": "Wayne Enterprises", "stage": "won", "amount": 210000, "currency": "USD"}


def test_a_close_date_said_as_when_it_is_decided(calls):
    (update,) = calls("天衡储能监控二期的单子，金额上调到300万，下个月中旬定")
    assert update["args"]["expected_close"] == "2026-12-20" and update["args"]["opportunity"] == "储能监控二期"


def test_spaces_between_chinese_words_cut_clauses(calls):
    visit, update = calls("今天上午去青松 赵主任 孙工都在 GMP项目基本敲定了 下周签合同")
    assert visit["args"]["contacts"] == ["赵强", "孙悦"] and visit["args"]["channel"] == "onsite"
    assert update["args"]["stage"] == "negotiation"


def test_two_touches_with_one_account_on_two_days(calls):
    first, second, update = calls("上周三拜访了金桥周总，介绍了仓储调度新功能；昨天又跟他视频了一次，他们决定先试用", user=2)
    assert (first["args"]["occurred_on"], first["args"]["channel"]) == ("2026-11-18", "onsite")
    assert (second["args"]["occurred_on"], second["args"]["channel"], second["args"]["contacts"]) == ("2026-11-24", "video", ["周海"])
    assert update["args"]["stage"] == "evaluation"


def test_what_happened_to_the_customer_is_a_reason_not_a_rival(calls):
    (update,) = calls("金桥 这单 黄了 周总说公司被收购了 项目取消", user=2)
    assert "competitor" not in update["args"] and update["args"]["lost_reason"]


def test_a_deal_talked_about_after_the_contact(calls):
    _, update = calls("上午拜访了天衡郑总，聊了储能监控二期的预算，他说年底前能定。下一步：出正式报价", now="2026-12-01T14:00")
    assert update["args"] == {"account": "天衡能源", "opportunity": "储能监控二期", "expected_close": "2026-12-31"}


def test_a_close_date_in_the_clause_after_its_cue(calls):
    (update,) = calls("Tailspin deal slipped again - now end of Feb", user=4, now="2026-12-01T14:00")
    assert update["args"]["expected_close"] == "2027-02-28"


def test_just_confirmed_is_today(calls):
    visit, update = calls("Hank at Globex just confirmed by email: they're going with us! $520k", user=4)
    assert visit["args"]["occurred_on"] == "2026-11-25" and update["args"]["stage"] == "won"


def test_a_new_deal_of_a_known_account_is_not_a_new_account(calls):
    (update,) = calls("Northwind is back in play - new opp for their warehouse app, ~$80k", user=4)
    assert update["args"] == {"account": "Northwind Traders", "stage": "prospect", "amount": 80000, "currency": "USD"}


@pytest.mark.parametrize("text, user, occurred", [
    ("周二去海纳签了门店补货系统，九十万", 6, "2026-11-24"),
    ("昨天在北辰签完合同了，两百二十万", 1, "2026-11-24"),
    ("Monday: signed the Initech renewal onsite, $75k", 4, "2026-11-23"),
])
def test_the_day_a_deal_was_signed_is_not_a_close_date_ahead(calls, text, user, occurred):
    got = calls(text, user=user)
    (deal,) = [c for c in got if c["name"] == "update_opportunity"]
    assert deal["args"]["stage"] == "won" and "expected_close" not in deal["args"]
    visits = [c for c in got if c["name"] == "log_visit"]
    assert not visits or visits[0]["args"]["occurred_on"] == occurred


@pytest.mark.parametrize("text, user, account", [
    ("今天在云帆开了一上午会，林总也在", 6, "云帆软件"),
    ("昨天在明远跟吴老师对了排课需求", 2, "明远教育"),
    ("上午在天衡和郑总聊了储能二期", 1, "天衡能源"),
    ("sat down with Bill at Initech's office this morning", 4, "Initech"),
])
def test_meeting_at_the_customers_place_is_onsite(calls, text, user, account):
    (visit,) = [c for c in calls(text, user=user) if c["name"] == "log_visit"]
    assert visit["args"]["account"] == account and visit["args"]["channel"] == "onsite"


@pytest.mark.parametrize("text, user, contacts", [
    ("今天去北辰，邓总不在，许工接待的，聊了产线", 1, ["许涛"]),
    ("上午去了蓝鲸李总出差了陈经理陪我过了方案", 1, ["陈静"]),
    ("Went to Initech today - Bill was out, Peter walked me through the API issues", 4, ["Peter Gibbons"]),
])
def test_a_contact_who_was_not_there_is_not_in_the_visit(calls, text, user, contacts):
    (visit,) = [c for c in calls(text, user=user) if c["name"] == "log_visit"]
    assert visit["args"]["contacts"] == contacts
