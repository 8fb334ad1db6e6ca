"""Held-out sentences for the value readers and sentence structure: Traditional Chinese, English
clock and calendar words, times counted from another time, follow-ups that are reminders, sales
shorthand and verbless fragments, and day or week reports naming several accounts and days.

Written before the rules for these classes and scored once before them (14 of 42 right) and once
after (39 of 42); never used to tune a rule. Two of the three then wrong (a pilot as the topic of a call) are
right since stage cues skip a topic; the one still wrong is marked below. Each case is (now, user, text, expected
calls), checked as in the eval: only the arguments given, free text (X) only for being present,
contacts as a set, the calls as a multiset of names.
"""
from __future__ import annotations

import pytest

from tests.intents.heldout import X, check, predict

WED = "2026-11-25T10:00"
FRI_EVENING = "2026-11-27T18:00"

TRADITIONAL = [
    (WED, 1, '昨天去金橋拜訪周總，聊了倉儲系統的升級', [('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-24', channel='onsite', summary=X))]),
    (WED, 1, '下週一上午十點提醒我給明遠吳老師發資料', [('create_reminder', dict(due_at='2026-11-30T10:00', text=X, account='明远教育'))]),
    (WED, 1, '瑞豐這單談下來了，簽了六十萬', [('update_opportunity', dict(account='瑞丰食品', stage='won', amount=600000, currency='CNY'))]),
    (WED, 1, '幫我給天衡出個報價，一百二十萬，打八五折', [('create_quote', dict(account='天衡能源', amount=1200000, currency='CNY', discount_pct=15))]),
    (WED, 3, '103號報價批准', [('approve_quote', dict(quote_id=103))]),
    (WED, 2, '後天下午提醒我跟青松趙主任確認驗收時間', [('create_reminder', dict(due_at='2026-11-27T14:00', text=X, account='青松制药'))]),
    (WED, 2, '剛跟華康馬院長通了電話，他們想下個月再談預算', [('log_visit', dict(account='华康医疗', contacts=['马骏'], occurred_on='2026-11-25', channel='phone', summary=X))]),
]

CLOCK_AND_CALENDAR = [
    (WED, 4, 'remind me Thursday at half past two to call Ken', [('create_reminder', dict(due_at='2026-11-26T14:30', text=X, account='Contoso Bank'))]),
    (WED, 4, 'remind me tomorrow at a quarter past nine to send Nancy the deck', [('create_reminder', dict(due_at='2026-11-26T09:15', text=X, account='Northwind Traders'))]),
    (WED, 4, 'remind me friday at quarter to four to chase the Globex PO', [('create_reminder', dict(due_at='2026-11-27T15:45', text=X, account='Globex Industries'))]),
    (WED, 4, 'remind me at noon tomorrow to prep for the Acme lunch', [('create_reminder', dict(due_at='2026-11-26T12:00', text=X, account='Acme Corporation'))]),
    (WED, 4, 'remind me on the 3rd of December to renew the Initech NDA', [('create_reminder', dict(due_at='2026-12-03T09:00', text=X, account='Initech'))]),
    (WED, 4, 'remind me Mon, Dec 7 to send Tailspin the renewal terms', [('create_reminder', dict(due_at='2026-12-07T09:00', text=X, account='Tailspin Airlines'))]),
    (WED, 4, 'remind me this Thursday to prep the Umbrella review', [('create_reminder', dict(due_at='2026-11-26T09:00', text=X, account='Umbrella Health'))]),
    (WED, 1, '2027年3月2日提醒我跟蓝鲸续签合同', [('create_reminder', dict(due_at='2027-03-02T09:00', text=X, account='蓝鲸数据'))]),
    (WED, 4, 'remind me on 2/15/2027 to check the Fabrikam renewal', [('create_reminder', dict(due_at='2027-02-15T09:00', text=X, account='Fabrikam Manufacturing'))]),
    (WED, 4, 'remind me April 2nd to review the Acme contract', [('create_reminder', dict(due_at='2027-04-02T09:00', text=X, account='Acme Corporation'))]),
    (WED, 4, 'Had a call with Sam at Tailspin on Nov 20, they need our proposal by Dec 4',
     [('log_visit', dict(account='Tailspin Airlines', contacts=['Sam Lee'], occurred_on='2026-11-20', channel='phone', summary=X))]),
]

