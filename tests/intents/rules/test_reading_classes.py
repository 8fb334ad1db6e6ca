"""Classes of sentences read by what they say, not by a list of sentences: rivals named without a
stage change, stage cues in other words, a target date that is not a win, questions read by what
they ask about (an account, a period, data quality), a company name mistyped by one character;
deal names a clause is about, stages beside quote requests, delivery timelines, quote feedback,
notes to self and meetings arranged for a day ahead (reminders, not visits), yes/no questions
(they move nothing), customers renamed, follow-ups "then", customers asking us for something by a day.
Every sentence here is a paraphrase written for these tests (none is in an eval file)."""
import pytest


def _names(calls):
    return [c["name"] for c in calls]


@pytest.mark.parametrize("text, account, rival", [
    ("青松这单的对手是浪潮", "青松制药", "浪潮"),
    ("金桥那边同时在跟金蝶谈", "金桥物流", "金蝶"),
    ("海纳还在看帆软的方案", "海纳零售", "帆软"),
    ("明远教育跟东软在竞争这个项目", "明远教育", "东软"),
    ("Heads up: HubSpot is in the mix at Northwind", "Northwind Traders", "HubSpot"),
    ("Contoso Bank is also talking to Salesforce", "Contoso Bank", "Salesforce"),
    ("Fabrikam is also evaluating SAP for the plant", "Fabrikam Manufacturing", "SAP"),
    ("Tailspin: we're up against Oracle on this one", "Tailspin Airlines", "Oracle"),
])
def test_a_rival_named_is_news_about_the_deal(calls, text, account, rival):
    (update,) = [c for c in calls(text) if c["name"] == "update_opportunity"]
    assert update["args"]["account"] == account
    assert update["args"]["competitor"] == rival
    assert update["args"].get("stage") in (None, "evaluation")  # evaluating a rival may be the deal's stage too


@pytest.mark.parametrize("text", [
    "Acme call: HIPAA vs GDPR came up again",
    "北辰问了我们跟上一版比有什么不同",
    "compared the two rollout options with Globex",
])
def test_a_comparison_of_things_names_no_rival(calls, text):
    assert all("competitor" not in c["args"] for c in calls(text))


@pytest.mark.parametrize("text, account, stage", [
    ("瑞丰的订单已经下来了", "瑞丰食品", "won"),
    ("华康下单了，合同盖章回来了", "华康医疗", "won"),
    ("Globex placed the order this morning", "Globex Industries", "won"),
    ("Initech: the order came in", "Initech", "won"),
    ("Umbrella Health security review passed, moving on", "Umbrella Health", "negotiation"),
    ("InfoSec at Contoso Insurance approved us", "Contoso Insurance", "negotiation"),
    ("Northwind procurement is redlining the MSA", "Northwind Traders", "negotiation"),
    ("蓝海那边信息安全评审通过了", "蓝海数据", "negotiation"),
    ("天衡采购在改合同条款", "天衡能源", "negotiation"),
])
def test_stage_cues_in_other_words(calls, text, account, stage):
    (update,) = [c for c in calls(text) if c["name"] == "update_opportunity"]
    assert update["args"]["account"] == account and update["args"]["stage"] == stage


@pytest.mark.parametrize("text, account, close", [
    ("云帆目标月底签约", "云帆软件", "2026-11-30"),
    ("北辰力争下个月15号签", "北辰汽车", "2026-12-15"),
    ("海纳那单目标12月20号签合同", "海纳零售", "2026-12-20"),
])
def test_a_target_signing_date_is_a_close_date_not_a_win(calls, text, account, close):
    (update,) = [c for c in calls(text) if c["name"] == "update_opportunity"]
    assert update["args"]["account"] == account
    assert update["args"]["expected_close"] == close
    assert update["args"].get("stage") != "won"


@pytest.mark.parametrize("text, account", [
    ("青松最近有什么动静", "青松制药"),
    ("金桥现在是谁在负责", "金桥物流"),
    ("说说海纳零售的近况", "海纳零售"),
    ("anything happening with Contoso Bank lately?", "Contoso Bank"),
    ("who is covering Fabrikam these days", "Fabrikam Manufacturing"),
    ("fill me in on Umbrella Health", "Umbrella Health"),
])
def test_a_question_about_an_account_is_its_overview(calls, text, account):
    assert calls(text) == [{"name": "account_overview", "args": {"account": account}}]


