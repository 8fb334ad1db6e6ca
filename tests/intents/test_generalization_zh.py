"""Held-out Chinese sentences, one table per class of phrasing: quote numbers read out in Chinese
numerals and Traditional approval words, colloquial periods and team scope, handovers said the way
reps say them, briefings and two questions in one message, and account names typed with a
homophone. None of them is in an eval file.

The handover, briefing and two-question rows were written before the rules for those classes and
scored once before them (10 of 19 of those first rows right) and after; the `NEGATIVE` rows are
sentences the new rules must leave alone. Checked as in the eval: only the arguments given, free
text (X) only for being present, contacts as a set, calls as a multiset of names.
"""
from __future__ import annotations

import pytest

from intents.rules.money import find_quote_ids
from tests.intents.heldout import X, check, predict

WED = "2026-11-25T10:00"
REP, NANA, MANAGER, LIU = 1, 2, 3, 6

QUOTE_DECISIONS = [
    (WED, MANAGER, '一零三号报价可以，批了', [('approve_quote', dict(quote_id=103))]),
    (WED, MANAGER, '報價一零二號駁回，折扣給太多了', [('reject_quote', dict(quote_id=102, comment=X))]),
    (WED, MANAGER, '101號報價核可', [('approve_quote', dict(quote_id=101))]),
    (WED, MANAGER, '第一百零四号报价批了', [('approve_quote', dict(quote_id=104))]),
    (WED, MANAGER, '#101核准，#104驳回 折扣太高', [('approve_quote', dict(quote_id=101)), ('reject_quote', dict(quote_id=104, comment=X))]),
]

PERIODS_AND_SCOPE = [
    (WED, MANAGER, '今儿个都有哪些提醒', [('list_reminders', dict(period='today'))]),
    (WED, REP, '今儿要干点啥', [('list_reminders', dict(period='today'))]),
    (WED, MANAGER, '咱们组这个月的业绩怎么样', [('pipeline_report', dict(period='this_month', scope='team'))]),
    (WED, MANAGER, '我们部门今年签单前五的客户', [('top_accounts', dict(period='this_year', metric='won', limit=5, scope='team'))]),
    (WED, REP, '先列一下明天的待办，再看下我本月的pipeline', [('list_reminders', {}), ('pipeline_report', dict(period='this_month', scope='mine'))]),
    (WED, REP, '这周的提醒列一下，然后看看上个月的业绩', [('list_reminders', dict(period='this_week')), ('pipeline_report', dict(period='last_month'))]),
]

HANDOVERS = [
    (WED, REP, '我月底就调走了，手上客户都交给娜娜吧', [('reassign_accounts', dict(from_user='王磊', to_user='李娜'))]),
    (WED, MANAGER, '小王离职了，他名下的客户都归老刘', [('reassign_accounts', dict(from_user='王磊', to_user='刘洋'))]),
    (WED, LIU, '北辰以后让小王跟', [('reassign_accounts', dict(to_user='王磊', account='北辰汽车'))]),
    (WED, NANA, '老刘请假这两周，他的瑞丰我先接着', [('reassign_accounts', dict(from_user='刘洋', to_user='李娜', account='瑞丰食品'))]),
    (WED, MANAGER, '娜娜下个月走，蓝鲸给小王，金桥和青松给老刘',
     [('reassign_accounts', dict(from_user='李娜', to_user='王磊', account='蓝鲸数据')),
      ('reassign_accounts', dict(from_user='李娜', to_user='刘洋', account='金桥物流')),
      ('reassign_accounts', dict(from_user='李娜', to_user='刘洋', account='青松制药'))]),
    (WED, REP, '老刘休产假，他的海纳和天衡我来接',
     [('reassign_accounts', dict(from_user='刘洋', to_user='王磊', account='海纳零售')),
      ('reassign_accounts', dict(from_user='刘洋', to_user='王磊', account='天衡能源'))]),
]

BRIEFINGS = [
    (WED, NANA, '青松那边现在到哪一步了', [('account_overview', dict(account='青松制药'))]),
    (WED, REP, '帮我过一下明远的情况', [('account_overview', dict(account='明远教育'))]),
    (WED, LIU, '北辰的联系人和拜访记录给我看看', [('account_overview', dict(account='北辰汽车'))]),
    (WED, REP, '下午约了北辰邓总，帮我看下他们的资料', [('account_overview', dict(account='北辰汽车'))]),
    (WED, REP, '后天要去天衡，先帮我捋一下他们的情况', [('account_overview', dict(account='天衡能源'))]),
    (WED, NANA, '海纳最近咋样了？接下来怎么推比较好',
     [('account_overview', dict(account='海纳零售')), ('suggest_next_steps', dict(account='海纳零售', question=X))]),
    (WED, REP, '帮我看下北辰的情况，再出出主意怎么推进',
     [('account_overview', dict(account='北辰汽车')), ('suggest_next_steps', dict(account='北辰汽车', question=X))]),
    (WED, REP, '蓝鲸那边进展如何？有什么建议',
     [('account_overview', dict(account='蓝鲸数据')), ('suggest_next_steps', dict(account='蓝鲸数据', question=X))]),
]