RELATIVE_TIMES = [
    (WED, 1, '明天下午三点跟海纳何总开会，提前半小时提醒我', [('create_reminder', dict(due_at='2026-11-26T14:30', text=X, account='海纳零售'))]),
    (WED, 2, '周四上午九点去北辰做演示，提前一小时提醒我', [('create_reminder', dict(due_at='2026-11-26T08:00', text=X, account='北辰汽车'))]),
    (WED, 4, 'Globex review call Friday 3pm, remind me an hour before', [('create_reminder', dict(due_at='2026-11-27T14:00', text=X, account='Globex Industries'))]),
    (WED, 4, 'demo with Initech next Tuesday at 10am; remind me 30 minutes ahead', [('create_reminder', dict(due_at='2026-12-01T09:30', text=X, account='Initech'))]),
    (WED, 1, '下周一下午两点青松验收会，提前一天提醒我', [('create_reminder', dict(due_at='2026-11-29T14:00', text=X, account='青松制药'))]),
]

FOLLOW_UPS = [
    (WED, 1, '今天拜访了金桥周总，聊了仓储扩容，下周二跟进',
     [('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-25', channel='onsite', summary=X, next_step=X)),
      ('create_reminder', dict(due_at='2026-12-01T09:00', text=X, account='金桥物流'))]),
    (WED, 4, 'called Nancy at Northwind today about the pilot, follow up on Monday',
     [('log_visit', dict(account='Northwind Traders', contacts=['Nancy Davolio'], occurred_on='2026-11-25', channel='phone', summary=X, next_step=X)),
      ('create_reminder', dict(due_at='2026-11-30T09:00', text=X, account='Northwind Traders'))]),
    (WED, 2, '周五再约华康马院长', [('create_reminder', dict(due_at='2026-11-27T09:00', text=X, account='华康医疗'))]),
    (WED, 4, 'circle back with Rachel at Contoso Insurance next Thursday', [('create_reminder', dict(due_at='2026-12-03T09:00', text=X, account='Contoso Insurance'))]),
    (WED, 6, '明天跟进一下瑞丰的合同', [('create_reminder', dict(due_at='2026-11-26T09:00', text=X, account='瑞丰食品'))]),
]

SHORTHAND_AND_FRAGMENTS = [
    (WED, 4, 'mtg w/ Ken @ Contoso Bank tmrw 2pm re: SSO, pls remind me', [('create_reminder', dict(due_at='2026-11-26T14:00', text=X, account='Contoso Bank'))]),
    (WED, 4, 'ph call w/ Jane (Fabrikam) 2day re pricing', [('log_visit', dict(account='Fabrikam Manufacturing', contacts=['Jane Roe'], occurred_on='2026-11-25', channel='phone', summary=X))]),
    (WED, 4, 'vid call w/ Mary from Acme yday, walked thru the rollout plan', [('log_visit', dict(account='Acme Corporation', contacts=['Mary Lee'], occurred_on='2026-11-24', channel='video', summary=X))]),
    (WED, 4, 'remind me EOD tmrw to send Hank the SOW', [('create_reminder', dict(due_at='2026-11-26T17:00', text=X, account='Globex Industries'))]),
    (WED, 1, '跟进 后天 明远 合同', [('create_reminder', dict(due_at='2026-11-27T09:00', text=X, account='明远教育'))]),
    (WED, 1, '海纳 门店补货 谈判中 85万', [('update_opportunity', dict(account='海纳零售', opportunity=X, stage='negotiation', amount=850000, currency='CNY'))]),
    (WED, 1, '今天上午去了趟瑞丰冯经理说二期要做了金额六十万下周三提醒我发方案',
     [('log_visit', dict(account='瑞丰食品', contacts=['冯雪'], occurred_on='2026-11-25', channel='onsite', summary=X)),
      ('update_opportunity', dict(account='瑞丰食品', amount=600000, currency='CNY')),
      ('create_reminder', dict(due_at='2026-12-02T09:00', text=X))]),
    (WED, 4, 'acct review w/ Bill @ Initech thru Teams this am', [('log_visit', dict(account='Initech', contacts=['Bill Lumbergh'], occurred_on='2026-11-25', channel='video', summary=X))]),
    (WED, 1, '下周三再跟进一下天衡', [('create_reminder', dict(due_at='2026-12-02T09:00', text=X, account='天衡能源'))]),
]