@pytest.mark.parametrize("text, user, name, period", [
    ("这个季度一共成交了多少", 3, "pipeline_report", "this_quarter"),
    ("上个月团队的签约金额是多少", 3, "pipeline_report", "last_month"),
    ("今年我们组整体的赢单率", 3, "pipeline_report", "this_year"),
    ("how much did the team book last quarter", 5, "pipeline_report", "last_quarter"),
    ("how are we tracking this month", 5, "pipeline_report", "this_month"),
    ("what was our win rate last month", 5, "pipeline_report", "last_month"),
])
def test_a_question_about_a_period_is_a_report(calls, text, user, name, period):
    (call,) = calls(text, user=user)
    assert call["name"] == name and call["args"]["period"] == period


@pytest.mark.parametrize("text", [
    "我们的客户资料全不全",
    "帮我看看客户信息有哪些没填的",
    "团队的客户档案质量如何",
    "how clean is the account data",
    "are there gaps in our contact records",
    "check the CRM for incomplete records",
])
def test_a_question_about_data_quality_is_data_health(calls, text):
    assert _names(calls(text, user=3)) == ["data_health"]


@pytest.mark.parametrize("text, account", [
    ("今天见了天恒能源郑总，聊了储能监控", "天衡能源"),  # 恒 for 衡, and 郑总 is a contact of 天衡
    ("昨天去了瑞峰食品，见了冯经理", "瑞丰食品"),  # 峰 for 丰
    ("上午拜访了明源教育吴老师", "明远教育"),  # 源 for 远, 吴老师 of 明远
])
def test_a_company_mistyped_by_one_character_is_the_known_one(calls, text, account):
    (visit,) = [c for c in calls(text) if c["name"] == "log_visit"]
    assert visit["args"]["account"] == account


def test_a_new_lead_keeps_its_name_as_written(calls):
    (update,) = calls("新线索：天恒能源，郑总介绍的")
    assert update["args"]["account"] == "天恒能源"


@pytest.mark.parametrize("text, account, deal", [
    ("今天去了趟明远，吴老师说智慧排课二期定了，签了，九十万", "明远教育", "智慧排课二期"),
    ("跟海纳何总吃饭，会员积分系统三期进入评估了，预算两百万", "海纳零售", "会员积分系统三期"),
    ("明远吴老师说，明年的智慧排课二期要上，进入评估", "明远教育", "智慧排课二期"),
    ("云帆林总说客服中台升级选了金蝶，丢了", "云帆软件", "客服中台升级"),
    ("华康马院长说影像归档系统扩容进入谈判，金额一百二十万", "华康医疗", "影像归档系统扩容"),
])
def test_a_built_thing_a_clause_is_about_names_the_deal(calls, text, account, deal):
    (update,) = [c for c in calls(text) if c["name"] == "update_opportunity"]
    assert update["args"]["account"] == account and update["args"]["opportunity"] == deal


@pytest.mark.parametrize("text", [
    "海纳何总说系统很好用，打算下个月追加预算五十万",  # 系统 alone is no deal's name
    "金桥周总说平台的报表太慢，谈判还在继续",  # the platform's reports: a thing the clause is not about
])
def test_a_bare_kind_word_names_no_deal(calls, text):
    for call in calls(text):
        assert "opportunity" not in call["args"], call


@pytest.mark.parametrize("text, user, account", [
    ("昨天去华康见马院长 压了半天价 给我出个报价 一百万 九五折", 2, "华康医疗"),
    ("上午在海纳跟何总讲了一上午价，帮我提个报价，八十万，九折", 6, "海纳零售"),
    ("Call with Hank at Globex, we are in negotiation now, need a quote for $60k at 10 pct off", 4, "Globex Industries"),
])
def test_a_stage_named_beside_a_quote_request_is_a_deal_update_too(calls, text, user, account):
    found = {c["name"]: c["args"] for c in calls(text, user=user)}
    assert found["update_opportunity"] == {"account": account, "stage": "negotiation"}
    assert found["create_quote"]["account"] == account


@pytest.mark.parametrize("text", [
    "call with Hank at Globex, went over the Q2 implementation timeline",
    "Umbrella Health: zoom with Dr. Marcus on the onboarding timeline for next quarter",
    "met Ken at Contoso Bank, walked through the migration timeline",
])
def test_a_delivery_timeline_is_not_the_deals_close_nor_the_day_of_the_touch(calls, text):
    found = calls(text, user=4)
    assert [c["name"] for c in found] == ["log_visit"]
    assert "occurred_on" not in found[0]["args"]  # a quarter is a period talked about, not the day


