"""More sentences the rules engine was not written against: other ways of saying dates (下下周二,
12.15, next week tuesday, this coming Monday, a fortnight, a part of day alone), changes of size
that are not sizes (涨了20万), discounts in points (优惠10个点), currencies beyond CNY/USD/EUR, quote
numbers written every way, managers deciding several quotes by customer, handovers said from the
receiver's side (让娜娜接手…, 由老刘负责), misspelt English names, English aliases in Chinese
sentences, questions about the bot itself.

Each case is (now, user, text, expected calls), checked as in the eval: only the arguments given,
free text (X) only for being present, contacts as a set, the calls as a multiset of names.
"""
from __future__ import annotations

from collections import Counter

import pytest

from intents.batch import parse_batch

X = ...  # free text: present and not empty

CASES = [
    ('2026-11-28T15:00', 1, '下下周二上午提醒我去青松做验收', [('create_reminder', dict(due_at='2026-12-08T09:00', text=X, account='青松制药'))]),
    ('2026-11-25T10:00', 2, '大后天下午提醒我给瑞丰冯经理寄样品', [('create_reminder', dict(due_at='2026-11-28T14:00', text=X, account='瑞丰食品'))]),
    ('2026-11-25T10:00', 6, '礼拜四下午三点提醒我约云帆林总', [('create_reminder', dict(due_at='2026-11-26T15:00', text=X, account='云帆软件'))]),
    ('2026-11-29T21:00', 4, 'remind me next week tuesday at 10am to send Hank the revised SOW', [('create_reminder', dict(due_at='2026-12-01T10:00', text=X))]),
    ('2026-11-25T10:00', 4, 'remind me thurs 4pm to call Rachel re: the renewal', [('create_reminder', dict(due_at='2026-11-26T16:00', text=X))]),
    ('2026-11-25T10:00', 4, 'remind me this coming Monday to chase the Fabrikam PO', [('create_reminder', dict(due_at='2026-11-30T09:00', text=X, account='Fabrikam Manufacturing'))]),
    ('2026-11-25T10:00', 4, 'remind me in a fortnight to check in with Tailspin', [('create_reminder', dict(due_at='2026-12-09T09:00', text=X, account='Tailspin Airlines'))]),
    ('2026-11-25T10:00', 1, '明早提醒我给天衡郑总发方案', [('create_reminder', dict(due_at='2026-11-26T09:00', text=X, account='天衡能源'))]),
    ('2026-11-25T10:00', 2, '今晚提醒我整理华康的投标材料', [('create_reminder', dict(due_at='2026-11-25T20:00', text=X, account='华康医疗'))]),
    ('2026-11-25T10:00', 4, 'remind me this afternoon to send Initech the invoice', [('create_reminder', dict(due_at='2026-11-25T14:00', text=X, account='Initech'))]),
    ('2026-12-31T17:00', 1, '提醒我下周一上午去北辰拜年', [('create_reminder', dict(due_at='2027-01-04T09:00', text=X, account='北辰汽车'))]),
    ('2026-11-25T10:00', 1, '12.15提醒我跟蓝鲸续签维保合同', [('create_reminder', dict(due_at='2026-12-15T09:00', text=X, account='蓝鲸数据'))]),
    ('2026-11-25T10:00', 6, '海纳的单子预计12/20签', [('update_opportunity', dict(account='海纳零售', expected_close='2026-12-20'))]),
    ('2026-11-25T10:00', 4, 'Globex close date pushed to end of Q1', [('update_opportunity', dict(account='Globex Industries', expected_close='2027-03-31'))]),
    ('2026-11-25T10:00', 1, '北辰产线质检金额涨了20万', [('update_opportunity', dict(account='北辰汽车', opportunity=X))]),
    ('2026-11-25T10:00', 4, 'Acme fleet analytics bumped by 20k, now $270k total', [('update_opportunity', dict(account='Acme Corporation', opportunity=X, amount=270000, currency='USD'))]),
    ('2026-11-25T10:00', 2, '给金桥报个价，60万，让利5%', [('create_quote', dict(account='金桥物流', amount=600000, currency='CNY', discount_pct=5))]),
    ('2026-11-25T10:00', 6, '明远报价40万，优惠10个点，备注：含培训', [('create_quote', dict(account='明远教育', amount=400000, currency='CNY', discount_pct=10, note=X))]),
    ('2026-11-25T10:00', 1, '天衡要个报价，150万，最多打个八折', [('create_quote', dict(account='天衡能源', amount=1500000, currency='CNY', discount_pct=20))]),
    ('2026-11-25T10:00', 4, 'quote for Tailspin: HKD 800,000, 10% off', [('create_quote', dict(account='Tailspin Airlines', amount=800000, currency='HKD', discount_pct=10))]),
    ('2026-11-25T10:00', 4, 'need a quote for Fabrikam, £60k, 5% discount, spare parts module', [('create_quote', dict(account='Fabrikam Manufacturing', amount=60000, currency='GBP', discount_pct=5, product=X))]),
    ('2026-11-25T10:00', 4, 'Tailspin wants a quote in SGD: 250,000 SGD, 12% off', [('create_quote', dict(account='Tailspin Airlines', amount=250000, currency='SGD', discount_pct=12))]),
    ('2026-11-25T10:00', 1, '北辰日本工厂报价：1200万日元，九折', [('create_quote', dict(account='北辰汽车', amount=12000000, currency='JPY', discount_pct=10))]),
    ('2026-11-25T10:00', 5, 'approve Q101', [('approve_quote', dict(quote_id=101))]),
    ('2026-11-25T10:00', 5, 'q-103 is rejected, too much discount', [('reject_quote', dict(quote_id=103, comment=X))]),
    ('2026-11-25T10:00', 3, '第104号报价通过', [('approve_quote', dict(quote_id=104))]),
    ('2026-11-25T10:00', 5, 'quote no. 101 approved', [('approve_quote', dict(quote_id=101))]),
    ('2026-11-25T10:00', 3, '蓝鲸的批了，青松的驳回', [('approve_quote', dict(account='蓝鲸数据')), ('reject_quote', dict(account='青松制药'))]),
    ('2026-11-25T10:00', 5, 'approve the Acme quote and reject the Initech one, discount too deep', [('approve_quote', dict(account='Acme Corporation')), ('reject_quote', dict(account='Initech', comment=X))]),
    ('2026-11-25T10:00', 3, '青松、蓝鲸两家的报价都同意', [('approve_quote', dict(account='青松制药')), ('approve_quote', dict(account='蓝鲸数据'))]),
    ('2026-11-25T10:00', 3, '让娜娜接手小王的天衡能源', [('reassign_accounts', dict(from_user='王磊', to_user='李娜', account='天衡能源'))]),
    ('2026-11-25T10:00', 5, 'hand Northwind and Initech over to Bob, Alice is out on leave', [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith', account='Northwind Traders')), ('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith', account='Initech'))]),
    ('2026-11-25T10:00', 3, '以后蓝海数据由老刘负责', [('reassign_accounts', dict(from_user='李娜', to_user='刘洋', account='蓝海数据'))]),
    ('2026-11-25T10:00', 5, 'top five accounts by activity for the team this month', [('top_accounts', dict(period='this_month', metric='activity', limit=5, scope='team'))]),
    ('2026-11-25T10:00', 3, '我们组上季度赢单最多的前8个客户', [('top_accounts', dict(period='last_quarter', metric='won', limit=8, scope='team'))]),
    ('2026-11-25T10:00', 4, 'my best 3 accounts by open pipeline', [('top_accounts', dict(metric='pipeline', limit=3, scope='mine'))]),
    ('2026-11-25T10:00', 5, "how's the team's funnel looking last week?", [('pipeline_report', dict(period='last_week', scope='team'))]),
    ('2026-11-25T10:00', 2, '这周我的提醒有哪些', [('list_reminders', dict(period='this_week'))]),
    ('2026-11-25T10:00', 4, 'Globx called, they want to start the pilot next month', [('log_visit', dict(account='Globex Industries', channel='phone', summary=X)), ('update_opportunity', dict(account='Globex Industries', stage='evaluation'))]),
    ('2026-11-25T10:00', 4, 'coffee with Nancy from Northwnd this morning about store ops', [('log_visit', dict(account='Northwind Traders', contacts=['Nancy Davolio'], occurred_on='2026-11-25', channel='onsite', summary=X))]),
    ('2026-11-25T10:00', 4, 'Contosso Bank moved to negotiation, $400k', [('update_opportunity', dict(account='Contoso Bank', stage='negotiation', amount=400000, currency='USD'))]),
    ('2026-11-25T10:00', 1, '今天跟Li Ming通了个电话，扩容预算批下来了', [('log_visit', dict(account='蓝鲸数据', contacts=['李明'], occurred_on='2026-11-25', channel='phone', summary=X))]),
    ('2026-11-25T10:00', 2, '昨天和Dr. Marcus开了个Zoom，聊GDPR合规', [('log_visit', dict(account='Umbrella Health', contacts=['Alice Marcus'], occurred_on='2026-11-24', channel='video', summary=X))]),
    ('2026-11-25T10:00', 6, '你们的数据存在哪里？安全吗', []),
    ('2026-11-25T10:00', 4, 'can I export my reminders to Google Calendar?', []),
    ('2026-11-25T10:00', 1, '开会中，晚点回复', []),
    ('2026-11-29T21:00', 2, '周五下午跟金桥周总视频了一下，仓储调度进入谈判', [('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-27', channel='video', summary=X)), ('update_opportunity', dict(account='金桥物流', opportunity=X, stage='negotiation'))]),
    ('2026-12-30T18:00', 4, 'signed Umbrella yesterday, €320k. remind me jan 4 to kick off onboarding', [('update_opportunity', dict(account='Umbrella Health', stage='won', amount=320000, currency='EUR')), ('create_reminder', dict(due_at='2027-01-04T09:00', text=X))]),
    ('2026-11-30T09:00', 1, '上礼拜五去天衡拜访了郑总，他们要先做POC，下下周一提醒我准备POC环境', [('log_visit', dict(account='天衡能源', contacts=['郑凯'], occurred_on='2026-11-27', channel='onsite', summary=X)), ('update_opportunity', dict(account='天衡能源', stage='evaluation')), ('create_reminder', dict(due_at='2026-12-14T09:00', text=X))]),
    ('2026-11-25T10:00', 3, '周五上午提醒我跟娜娜过一下华康的报价', [('create_reminder', dict(due_at='2026-11-27T09:00', text=X, account='华康医疗'))]),
    ('2026-12-30T18:00', 2, '瑞丰那单年后再说，预计明年3月签', [('update_opportunity', dict(account='瑞丰食品', expected_close='2027-03-31'))]),
    ('2026-11-25T10:00', 4, "met Sam at Tailspin's office on tues, they want to expand to 2 more hubs", [('log_visit', dict(account='Tailspin Airlines', contacts=['Sam Lee'], occurred_on='2026-11-24', channel='onsite', summary=X))]),
    ('2026-12-06T20:00', 1, '周五跟北辰邓总在他们厂里开了半天会，产线质检二期进入议价阶段，下周三提醒我把报价发过去', [('log_visit', dict(account='北辰汽车', contacts=['邓丽'], occurred_on='2026-12-04', channel='onsite', summary=X)), ('update_opportunity', dict(account='北辰汽车', stage='negotiation')), ('create_reminder', dict(due_at='2026-12-09T09:00', text=X))]),
    ('2027-01-04T09:00', 4, 'happy new year! quick one: Initech renewal slipped to end of Feb', [('update_opportunity', dict(account='Initech', expected_close='2027-02-28'))]),
    ('2026-12-31T17:00', 2, '下周一上午10点提醒我跟进华康合同', [('create_reminder', dict(due_at='2027-01-04T10:00', text=X, account='华康医疗'))]),
    ('2026-11-25T10:00', 6, '海纳何总今天下午微信说老板点头了，这单拿下了，合同金额98万', [('log_visit', dict(account='海纳零售', contacts=['何伟'], occurred_on='2026-11-25', channel='message', summary=X)), ('update_opportunity', dict(account='海纳零售', stage='won', amount=980000, currency='CNY'))]),
    ('2026-11-25T10:00', 1, '青松GMP合规系统中标了，金额从120万降到了110万', [('update_opportunity', dict(account='青松制药', opportunity=X, stage='won', amount=1100000, currency='CNY'))]),
    ('2026-11-25T10:00', 4, "Tailspin's Sam said on the phone yesterday they're ready to sign next week, ~$600k", [('log_visit', dict(account='Tailspin Airlines', contacts=['Sam Lee'], occurred_on='2026-11-24', channel='phone', summary=X)), ('update_opportunity', dict(account='Tailspin Airlines', stage='negotiation', amount=600000, currency='USD'))]),
    ('2026-11-25T10:00', 5, 'Bob here - approve Acme, reject Initech (discount too high)', [('approve_quote', dict(account='Acme Corporation')), ('reject_quote', dict(account='Initech', comment=X))]),
    ('2026-11-25T10:00', 3, '把104号和102号报价都通过吧', [('approve_quote', dict(quote_id=104)), ('approve_quote', dict(quote_id=102))]),
    ('2026-11-25T10:00', 3, '101的报价不行，打回去', [('reject_quote', dict(quote_id=101))]),
    ('2026-11-25T10:00', 5, 'Initech quote: declined, ask Alice to come back at 8%', [('reject_quote', dict(account='Initech', comment=X))]),
    ('2026-11-25T10:00', 3, '小王那两个报价（蓝鲸和青松）都批了吧', [('approve_quote', dict(account='蓝鲸数据')), ('approve_quote', dict(account='青松制药'))]),
    ('2026-11-25T10:00', 4, 'can you pull the top 10 accounts by won amount for Q4?', [('top_accounts', dict(period='this_quarter', metric='won', limit=10))]),
    ('2026-11-25T10:00', 3, '全组本周跟进最多的客户Top3', [('top_accounts', dict(period='this_week', metric='activity', limit=3, scope='team'))]),
    ('2026-11-25T10:00', 1, '我上个月赢单金额最高的几个客户', [('top_accounts', dict(period='last_month', metric='won', scope='mine'))]),
    ('2026-11-25T10:00', 5, "what's the team's win rate so far this year", [('pipeline_report', dict(period='this_year', scope='team'))]),
    ('2026-11-25T10:00', 6, '我这季度的业绩完成了多少', [('pipeline_report', dict(period='this_quarter', scope='mine'))]),
    ('2026-11-25T10:00', 2, '今天还有啥要跟进的', [('list_reminders', dict(period='today'))]),
    ('2026-11-25T10:00', 4, 'anything on my agenda for next week?', [('list_reminders', dict(period='next_week'))]),
    ('2026-11-25T10:00', 3, '待审批的有几个', [('list_pending_approvals', dict())]),
    ('2026-11-25T10:00', 4, 'give me the rundown on Tailspin', [('account_overview', dict(account='Tailspin Airlines'))]),
    ('2026-11-25T10:00', 2, '金桥物流最近进展怎么样？', [('account_overview', dict(account='金桥物流'))]),
    ('2026-11-25T10:00', 6, '云帆林总最近老是已读不回，怎么办', [('suggest_next_steps', dict(account='云帆软件', question=X))]),
    ('2026-11-25T10:00', 4, "Fabrikam's procurement keeps stalling - what's my best move?", [('suggest_next_steps', dict(account='Fabrikam Manufacturing', question=X))]),
    ('2026-11-25T10:00', 3, '全组的客户数据查一下重复', [('data_health', dict(scope='team'))]),
    ('2026-11-25T10:00', 5, 'Alice is moving to the EU team - her accounts go to Bob', [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith'))]),
    ('2026-11-25T10:00', 3, '海纳零售和云帆软件以后都由娜娜来跟', [('reassign_accounts', dict(from_user='刘洋', to_user='李娜', account='海纳零售')), ('reassign_accounts', dict(from_user='刘洋', to_user='李娜', account='云帆软件'))]),
    ('2026-11-25T10:00', 4, 'ok perfect', []),
    ('2026-11-25T10:00', 1, '这个功能好用，点赞👍', []),
    ('2026-11-25T10:00', 6, '怎么删除一个提醒？', []),
    ('2026-11-25T10:00', 4, "lol that's funny, anyway talk tmrw", []),
    ('2026-11-28T15:00', 1, '今天周六加班去了趟北辰，许工他们在做POC测试', [('log_visit', dict(account='北辰汽车', contacts=['许涛'], occurred_on='2026-11-28', channel='onsite', summary=X)), ('update_opportunity', dict(account='北辰汽车', stage='evaluation'))]),
    ('2026-11-25T10:00', 2, '提醒我礼拜五上午把瑞丰的合同寄出去', [('create_reminder', dict(due_at='2026-11-27T09:00', text=X, account='瑞丰食品'))]),
    ('2026-11-25T10:00', 4, 'remind me tues at 8:45 to prep for the Globex call', [('create_reminder', dict(due_at='2026-12-01T08:45', text=X, account='Globex Industries'))]),
    ('2026-11-25T10:00', 4, 'remind me tomorrow evening to send Jane the deck', [('create_reminder', dict(due_at='2026-11-26T19:00', text=X))]),
    ('2026-11-25T10:00', 1, '下午提醒我给蓝鲸陈经理回电话', [('create_reminder', dict(due_at='2026-11-25T14:00', text=X, account='蓝鲸数据'))]),
    ('2026-11-25T16:00', 2, '明天一早提醒我去华康送资料', [('create_reminder', dict(due_at='2026-11-26T09:00', text=X, account='华康医疗'))]),
    ('2026-11-25T10:00', 6, '下下周三下午4点提醒我去明远做演示', [('create_reminder', dict(due_at='2026-12-09T16:00', text=X, account='明远教育'))]),
    ('2026-11-25T10:00', 4, 'remind me on the 1st to send the monthly report', [('create_reminder', dict(due_at='2026-12-01T09:00', text=X))]),
    ('2026-11-25T10:00', 1, '蓝鲸扩容项目金额上调到95万，预计下月中签', [('update_opportunity', dict(account='蓝鲸数据', opportunity=X, amount=950000, currency='CNY', expected_close='2026-12-15'))]),
    ('2026-11-25T10:00', 2, '金桥的单子又推了，改到明年1月底', [('update_opportunity', dict(account='金桥物流', expected_close='2027-01-31'))]),
    ('2026-11-25T10:00', 4, 'Contoso Insurance: lost on price, they went with Guidewire', [('update_opportunity', dict(account='Contoso Insurance', stage='lost', competitor=X, lost_reason=X))]),
    ('2026-11-25T10:00', 1, '天衡储能监控那单输给了华为，客户说华为给的价格低三成', [('update_opportunity', dict(account='天衡能源', opportunity=X, stage='lost', competitor=X, lost_reason=X))]),
    ('2026-11-25T10:00', 4, 'Globex is a go! PO for 480k USD landed this morning', [('update_opportunity', dict(account='Globex Industries', stage='won', amount=480000, currency='USD'))]),
    ('2026-11-25T10:00', 2, '今天去蓝海数据拜访黄总，对方对数据中台很感兴趣，有意向采购', [('log_visit', dict(account='蓝海数据', contacts=['黄磊'], occurred_on='2026-11-25', channel='onsite', summary=X)), ('update_opportunity', dict(account='蓝海数据', stage='prospect'))]),
    ('2026-11-25T10:00', 4, "demo'd the fraud module to Ken at Contoso Bank on Zoom this morning, he wants a 30-day trial", [('log_visit', dict(account='Contoso Bank', contacts=['Ken Myer'], occurred_on='2026-11-25', channel='video', summary=X)), ('update_opportunity', dict(account='Contoso Bank', stage='evaluation'))]),
    ('2026-11-25T10:00', 1, 'Li Ming说扩容预算今年批不下来了，推到明年Q2', [('update_opportunity', dict(account='蓝鲸数据', expected_close='2027-06-30'))]),
    ('2026-11-25T10:00', 2, '今天和Jane Roe通了电话，Fabrikam想要一个中文版的方案', [('log_visit', dict(account='Fabrikam Manufacturing', contacts=['Jane Roe'], occurred_on='2026-11-25', channel='phone', summary=X))]),
    ('2026-11-25T10:00', 4, 'quote for Tailspin Airlines: ¥3,000,000 JPY, 5% off', [('create_quote', dict(account='Tailspin Airlines', amount=3000000, currency='JPY', discount_pct=5))]),
    ('2026-11-25T10:00', 1, '给天衡出个报价，200万人民币，让3个点，储能监控二期', [('create_quote', dict(account='天衡能源', amount=2000000, currency='CNY', discount_pct=3, product=X))]),
    ('2026-11-25T10:00', 6, '云帆报价35万，再给个95折，备注：年底前签约才有效', [('create_quote', dict(account='云帆软件', amount=350000, currency='CNY', discount_pct=5, note=X))]),
    ('2026-11-25T10:00', 4, 'pls quote Umbrella 90k EUR minus 12%', [('create_quote', dict(account='Umbrella Health', amount=90000, currency='EUR', discount_pct=12))]),
    ('2026-11-25T10:00', 5, 'approve #103 but tell Alice no more than 12% next time', [('approve_quote', dict(quote_id=103, comment=X))]),
    ('2026-11-25T10:00', 3, 'Q102驳回，Q104通过', [('reject_quote', dict(quote_id=102)), ('approve_quote', dict(quote_id=104))]),
    ('2026-11-29T21:00', 3, '这周团队签了多少单', [('pipeline_report', dict(period='this_week', scope='team'))]),
    ('2026-12-31T17:00', 4, 'Initech call this morning w/ Bill - they want the TPS suite live by end of Q1, moving to contract review. remind me monday 9:30 to send redlines', [('log_visit', dict(account='Initech', contacts=['Bill Lumbergh'], occurred_on='2026-12-31', channel='phone', summary=X)), ('update_opportunity', dict(account='Initech', opportunity=X, stage='negotiation')), ('create_reminder', dict(due_at='2027-01-04T09:30', text=X))]),
    ('2026-11-25T10:00', 2, '上午去华康拜访马院长，影像归档模块他们想先试用三个月，回来路上又给金桥周总打了个电话，对方说下周给答复', [('log_visit', dict(account='华康医疗', contacts=['马骏'], occurred_on='2026-11-25', channel='onsite', summary=X)), ('update_opportunity', dict(account='华康医疗', stage='evaluation')), ('log_visit', dict(account='金桥物流', contacts=['周海'], channel='phone', summary=X))]),
    ('2026-11-25T10:00', 6, '云帆林总刚电话说合同已经盖章了，45万，下周一提醒我安排实施', [('log_visit', dict(account='云帆软件', contacts=['林峰'], channel='phone', summary=X)), ('update_opportunity', dict(account='云帆软件', stage='won', amount=450000, currency='CNY')), ('create_reminder', dict(due_at='2026-11-30T09:00', text=X))]),
    ('2026-11-25T10:00', 1, '北辰许工和邓总今天来公司参观产线质检的演示，反馈不错，准备进入POC', [('log_visit', dict(account='北辰汽车', contacts=['许涛', '邓丽'], occurred_on='2026-11-25', channel='onsite', summary=X)), ('update_opportunity', dict(account='北辰汽车', opportunity=X, stage='evaluation'))]),
    ('2026-11-25T10:00', 4, 'Hank from Globx emailed - they picked Oracle. budget cuts. remind me in 3 months to check in', [('log_visit', dict(account='Globex Industries', contacts=['Hank Scorpio'], channel='email', summary=X)), ('update_opportunity', dict(account='Globex Industries', stage='lost', competitor=X, lost_reason=X)), ('create_reminder', dict(due_at='2027-02-25T09:00', text=X))]),
    ('2026-11-25T10:00', 4, 'Umbrela Health wants a pilot for the clinical data module, starting dec 1', [('update_opportunity', dict(account='Umbrella Health', stage='evaluation'))]),
    ('2026-11-25T10:00', 4, "northwnd's nancy pinged me on slack about renewal pricing", [('log_visit', dict(account='Northwind Traders', contacts=['Nancy Davolio'], channel='message', summary=X))]),
    ('2026-11-25T10:00', 1, '今天跟Mary Lee开了个Teams会，Acme想加一个中国区的部署', [('log_visit', dict(account='Acme Corporation', contacts=['Mary Lee'], occurred_on='2026-11-25', channel='video', summary=X))]),
    ('2026-11-25T10:00', 1, '今天和Hank Scorpio在展会上聊了半小时，Globex明年要上新能源调度', [('log_visit', dict(account='Globex Industries', contacts=['Hank Scorpio'], occurred_on='2026-11-25', channel='event', summary=X))]),
    ('2026-11-25T10:00', 3, '娜娜手上的华康医疗，从下周开始交给Alice', [('reassign_accounts', dict(from_user='李娜', to_user='Alice Chen', account='华康医疗'))]),
    ('2026-11-25T10:00', 5, 'Bob takes over Contoso Insurance from Alice', [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith', account='Contoso Insurance'))]),
    ('2026-11-25T10:00', 3, '老刘下个月走，他的客户先给小王', [('reassign_accounts', dict(from_user='刘洋', to_user='王磊'))]),
    ('2026-11-25T10:00', 5, "reassign all of Alice's accounts to 王磊 effective monday", [('reassign_accounts', dict(from_user='Alice Chen', to_user='王磊'))]),
    ('2026-11-25T10:00', 3, '批准102和104', [('approve_quote', dict(quote_id=102)), ('approve_quote', dict(quote_id=104))]),
    ('2026-11-25T10:00', 5, 'Q-101 ok, Q-103 no', [('approve_quote', dict(quote_id=101)), ('reject_quote', dict(quote_id=103))]),
    ('2026-11-25T10:00', 3, '蓝鲸那单的报价可以批，青松的先打回去', [('approve_quote', dict(account='蓝鲸数据')), ('reject_quote', dict(account='青松制药'))]),
    ('2026-11-25T10:00', 5, "reject both pending Acme and Initech quotes, pricing's off", [('reject_quote', dict(account='Acme Corporation')), ('reject_quote', dict(account='Initech', comment=X))]),
    ('2026-11-25T10:00', 3, '#101 驳回，让Alice把折扣控制在15%以内', [('reject_quote', dict(quote_id=101, comment=X))]),
    ('2026-11-25T10:00', 4, 'quote request - Contoso Bank, 1.5 million dollars, 20% off, fraud detection + SSO bundle', [('create_quote', dict(account='Contoso Bank', amount=1500000, currency='USD', discount_pct=20, product=X))]),
    ('2026-11-25T10:00', 2, '给瑞丰做个报价，二十八万八，九二折', [('create_quote', dict(account='瑞丰食品', amount=288000, currency='CNY', discount_pct=8))]),
    ('2026-11-25T10:00', 1, '蓝鲸报价：扩容二期 95万 打9折 备注 含首年维保', [('create_quote', dict(account='蓝鲸数据', amount=950000, currency='CNY', discount_pct=10, note=X))]),
    ('2026-11-25T10:00', 4, 'Fabrikam quote pls: 75k GBP, 10% off', [('create_quote', dict(account='Fabrikam Manufacturing', amount=75000, currency='GBP', discount_pct=10))]),
    ('2026-11-25T10:00', 6, '海纳门店补货系统报价一百一十万，打个九五折吧', [('create_quote', dict(account='海纳零售', amount=1100000, currency='CNY', discount_pct=5, product=X))]),
    ('2026-11-25T10:00', 4, 'pipeline by stage for me this quarter', [('pipeline_report', dict(period='this_quarter', scope='mine'))]),
    ('2026-11-25T10:00', 3, '团队这个月的成交额多少了', [('pipeline_report', dict(period='this_month', scope='team'))]),
    ('2026-11-25T10:00', 5, 'show me the 5 most active accounts on the team last week', [('top_accounts', dict(period='last_week', metric='activity', limit=5, scope='team'))]),
    ('2026-11-25T10:00', 1, '我今年签单金额前三的客户', [('top_accounts', dict(period='this_year', metric='won', limit=3, scope='mine'))]),
    ('2026-11-25T10:00', 6, '这周要做的事', [('list_reminders', dict(period='this_week'))]),
    ('2026-11-25T10:00', 4, 'what reminders do I have tomorrow?', [('list_reminders', dict())]),
    ('2026-11-25T10:00', 5, 'anything waiting for my sign-off?', [('list_pending_approvals', dict())]),
    ('2026-11-25T10:00', 2, '帮我看看华康医疗的全部信息', [('account_overview', dict(account='华康医疗'))]),
    ('2026-11-25T10:00', 4, 'where are we with Contoso Insurance?', [('account_overview', dict(account='Contoso Insurance'))]),
    ('2026-11-25T10:00', 1, '天衡郑总那边一直说再等等，有没有什么好的打法？', [('suggest_next_steps', dict(account='天衡能源', question=X))]),
    ('2026-11-25T10:00', 4, 'how do I get Globex unstuck? legal has been sitting on the MSA for 3 weeks', [('suggest_next_steps', dict(account='Globex Industries', question=X))]),
    ('2026-11-25T10:00', 3, '团队客户资料有没有缺失的字段，查一下', [('data_health', dict(scope='team'))]),
    ('2026-11-25T10:00', 4, 'are there duplicate contacts in my accounts?', [('data_health', dict(scope='mine'))]),
    ('2026-11-25T10:00', 1, '周一好！', []),
    ('2026-11-25T10:00', 4, 'brb, in a meeting', []),
    ('2026-11-25T10:00', 6, '你能把提醒同步到企业微信吗', []),
    ('2026-11-25T10:00', 2, "what's the weather in 杭州 tomorrow", []),
    ('2026-11-28T15:00', 1, '下周二上午十点提醒我跟青松孙工过一下测试报告', [('create_reminder', dict(due_at='2026-12-01T10:00', text=X, account='青松制药'))]),
    ('2026-11-28T15:00', 4, 'remind me monday morning to send the Fabrikam SOW', [('create_reminder', dict(due_at='2026-11-30T09:00', text=X, account='Fabrikam Manufacturing'))]),
    ('2026-12-31T17:00', 4, 'remind me on jan 2 at 11 to call Sam at Tailspin', [('create_reminder', dict(due_at='2027-01-02T11:00', text=X, account='Tailspin Airlines'))]),
    ('2026-12-31T17:00', 2, '三天后上午十点提醒我给华康寄贺卡', [('create_reminder', dict(due_at='2027-01-03T10:00', text=X, account='华康医疗'))]),
    ('2026-11-25T10:00', 4, 'remind me at 4:30 today to email Ken', [('create_reminder', dict(due_at='2026-11-25T16:30', text=X))]),
    ('2026-11-25T10:00', 1, '提醒我本周日晚上整理周报', [('create_reminder', dict(due_at='2026-11-29T20:00', text=X))]),
    ('2026-11-25T10:00', 4, 'ping me thursday afternoon about the Initech renewal', [('create_reminder', dict(due_at='2026-11-26T14:00', text=X, account='Initech'))]),
    ('2026-11-25T10:00', 1, '北辰产线质检推迟到明年Q1末，金额不变', [('update_opportunity', dict(account='北辰汽车', opportunity=X, expected_close='2027-03-31'))]),
    ('2026-11-25T10:00', 2, '瑞丰那单提前了，预计12月18号就能签', [('update_opportunity', dict(account='瑞丰食品', expected_close='2026-12-18'))]),
    ('2026-11-25T10:00', 4, 'Acme cut the scope - fleet analytics down to $210k', [('update_opportunity', dict(account='Acme Corporation', opportunity=X, amount=210000, currency='USD'))]),
    ('2026-11-25T10:00', 6, '云帆的项目金额减少了5万', [('update_opportunity', dict(account='云帆软件'))]),
    ('2026-11-25T10:00', 4, 'Tailspin lost - they chose to build in-house', [('update_opportunity', dict(account='Tailspin Airlines', stage='lost', lost_reason=X))]),
    ('2026-11-25T10:00', 1, '天衡进入方案评审阶段，对手是浪潮', [('update_opportunity', dict(account='天衡能源', stage='evaluation', competitor=X))]),
    ('2027-01-04T09:00', 6, '上周四在海纳开了年度复盘会，何总说明年预算翻倍', [('log_visit', dict(account='海纳零售', contacts=['何伟'], occurred_on='2026-12-31', channel='onsite', summary=X))]),
    ('2027-01-04T09:00', 4, 'met Rachel at Contoso Insurance on wed to kick off the pilot', [('log_visit', dict(account='Contoso Insurance', contacts=['Rachel Green'], occurred_on='2026-12-30', channel='onsite', summary=X)), ('update_opportunity', dict(account='Contoso Insurance', stage='evaluation'))]),
    ('2026-11-25T10:00', 1, '今天visit了青松，孙工说测试环境已经ready，下周开始POC', [('log_visit', dict(account='青松制药', contacts=['孙悦'], occurred_on='2026-11-25', channel='onsite', summary=X)), ('update_opportunity', dict(account='青松制药', stage='evaluation'))]),
    ('2026-11-25T10:00', 6, 'tmr morning remind我给海纳何总发quotation', [('create_reminder', dict(due_at='2026-11-26T09:00', text=X, account='海纳零售'))]),
    ('2026-11-25T10:00', 2, '金桥那边 deal 基本定了，PO预计下周到，amount 62万', [('update_opportunity', dict(account='金桥物流', amount=620000, currency='CNY'))]),
    ('2026-11-25T10:00', 4, 'remind me next thursday afternoon to send Sam the Tailspin contract', [('create_reminder', dict(due_at='2026-12-03T14:00', text=X, account='Tailspin Airlines'))]),
    ('2026-11-25T10:00', 1, '下个礼拜二下午提醒我去天衡汇报', [('create_reminder', dict(due_at='2026-12-01T14:00', text=X, account='天衡能源'))]),
    ('2026-11-25T10:00', 2, '这礼拜五之前提醒我把华康的标书交了', [('create_reminder', dict(due_at='2026-11-27T09:00', text=X, account='华康医疗'))]),
    ('2026-12-30T18:00', 6, '下周提醒我约云帆林总吃个饭', [('create_reminder', dict(due_at='2027-01-04T09:00', text=X, account='云帆软件'))]),
    ('2026-12-30T18:00', 4, 'remind me EOD friday to close out the Q4 forecast', [('create_reminder', dict(due_at='2027-01-01T17:00', text=X))]),
    ('2026-11-25T10:00', 1, '今天见了北辰新来的采购钱经理，聊了付款条件', [('log_visit', dict(account='北辰汽车', contacts=['钱经理'], occurred_on='2026-11-25', channel='onsite', summary=X))]),
    ('2026-11-25T10:00', 4, "phone call w/ Acme's new CFO Tom Baker today - budget looks ok for Q1", [('log_visit', dict(account='Acme Corporation', contacts=['Tom Baker'], occurred_on='2026-11-25', channel='phone', summary=X))]),
    ('2026-11-25T10:00', 2, '瑞丰食品今天签了框架协议，首期订单三十二万', [('update_opportunity', dict(account='瑞丰食品', amount=320000, currency='CNY'))]),
    ('2026-11-25T10:00', 1, '蓝鲸扩容收到中标通知书了！', [('update_opportunity', dict(account='蓝鲸数据', opportunity=X, stage='won'))]),
    ('2026-11-25T10:00', 4, 'Fabrikam gave us a verbal yes, paperwork next week, €1.05M', [('update_opportunity', dict(account='Fabrikam Manufacturing', amount=1050000, currency='EUR'))]),
    ('2026-11-25T10:00', 4, 'Contoso Bank deal closed lost - went with an in-house build', [('update_opportunity', dict(account='Contoso Bank', stage='lost', lost_reason=X))]),
    ('2026-11-25T10:00', 6, '明远那边说今年预算没了，项目取消', [('update_opportunity', dict(account='明远教育', stage='lost', lost_reason=X))]),
    ('2026-11-25T10:00', 2, '蓝海数据新开了一个商机，数据治理项目，预算大概70万', [('update_opportunity', dict(account='蓝海数据', opportunity=X, stage='prospect', amount=700000, currency='CNY'))]),
    ('2026-11-25T10:00', 4, 'new opp at Globex: grid analytics, ~$350k, early stage', [('update_opportunity', dict(account='Globex Industries', opportunity=X, stage='prospect', amount=350000, currency='USD'))]),
    ('2026-11-25T10:00', 1, '给青松报价 RMB 1,150,000，九折，GMP二期扩展模块', [('create_quote', dict(account='青松制药', amount=1150000, currency='CNY', discount_pct=10, product=X))]),
    ('2026-11-25T10:00', 4, 'submit quote: Initech, USD 1.1m, 7.5% off, note: 3yr prepay', [('create_quote', dict(account='Initech', amount=1100000, currency='USD', discount_pct=7.5, note=X))]),
    ('2026-11-25T10:00', 6, '帮我提交一个云帆的报价，三十八万，折扣12%', [('create_quote', dict(account='云帆软件', amount=380000, currency='CNY', discount_pct=12))]),
    ('2026-11-25T10:00', 4, 'Northwind needs a quote for 350K USD with a 15 percent discount', [('create_quote', dict(account='Northwind Traders', amount=350000, currency='USD', discount_pct=15))]),
    ('2026-11-25T10:00', 3, '102号、104号都驳回，理由：回款周期太长', [('reject_quote', dict(quote_id=102, comment=X)), ('reject_quote', dict(quote_id=104, comment=X))]),
    ('2026-11-25T10:00', 5, 'approving Q-103. Q-101 needs rework, reject', [('approve_quote', dict(quote_id=103)), ('reject_quote', dict(quote_id=101))]),
    ('2026-11-25T10:00', 3, '金桥的报价我看过了，没问题', [('approve_quote', dict(account='金桥物流'))]),
    ('2026-11-25T10:00', 5, 'ok on the Acme quote', [('approve_quote', dict(account='Acme Corporation'))]),
    ('2026-11-25T10:00', 3, '青松制药改由老刘负责', [('reassign_accounts', dict(from_user='王磊', to_user='刘洋', account='青松制药'))]),
    ('2026-11-25T10:00', 5, 'give Globex and Umbrella to Bob', [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith', account='Globex Industries')), ('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith', account='Umbrella Health'))]),
    ('2026-11-25T10:00', 3, '明远教育从老刘名下转到娜娜名下', [('reassign_accounts', dict(from_user='刘洋', to_user='李娜', account='明远教育'))]),
    ('2026-11-25T10:00', 5, 'biggest deals in the team pipeline this quarter, top 5 accounts', [('top_accounts', dict(period='this_quarter', metric='pipeline', limit=5, scope='team'))]),
    ('2026-11-25T10:00', 3, '今年以来团队拜访量最多的10家客户', [('top_accounts', dict(period='this_year', metric='activity', limit=10, scope='team'))]),
    ('2026-11-25T10:00', 1, '上周我跟进最多的客户', [('top_accounts', dict(period='last_week', metric='activity', scope='mine'))]),
    ('2026-11-25T10:00', 4, "what's my forecast for next quarter", [('pipeline_report', dict(scope='mine'))]),
    ('2026-11-25T10:00', 3, '上季度团队的赢单率是多少', [('pipeline_report', dict(period='last_quarter', scope='team'))]),
    ('2026-11-25T10:00', 5, 'how did the team do in Q3?', [('pipeline_report', dict(period='last_quarter', scope='team'))]),
    ('2026-11-25T10:00', 2, '今天我还有什么提醒没处理', [('list_reminders', dict(period='today'))]),
    ('2026-11-25T10:00', 4, 'list my reminders', [('list_reminders', dict())]),
    ('2026-11-25T10:00', 3, 'Alice提的报价有哪些还没批', [('list_pending_approvals', dict())]),
    ('2026-11-25T10:00', 6, '海纳零售的基本信息给我发一下', [('account_overview', dict(account='海纳零售'))]),
    ('2026-11-25T10:00', 4, 'catch me up on Initech', [('account_overview', dict(account='Initech'))]),
    ('2026-11-25T10:00', 2, '蓝海黄总说要再考虑考虑，我这边该怎么跟进？', [('suggest_next_steps', dict(account='蓝海数据', question=X))]),
    ('2026-11-25T10:00', 4, 'Umbrella keeps asking for more discount - any advice?', [('suggest_next_steps', dict(account='Umbrella Health', question=X))]),
    ('2026-11-25T10:00', 3, '帮我看下团队客户有没有重名的', [('data_health', dict(scope='team'))]),
    ('2026-11-25T10:00', 6, '收到👌 谢谢老张', []),
    ('2026-11-25T10:00', 4, 'is there an API for this?', []),
    ('2026-11-25T10:00', 1, '测试一下语音功能', []),
    ('2026-11-25T10:00', 2, '昨天晚上做梦梦到签单了哈哈', []),
    ('2026-11-29T21:00', 1, '周五在天衡开的会，郑总确认储能二期按150万走', [('log_visit', dict(account='天衡能源', contacts=['郑凯'], occurred_on='2026-11-27', channel='onsite', summary=X)), ('update_opportunity', dict(account='天衡能源', amount=1500000, currency='CNY'))]),
    ('2026-12-30T18:00', 1, '上礼拜三去北辰做了年终回访，许工提了三个改进需求', [('log_visit', dict(account='北辰汽车', contacts=['许涛'], occurred_on='2026-12-23', channel='onsite', summary=X))]),
    ('2026-12-30T18:00', 4, 'Jane at Fabrikam emailed on monday - they want a revised SOW', [('log_visit', dict(account='Fabrikam Manufacturing', contacts=['Jane Roe'], occurred_on='2026-12-28', channel='email', summary=X))]),
    ('2026-11-25T10:00', 4, 'Peter Gibbons called about SSO setup issues', [('log_visit', dict(account='Initech', contacts=['Peter Gibbons'], channel='phone', summary=X))]),
    ('2026-11-25T10:00', 6, '海纳门店补货平台的单子，金额追加了15万，现在总共115万', [('update_opportunity', dict(account='海纳零售', opportunity=X, amount=1150000, currency='CNY'))]),
]


@pytest.fixture(scope="module")
def predictions(fixture_data) -> dict[str, list[dict]]:
    rows = [{"id": f"r{i:03d}", "now": now, "user": user, "text": text} for i, (now, user, text, _) in enumerate(CASES)]
    return {row["id"]: row["calls"] for row in parse_batch(fixture_data, rows)}


def _matches(expected: dict, got: dict) -> bool:
    for key, value in expected.items():
        if key not in got:
            return False
        if value is X:
            if not str(got[key]).strip():
                return False
        elif key == "contacts":
            if set(got[key]) != set(value):
                return False
        elif got[key] != value:
            return False
    return True


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"r{i:03d}" for i in range(len(CASES))])
def test_held_out_sentence(predictions, index):
    _now, _user, text, expected = CASES[index]
    got = predictions[f"r{index:03d}"]
    assert Counter(c["name"] for c in got) == Counter(name for name, _ in expected), (text, got)
    unused = list(got)
    for name, args in expected:
        match = next((c for c in unused if c["name"] == name and _matches(args, c["args"])), None)
        assert match is not None, (text, name, args, got)
        unused.remove(match)