REPORTS = [
    (WED, 1, '本周小结：周一去蓝鲸见了李总，聊扩容方案；周二跟金桥周总电话，确认了上线时间；今天去明远拜访了吴老师',
     [('log_visit', dict(account='蓝鲸数据', contacts=['李明'], occurred_on='2026-11-23', channel='onsite', summary=X)),
      ('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-24', channel='phone', summary=X)),
      ('log_visit', dict(account='明远教育', contacts=['吴芳'], occurred_on='2026-11-25', channel='onsite', summary=X))]),
    (FRI_EVENING, 4, 'week recap: Mon onsite at Globex w/ Hank; Tue call with Nancy from Northwind about the pilot; Thu email from Sam at Tailspin re: pricing',
     [('log_visit', dict(account='Globex Industries', contacts=['Hank Scorpio'], occurred_on='2026-11-23', channel='onsite', summary=X)),
      ('log_visit', dict(account='Northwind Traders', contacts=['Nancy Davolio'], occurred_on='2026-11-24', channel='phone', summary=X)),
      ('log_visit', dict(account='Tailspin Airlines', contacts=['Sam Lee'], occurred_on='2026-11-26', channel='email', summary=X))]),
    (WED, 2, '今天跑了三家：上午去华康见马院长；下午和天衡郑总视频；晚上跟海纳何总吃了个饭。最后帮我列一下这周的提醒',
     [('log_visit', dict(account='华康医疗', contacts=['马骏'], occurred_on='2026-11-25', channel='onsite', summary=X)),
      ('log_visit', dict(account='天衡能源', contacts=['郑凯'], occurred_on='2026-11-25', channel='video', summary=X)),
      ('log_visit', dict(account='海纳零售', contacts=['何伟'], occurred_on='2026-11-25', summary=X)),
      ('list_reminders', dict(period='this_week'))]),
    (FRI_EVENING, 1, '周一电话联系了北辰邓总；周三去青松见了孙工，聊验收；周五在金桥跟周总过合同，进入谈判',
     [('log_visit', dict(account='北辰汽车', contacts=['邓丽'], occurred_on='2026-11-23', channel='phone', summary=X)),
      ('log_visit', dict(account='青松制药', contacts=['孙悦'], occurred_on='2026-11-25', channel='onsite', summary=X)),
      ('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-27', summary=X)),
      ('update_opportunity', dict(account='金桥物流', stage='negotiation'))]),
    (WED, 4, 'quick day summary: met Bill at Initech in the morning, then a Zoom with Mary from Acme. also remind me tomorrow at 10 to send Bill the quote',
     [('log_visit', dict(account='Initech', contacts=['Bill Lumbergh'], occurred_on='2026-11-25', channel='onsite', summary=X)),
      ('log_visit', dict(account='Acme Corporation', contacts=['Mary Lee'], occurred_on='2026-11-25', channel='video', summary=X)),
      ('create_reminder', dict(due_at='2026-11-26T10:00', text=X, account='Initech'))]),
]

CLASSES = {"traditional": TRADITIONAL, "clock_and_calendar": CLOCK_AND_CALENDAR, "relative_times": RELATIVE_TIMES,
           "follow_ups": FOLLOW_UPS, "shorthand_and_fragments": SHORTHAND_AND_FRAGMENTS, "reports": REPORTS}
CASES = [(name, case) for name, cases in CLASSES.items() for case in cases]
IDS = [f"{name}-{i:02d}" for i, (name, _) in enumerate(CASES)]
# still wrong, for a reason outside these classes: deal names
NOT_YET = {
    "海纳 门店补货 谈判中 85万": "a deal name in a verbless fragment is not read",
}
PARAMS = [pytest.param(i, id=IDS[i], marks=[pytest.mark.xfail(reason=NOT_YET[case[2]], strict=True)] if case[2] in NOT_YET else [])
          for i, (_, case) in enumerate(CASES)]


@pytest.fixture(scope="module")
def predictions(fixture_data) -> dict[str, list[dict]]:
    return predict(fixture_data, [case for _, case in CASES], "v")


@pytest.mark.parametrize("index", PARAMS)
def test_held_out_sentence(predictions, index):
    check(CASES[index][1], predictions[f"v{index:03d}"])