@pytest.mark.parametrize("text, close", [
    ("Initech deal timeline slipped to Q2", "2027-06-30"),
    ("Globex timeline: signing in Q1", "2027-03-31"),
])
def test_the_deals_own_timeline_still_sets_its_close(calls, text, close):
    (update,) = [c for c in calls(text, user=4, now="2026-12-01T10:00") if c["name"] == "update_opportunity"]
    assert update["args"]["expected_close"] == close


@pytest.mark.parametrize("text, user, account", [
    ("今天去了金桥，周总对报价没意见，合同在走法务了，金额六十万", 2, "金桥物流"),
    ("华康马院长说报价他们认可了，进入谈判，一百二十万", 2, "华康医疗"),
    ("Met Hank at Globex, they're happy with the quote, contract review next, $60k", 4, "Globex Industries"),
])
def test_what_a_customer_thinks_of_a_quote_is_no_request_for_one(calls, text, user, account):
    found = calls(text, user=user)
    assert "create_quote" not in [c["name"] for c in found]
    (update,) = [c for c in found if c["name"] == "update_opportunity"]
    assert update["args"]["account"] == account


@pytest.mark.parametrize("text, user, account, amount, discount", [
    ("今天见了海纳何总，他们要三期的报价。帮我提：会员积分系统三期，九十万，九折", 6, "海纳零售", 900000, 10),
    ("金桥周总想要个正式报价。麻烦走一下：仓储调度升级，五十万，八五折", 2, "金桥物流", 500000, 15),
])
def test_raise_it_after_a_quote_was_named_is_the_quote_request(calls, text, user, account, amount, discount):
    (quote,) = [c for c in calls(text, user=user) if c["name"] == "create_quote"]
    assert quote["args"]["account"] == account
    assert quote["args"]["amount"] == amount and quote["args"]["discount_pct"] == discount


@pytest.mark.parametrize("text, user, account, channel", [
    ("今天跟瑞丰冯经理砍了一下午价", 2, "瑞丰食品", None),  # haggling with someone is a touch; how is not said
    ("上午在海纳跟何总讲了一上午价", 6, "海纳零售", "onsite"),  # at their place
    ("金桥周总电话里跟我磨了半天价", 2, "金桥物流", "phone"),
])
def test_haggling_with_a_contact_is_a_touch_and_a_negotiation(calls, text, user, account, channel):
    found = {c["name"]: c["args"] for c in calls(text, user=user)}
    assert found["log_visit"]["account"] == account and found["log_visit"].get("channel") == channel
    assert found["update_opportunity"]["stage"] == "negotiation"


def test_haggling_said_of_a_customer_with_no_one_named_is_no_touch(calls):
    assert [c["name"] for c in calls("金桥砍价太狠了", user=2)] == ["update_opportunity"]


@pytest.mark.parametrize("text, user, due, words, account", [
    ("海纳何总生日，记得周五发个祝福", 6, "2026-11-27T09:00", "发个祝福", "海纳零售"),
    ("别忘了下周一给蓝鲸李总打个电话", 1, "2026-11-30T09:00", "给蓝鲸李总打个电话", "蓝鲸数据"),
    ("dont forget to send Globex the deck on Friday", 4, "2026-11-27T09:00", "send Globex the deck", "Globex Industries"),
    ("need to call Ken at Contoso Bank tomorrow at 2", 4, "2026-11-26T14:00", "call Ken at Contoso Bank", "Contoso Bank"),
])
def test_a_note_to_self_about_a_day_ahead_is_a_reminder_not_a_visit(calls, text, user, due, words, account):
    found = calls(text, user=user)
    assert [c["name"] for c in found] == ["create_reminder"]  # a planned call is not logged as made
    assert found[0]["args"] == {"due_at": due, "text": words, "account": account}


def test_remembering_something_said_is_no_reminder(calls):
    assert calls("我记得李总上次说过预算有限") == []


def test_a_day_that_ends_the_visit_clause_stays_with_the_visit_not_the_follow_up(calls):
    found = {c["name"]: c["args"] for c in calls("met Ken at Contoso Bank today, will follow up on Friday", user=4)}
    assert found["log_visit"]["occurred_on"] == "2026-11-25"
    assert found["create_reminder"]["due_at"] == "2026-11-27T09:00"


@pytest.mark.parametrize("text, user, due, account", [
    ("约了明远吴老师周五下午三点见面", 6, "2026-11-27T15:00", "明远教育"),
    ("scheduled a call with Ken at Contoso Bank on Friday at 10", 4, "2026-11-27T10:00", "Contoso Bank"),
    ("booked a demo with Hank at Globex for next Tuesday 3pm", 4, "2026-12-01T15:00", "Globex Industries"),
])
def test_a_meeting_arranged_for_a_day_ahead_is_a_reminder_not_a_visit(calls, text, user, due, account):
    found = calls(text, user=user)
    assert "log_visit" not in [c["name"] for c in found]
    (reminder,) = [c for c in found if c["name"] == "create_reminder"]
    assert reminder["args"]["due_at"] == due and reminder["args"]["account"] == account