HOMOPHONES = [
    (WED, REP, '今天去兰鲸见了李总', [('log_visit', dict(account='蓝鲸数据', contacts=['李明'], occurred_on='2026-11-25', channel='onsite', summary=X))]),
    (WED, REP, '下午去了趟金乔，见了周总', [('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-25', channel='onsite', summary=X))]),
    (WED, LIU, '云凡林总那边有啥新进展没', [('account_overview', dict(account='云帆软件'))]),
    (WED, REP, '明天要去天恒，先帮我过一下他们的情况', [('account_overview', dict(account='天衡能源'))]),
]

# what the new rules must not read: 我接的 is taking a call, 接着 is "then", 接李总 is picking him up
NEGATIVE = [
    (WED, REP, '刚才电话是我接的，金桥周总打来的', [('log_visit', dict(account='金桥物流', contacts=['周海'], channel='phone', summary=X))]),
    (WED, REP, '今天去蓝鲸见了李总，接着聊了报价', [('log_visit', dict(account='蓝鲸数据', contacts=['李明'], occurred_on='2026-11-25', summary=X))]),
    (WED, REP, '云南的天气不错', []),
    (WED, REP, '华康情况不太妙，怎么办', [('suggest_next_steps', dict(account='华康医疗', question=X))]),
]

STAGES_AND_CHANNELS = [
    (WED, REP, '上午跟北辰邓总电话，新能源车联网项目刚开始接触，预算两百万左右',
     [('log_visit', dict(account='北辰汽车', contacts=['邓丽'], channel='phone', summary=X)),
      ('update_opportunity', dict(account='北辰汽车', stage='prospect', amount=2000000, currency='CNY'))]),
    (WED, NANA, '今天在青松跟赵主任过了一遍合同条款，金额九十万',
     [('log_visit', dict(account='青松制药', contacts=['赵强'], occurred_on='2026-11-25', channel='onsite', summary=X)),
      ('update_opportunity', dict(account='青松制药', stage='negotiation', amount=900000, currency='CNY'))]),
    (WED, NANA, '金桥那单合同在走法务了，八十万', [('update_opportunity', dict(account='金桥物流', stage='negotiation', amount=800000, currency='CNY'))]),
    (WED, REP, '下午跟瑞丰冯经理电话砍了半天价，她说九折能签',
     [('log_visit', dict(account='瑞丰食品', contacts=['冯雪'], channel='phone', summary=X)),
      ('update_opportunity', dict(account='瑞丰食品', stage='negotiation'))]),
    (WED, REP, '昨天在华康那边聊了一上午 马院长说想先试用',
     [('log_visit', dict(account='华康医疗', contacts=['马骏'], occurred_on='2026-11-24', channel='onsite', summary=X)),
      ('update_opportunity', dict(account='华康医疗', stage='evaluation'))]),
    (WED, REP, '今天在天衡开了一下午会郑总说方案没问题了合同在走审批金额两百二十万',
     [('log_visit', dict(account='天衡能源', contacts=['郑凯'], occurred_on='2026-11-25', channel='onsite', summary=X)),
      ('update_opportunity', dict(account='天衡能源', stage='negotiation', amount=2200000, currency='CNY'))]),
]

CLASSES = {"quote_decisions": QUOTE_DECISIONS, "periods_and_scope": PERIODS_AND_SCOPE, "handovers": HANDOVERS,
           "briefings": BRIEFINGS, "homophones": HOMOPHONES, "stages_and_channels": STAGES_AND_CHANNELS,
           "negative": NEGATIVE}
CASES = [(name, case) for name, cases in CLASSES.items() for case in cases]
IDS = [f"{name}-{i:02d}" for i, (name, _) in enumerate(CASES)]


@pytest.fixture(scope="module")
def predictions(fixture_data) -> dict[str, list[dict]]:
    return predict(fixture_data, [case for _, case in CASES], "z")


# still wrong: the model gives the second question (上个月的业绩) too little weight beside a reminder listing
NOT_YET = {'这周的提醒列一下，然后看看上个月的业绩': "a report asked after a reminder listing is not read"}
PARAMS = [pytest.param(i, id=IDS[i], marks=[pytest.mark.xfail(reason=NOT_YET[case[2]], strict=True)] if case[2] in NOT_YET else [])
          for i, (_, case) in enumerate(CASES)]


@pytest.mark.parametrize("index", PARAMS)
def test_held_out_sentence(predictions, index):
    check(CASES[index][1], predictions[f"z{index:03d}"])


@pytest.mark.parametrize("text, ids", [
    ("一零四号报价同意", [104]),
    ("报价单一零二号驳回", [102]),
    ("第一百零三号报价", [103]),
    ("一千零一号报价", [1001]),
    ("q-101和三百号", [101]),  # 三百号 is not said to be a quote
])
def test_quote_numbers_in_chinese_numerals(text, ids):
    assert [value for _, _, value in find_quote_ids(text, bare=False)] == ids