def test_a_meeting_arranged_before_and_held_today_is_a_visit(calls):
    (visit,) = calls("上周约了蓝鲸李总，今天终于见上了，聊了扩容")
    assert visit["name"] == "log_visit" and visit["args"]["occurred_on"] == "2026-11-25"


def test_a_person_after_the_account_is_not_part_of_a_deal_name(calls):
    for call in calls("下周三上午10点约了明远吴老师演示排课系统", user=6):
        assert "吴老师" not in call["args"].get("opportunity", "")


@pytest.mark.parametrize("text", ["蓝鲸李总说他们IT负责人换了，新来的叫陈静，负责技术评估",
                                  "青松的赵主任主管项目评估，今天加了微信"])
def test_a_role_is_not_a_stage(calls, text):
    assert all(c["args"].get("stage") is None for c in calls(text))


@pytest.mark.parametrize("text, discount", [
    ("Initech: Bill wants a 15% discount on the TPS suite, can you raise a quote at $90k", 15),
    ("Acme is asking for 10% off. Raise a quote for $200k please", 10),
])
def test_a_discount_asked_just_before_a_quote_request_is_the_quotes(calls, text, discount):
    (quote,) = [c for c in calls(text, user=4) if c["name"] == "create_quote"]
    assert quote["args"]["discount_pct"] == discount


@pytest.mark.parametrize("text, user, account, close", [
    ("金桥那边又拖了，周总说得等他们CFO回来，估计要到一月中", 2, "金桥物流", "2027-01-15"),
    ("蓝鲸的单子推迟了，李总出差，大概下个月底", 1, "蓝鲸数据", "2026-12-31"),
])
def test_an_estimate_after_a_slip_told_earlier_in_the_sentence_is_the_new_close(calls, text, user, account, close):
    (update,) = [c for c in calls(text, user=user) if c["name"] == "update_opportunity"]
    assert update["args"] == {"account": account, "expected_close": close}


def test_an_estimate_with_no_slip_is_no_close_date(calls):
    assert calls("金桥周总说估计要到一月中才能见面", user=2) == []


@pytest.mark.parametrize("text, user", [
    ("海纳的报价批了没有", 3), ("107号报价批了吗", 3), ("has the Acme quote been approved?", 5),
    ("did you approve 104 yet?", 5), ("金桥那个报价批了没", 2),
])
def test_asking_whether_a_quote_was_approved_decides_nothing(calls, text, user):
    names = [c["name"] for c in calls(text, user=user)]
    assert "approve_quote" not in names and "reject_quote" not in names
    assert names in ([], ["list_pending_approvals"])


@pytest.mark.parametrize("text, user, ids", [("107批了", 3, [107]), ("approve 104 and 105", 5, [104, 105]),
                                             ("103没问题，批吧", 3, [103])])
def test_a_decision_said_outright_is_still_one(calls, text, user, ids):
    assert [c["args"]["quote_id"] for c in calls(text, user=user) if c["name"] == "approve_quote"] == ids


@pytest.mark.parametrize("text, user, account, new_name", [
    ("蓝鲸数据改名叫蓝鲸科技了", 1, "蓝鲸数据", "蓝鲸科技"),
    ("青松的客户名称改成青松医药集团", 1, "青松制药", "青松医药集团"),
    ("Globex is now called Globex Energy", 4, "Globex Industries", "Globex Energy"),
    ("rename Acme to Acme Holdings", 4, "Acme Corporation", "Acme Holdings"),
])
def test_a_customer_renamed_is_an_account_rename(calls, text, user, account, new_name):
    assert calls(text, user=user) == [{"name": "rename_account", "args": {"account": account, "new_name": new_name}}]


@pytest.mark.parametrize("text, user", [
    ("把蓝鲸这个商机改名为蓝鲸数据中台", 1), ("rename the Acme deal to Fleet Analytics 2", 4),
    ("把蓝鲸的数据平台扩容改名为数据平台二期", 1),
])
def test_a_deal_renamed_stays_a_deal_rename(calls, text, user):
    assert [c["name"] for c in calls(text, user=user)] == ["rename_opportunity"]


@pytest.mark.parametrize("text, close", [
    ("Umbrella Health decision pushed to March", "2027-03-31"),
    ("visited Umbrella Health, Dr. Marcus introduced their new CIO, decision pushed to March", "2027-03-31"),
    ("Globex slipped until February", "2027-02-28"),
])
def test_a_month_a_deal_slipped_to_is_its_close(calls, text, close):
    (update,) = [c for c in calls(text, user=4) if c["name"] == "update_opportunity"]
    assert update["args"]["expected_close"] == close


def test_a_phone_number_is_not_a_phone_call(calls):
    for call in calls("瑞丰食品那边新加了一个联系人，采购部的钱经理，电话13800138000", user=2):
        assert call["args"].get("channel") != "phone"


def test_following_up_on_a_day_ahead_is_a_follow_up_about_the_account_talked_about(calls):
    text = ("Met with the Fabrikam procurement team this morning - Jane and two folks from IT. "
            "They liked the demo. Following up Monday with case studies.")
    (reminder,) = [c for c in calls(text, user=4) if c["name"] == "create_reminder"]
    assert reminder["args"]["due_at"] == "2026-11-30T09:00"
    assert reminder["args"]["account"] == "Fabrikam Manufacturing"


def test_a_reminder_of_ones_own_chores_after_a_visit_is_not_the_customers(calls):
    (reminder,) = [c for c in calls("今天拜访了蓝鲸李总。提醒我明天交周报") if c["name"] == "create_reminder"]
    assert "account" not in reminder["args"]


@pytest.mark.parametrize("text, user, due, account", [
    ("Acme: John out sick, meeting moved to next Thursday", 4, "2026-12-03T09:00", "Acme Corporation"),
    ("北辰许工的演示改到下周二下午了", 1, "2026-12-01T14:00", "北辰汽车"),
])
def test_a_meeting_moved_to_a_day_ahead_is_a_reminder_not_a_visit(calls, text, user, due, account):
    found = calls(text, user=user)
    assert "log_visit" not in [c["name"] for c in found]
    (reminder,) = [c for c in found if c["name"] == "create_reminder"]
    assert reminder["args"]["due_at"] == due and reminder["args"]["account"] == account


@pytest.mark.parametrize("text, user, account", [
    ("is Globex still evaluating?", 4, "Globex Industries"),
    ("did Acme sign yet?", 4, "Acme Corporation"),
    ("海纳那单是不是快签了", 6, "海纳零售"),
    ("北辰进入谈判了吗", 1, "北辰汽车"),
])
def test_a_yes_no_question_about_a_deal_moves_nothing_and_shows_the_account(calls, text, user, account):
    assert calls(text, user=user) == [{"name": "account_overview", "args": {"account": account}}]


@pytest.mark.parametrize("text, user, stage", [("北辰进入谈判了", 1, "negotiation"), ("Globex is still evaluating", 4, "evaluation")])
def test_the_same_words_told_not_asked_move_the_deal(calls, text, user, stage):
    (update,) = calls(text, user=user)
    assert update["name"] == "update_opportunity" and update["args"]["stage"] == stage


@pytest.mark.parametrize("text, user, due, account", [
    ("华康那边马院长出国了，一个月后回来，到时候再约", 2, "2026-12-25T09:00", "华康医疗"),
    ("马院长下周三回来，到时候跟进", 2, "2026-12-02T09:00", "华康医疗"),
    ("Ken at Contoso Bank is out until Monday, will follow up then", 4, "2026-11-30T09:00", "Contoso Bank"),
])
def test_a_follow_up_then_is_on_the_day_ahead_told_before_it(calls, text, user, due, account):
    assert [(c["args"]["due_at"], c["args"]["account"]) for c in calls(text, user=user)] == [(due, account)]


def test_a_follow_up_then_with_no_day_ahead_sets_nothing(calls):
    assert calls("马院长出国了，到时候再约", user=2) == []


@pytest.mark.parametrize("text, user, due, account", [
    ("云帆林总让我们月底前把合同初稿发过去", 6, "2026-11-30T09:00", "云帆软件"),
    ("李总让我们下周三之前给个报价方案", 1, "2026-12-02T09:00", "蓝鲸数据"),
    ("Ken asked us to send the security docs by Friday", 4, "2026-11-27T09:00", "Contoso Bank"),
])
def test_a_customer_asking_us_for_something_by_a_day_is_a_reminder(calls, text, user, due, account):
    assert [(c["name"], c["args"]["due_at"], c["args"]["account"]) for c in calls(text, user=user)] == \
        [("create_reminder", due, account)]


def test_a_customer_asking_with_no_day_sets_no_reminder(calls):
    assert calls("Acme wants us to present to the board", user=4) == []
