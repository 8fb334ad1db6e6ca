"""More sentences the rules engine was not written against, in the eval's style: colloquial Chinese
(刚从…出来, 黄了, 凉了, 下礼拜三, 月中, 大后天), English and mixed messages, other users and other
days (a Sunday evening, a Saturday, the last days of the year), several calls per message, and
small talk that asks for nothing.

Each case is (now, user, text, expected calls), checked as in the eval: only the arguments given,
free text (X) only for being present, contacts as a set, the calls as a multiset of names.
"""
from __future__ import annotations

from collections import Counter

import pytest

from intents.batch import parse_batch

X = ...  # free text: present and not empty

CASES = [
    # round 1
    ('2026-11-25T10:00', 1, '刚从青松出来，孙工说测试环境下周能准备好', [('log_visit', dict(account='青松制药', contacts=['孙悦'], occurred_on='2026-11-25', channel='onsite', summary=X)), ('update_opportunity', dict(account='青松制药', stage='evaluation'))]),
    ('2026-11-25T10:00', 6, '云帆这个项目输给了金蝶，客户觉得我们太贵', [('update_opportunity', dict(account='云帆软件', stage='lost', competitor=X, lost_reason=X))]),
    ('2026-11-25T10:00', 1, '我上周的拜访记录汇总', [('top_accounts', dict(period='last_week', metric='activity', scope='mine'))]),
    ('2026-11-25T10:00', 1, '下礼拜三下午3点提醒我去北辰送样品', [('create_reminder', dict(due_at='2026-12-02T15:00', text=X, account='北辰汽车'))]),
    ('2026-11-25T10:00', 2, '大后天提醒我跟金桥周总确认合同细节', [('create_reminder', dict(due_at='2026-11-28T09:00', text=X, account='金桥物流'))]),
    ('2026-11-25T10:00', 2, '月中提醒我催一下瑞丰的回款', [('create_reminder', dict(due_at='2026-12-15T09:00', text=X, account='瑞丰食品'))]),
    ('2026-11-25T10:00', 4, 'EOD remind me to send Acme the revised SOW', [('create_reminder', dict(due_at='2026-11-25T17:00', text=X, account='Acme Corporation'))]),
    ('2026-11-25T10:00', 4, 'remind me early next week to chase Ken on the security questionnaire', [('create_reminder', dict(due_at='2026-11-30T09:00', text=X))]),
    ('2026-11-25T10:00', 4, 'remind me to send Hank the pricing deck by friday', [('create_reminder', dict(due_at='2026-11-27T09:00', text=X))]),
    ('2026-11-25T10:00', 1, '北辰那边对方老板拍板了，金额180万', [('update_opportunity', dict(account='北辰汽车', amount=1800000, currency='CNY'))]),
    ('2026-11-25T10:00', 6, '海纳的项目黄了，何总说明年再说', [('update_opportunity', dict(account='海纳零售', stage='lost'))]),
    ('2026-11-25T10:00', 2, '瑞丰那单凉了，被用友抢走了', [('update_opportunity', dict(account='瑞丰食品', stage='lost', competitor=X))]),
    ('2026-11-25T10:00', 2, '金桥仓储调度推进到谈判阶段了，周总口头答应了，预算60万', [('update_opportunity', dict(account='金桥物流', opportunity=X, stage='negotiation', amount=600000, currency='CNY'))]),
    ('2026-11-25T10:00', 1, '青松GMP合规系统准备签合同了，现在走合同流程', [('update_opportunity', dict(account='青松制药', opportunity=X, stage='negotiation'))]),
    ('2026-11-25T10:00', 1, '蓝鲸那边估计月底能签', [('update_opportunity', dict(account='蓝鲸数据', expected_close='2026-11-30'))]),
    ('2026-11-25T10:00', 6, '上周四跟明远吴老师在教育装备展上聊了半小时，她对排课模块很感兴趣', [('log_visit', dict(account='明远教育', contacts=['吴芳'], occurred_on='2026-11-19', channel='event', summary=X))]),
    ('2026-11-25T10:00', 4, 'Globex deal is stuck in legal, Hank says they need more time. push close to 12/31', [('update_opportunity', dict(account='Globex Industries', expected_close='2026-12-31'))]),
    ('2026-11-25T10:00', 4, 'Lost Contoso Insurance - they picked Guidewire, we were too expensive', [('update_opportunity', dict(account='Contoso Insurance', stage='lost', competitor=X, lost_reason=X))]),
    ('2026-11-25T10:00', 4, 'Umbrella: Dr. Marcus emailed, they want to start a pilot in January', [('log_visit', dict(account='Umbrella Health', contacts=['Alice Marcus'], channel='email', summary=X)), ('update_opportunity', dict(account='Umbrella Health', stage='evaluation'))]),
    ('2026-11-25T10:00', 5, 'approve 103, and reject 104 - 8% discount is fine but payment terms are not', [('approve_quote', dict(quote_id=103)), ('reject_quote', dict(quote_id=104, comment=X))]),
    ('2026-11-25T10:00', 3, '蓝鲸和青松的报价都批了', [('approve_quote', dict(account='蓝鲸数据')), ('approve_quote', dict(account='青松制药'))]),
    ('2026-11-25T10:00', 3, 'Q-103 先不批，等Alice把付款条件谈下来', [('reject_quote', dict(quote_id=103, comment=X))]),
    ('2026-11-25T10:00', 5, 'Initech的报价OK，批了吧', [('approve_quote', dict(account='Initech'))]),
    ('2026-11-25T10:00', 3, '把娜娜名下的金桥物流转给小王', [('reassign_accounts', dict(from_user='李娜', to_user='王磊', account='金桥物流'))]),
    ('2026-11-25T10:00', 5, 'Alice is leaving at the end of the month, move all her accounts to Bob', [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith'))]),
    ('2026-11-25T10:00', 3, '团队这个月哪几个客户赢单金额最高？前3', [('top_accounts', dict(period='this_month', metric='won', limit=3, scope='team'))]),
    ('2026-11-25T10:00', 5, 'which accounts have the biggest open pipeline right now? top 5 for the team', [('top_accounts', dict(metric='pipeline', limit=5, scope='team'))]),
    ('2026-11-25T10:00', 4, 'how did I do last quarter vs quota', [('pipeline_report', dict(period='last_quarter', scope='mine'))]),
    ('2026-11-25T10:00', 3, '本月团队的赢率和预测金额', [('pipeline_report', dict(period='this_month', scope='team'))]),
    ('2026-11-25T10:00', 2, '下周我有哪些待办', [('list_reminders', dict(period='next_week'))]),
    ('2026-11-25T10:00', 3, '还有多少报价在等我批', [('list_pending_approvals', dict())]),
    ('2026-11-25T10:00', 2, '华康最近有啥进展，给我汇总下', [('account_overview', dict(account='华康医疗'))]),
    ('2026-11-25T10:00', 2, '瑞丰那边一直拖着不签，怎么破？', [('suggest_next_steps', dict(account='瑞丰食品', question=X))]),
    ('2026-11-25T10:00', 6, '查一下我名下客户有没有重复的', [('data_health', dict(scope='mine'))]),
    ('2026-11-25T10:00', 1, '辛苦了🙏', []),
    ('2026-11-25T10:00', 2, '哈哈好的', []),
    ('2026-11-25T10:00', 3, '周末愉快！', []),
    ('2026-11-25T10:00', 4, 'ok thx, talk later', []),
    ('2026-11-25T10:00', 6, '昨天晚上跟海纳何总吃了个饭，聊得不错，他们想先上两家门店试点，下周一提醒我出试点方案', [('log_visit', dict(account='海纳零售', contacts=['何伟'], occurred_on='2026-11-24', channel='onsite', summary=X)), ('update_opportunity', dict(account='海纳零售', stage='evaluation')), ('create_reminder', dict(due_at='2026-11-30T09:00', text=X))]),
    ('2026-11-25T10:00', 1, '今天上午和北辰邓总腾讯会议，价格基本谈妥，100万，准备签合同。提醒我周五前把合同发过去', [('log_visit', dict(account='北辰汽车', contacts=['邓丽'], occurred_on='2026-11-25', channel='video', summary=X)), ('update_opportunity', dict(account='北辰汽车', stage='negotiation', amount=1000000, currency='CNY')), ('create_reminder', dict(due_at='2026-11-27T09:00', text=X))]),
    ('2026-11-29T21:00', 1, '周五在蓝鲸开了一下午的会，李总和陈经理都在，扩容方案基本定了，已经开始走合同了，下一步约法务过条款', [('log_visit', dict(account='蓝鲸数据', contacts=['李明', '陈静'], occurred_on='2026-11-27', channel='onsite', summary=X, next_step=X)), ('update_opportunity', dict(account='蓝鲸数据', opportunity=X, stage='negotiation'))]),
    ('2026-11-29T21:00', 2, '明早提醒我给华康马院长打电话', [('create_reminder', dict(due_at='2026-11-30T09:00', text=X, account='华康医疗'))]),
    ('2026-11-29T21:00', 4, 'remind me wed at 2pm to demo for Globex', [('create_reminder', dict(due_at='2026-12-02T14:00', text=X, account='Globex Industries'))]),
    ('2026-12-30T18:00', 2, '金桥的单子推到明年Q2了', [('update_opportunity', dict(account='金桥物流', expected_close='2027-06-30'))]),
    ('2026-12-30T18:00', 4, 'Acme signed today, $310k 🎉', [('update_opportunity', dict(account='Acme Corporation', stage='won', amount=310000, currency='USD'))]),
    ('2026-12-30T18:00', 6, '下个月初提醒我给云帆林总拜年', [('create_reminder', dict(due_at='2027-01-01T09:00', text=X, account='云帆软件'))]),
    ('2026-12-31T17:00', 3, '今年团队拜访最多的客户，前十', [('top_accounts', dict(period='this_year', metric='activity', limit=10, scope='team'))]),
    ('2026-11-28T15:00', 1, '下周二上午十点提醒我去青松开验收会', [('create_reminder', dict(due_at='2026-12-01T10:00', text=X, account='青松制药'))]),
    ('2026-11-28T15:00', 1, '昨天给天衡郑总打电话，他说项目预算被砍了一半，可能要延到明年', [('log_visit', dict(account='天衡能源', contacts=['郑凯'], occurred_on='2026-11-27', channel='phone', summary=X))]),
    ('2026-11-25T10:00', 4, 'Quick zoom w/ Jane from Fabrikam just now - they want a quote for the MES add-on, €80k w/ 10% off', [('log_visit', dict(account='Fabrikam Manufacturing', contacts=['Jane Roe'], occurred_on='2026-11-25', channel='video', summary=X)), ('create_quote', dict(account='Fabrikam Manufacturing', amount=80000, currency='EUR', discount_pct=10, product=X))]),
    ('2026-11-25T10:00', 1, '蓝鲸的deal推到下个月中了', [('update_opportunity', dict(account='蓝鲸数据', expected_close='2026-12-15'))]),
    ('2026-11-25T10:00', 2, '华康的follow up明天下午4点remind我一下', [('create_reminder', dict(due_at='2026-11-26T16:00', text=X, account='华康医疗'))]),
    ('2026-11-25T10:00', 6, '云帆报个价，45万，9折，note：首付款30%', [('create_quote', dict(account='云帆软件', amount=450000, currency='CNY', discount_pct=10, note=X))]),
    ('2026-11-25T10:00', 1, '帮我给青松提个报价 ¥1,050,000 打95折 GMP二期', [('create_quote', dict(account='青松制药', amount=1050000, currency='CNY', discount_pct=5, product=X))]),
    ('2026-11-25T10:00', 6, '明远的智慧教务系统签了，合同额38万，下周一提醒我安排实施启动会', [('update_opportunity', dict(account='明远教育', opportunity=X, stage='won', amount=380000, currency='CNY')), ('create_reminder', dict(due_at='2026-11-30T09:00', text=X))]),
    ('2026-11-25T10:00', 4, 'Tailspin went dark after the demo, any tips to get Sam back on a call?', [('suggest_next_steps', dict(account='Tailspin Airlines', question=X))]),
    ('2026-11-25T10:00', 4, "what's due this week?", [('list_reminders', dict(period='this_week'))]),
    # round 2
    ('2026-11-25T10:00', 1, '跟蓝鲸陈经理刚开完会，她说采购流程下周启动，下一步准备报价单', [('log_visit', dict(account='蓝鲸数据', contacts=['陈静'], occurred_on='2026-11-25', summary=X, next_step=X))]),
    ('2026-11-25T10:00', 2, '华康项目立项了，预算180万', [('update_opportunity', dict(account='华康医疗', amount=1800000, currency='CNY'))]),
    ('2026-11-25T10:00', 1, '北辰这单卡在法务那边了，合同条款还在审', [('update_opportunity', dict(account='北辰汽车', stage='negotiation'))]),
    ('2026-11-25T10:00', 4, 'Initech PO came through this morning, $95k. Bill says thanks 🙌', [('update_opportunity', dict(account='Initech', stage='won', amount=95000, currency='USD'))]),
    ('2026-11-25T10:00', 4, "Globex is in contract review now, Hank's legal team has the redlines. 480k USD", [('update_opportunity', dict(account='Globex Industries', stage='negotiation', amount=480000, currency='USD'))]),
    ('2026-12-04T17:30', 4, 'spoke w/ Mary at Acme this afternoon about the rollout schedule, she wants to start in Feb. next step: loop in our PM', [('log_visit', dict(account='Acme Corporation', contacts=['Mary Lee'], occurred_on='2026-12-04', summary=X, next_step=X))]),
    ('2026-12-04T17:30', 4, 'remind me monday 10am to call John at Acme', [('create_reminder', dict(due_at='2026-12-07T10:00', text=X, account='Acme Corporation'))]),
    ('2026-12-04T17:30', 1, '下周一早上提醒我把青松的验收报告发给赵主任', [('create_reminder', dict(due_at='2026-12-07T09:00', text=X, account='青松制药'))]),
    ('2026-12-04T17:30', 3, '这周团队的pipeline怎么样', [('pipeline_report', dict(period='this_week', scope='team'))]),
    ('2026-11-30T09:00', 2, '上周五去瑞丰见了冯经理，聊了明年经销商大会的合作', [('log_visit', dict(account='瑞丰食品', contacts=['冯雪'], occurred_on='2026-11-27', channel='onsite', summary=X))]),
    ('2026-11-30T09:00', 6, '昨天周日还被云帆林总叫去开会😂 讨论上线割接方案', [('log_visit', dict(account='云帆软件', contacts=['林峰'], occurred_on='2026-11-29', channel='onsite', summary=X))]),
    ('2026-11-25T10:00', 2, '金桥周总微信说下礼拜一来我们公司参观', [('log_visit', dict(account='金桥物流', contacts=['周海'], channel='message', summary=X))]),
    ('2026-11-25T10:00', 1, '天衡郑总发邮件说合同已经盖章寄回来了，120万', [('log_visit', dict(account='天衡能源', contacts=['郑凯'], channel='email', summary=X)), ('update_opportunity', dict(account='天衡能源', stage='won', amount=1200000, currency='CNY'))]),
    ('2026-11-25T10:00', 6, '明远教育那边丢单了，吴老师说校长最后拍板选了希沃', [('update_opportunity', dict(account='明远教育', stage='lost', competitor=X))]),
    ('2026-11-25T10:00', 2, '蓝海黄总今天来公司拜访，对数据中台很感兴趣，有意向采购', [('log_visit', dict(account='蓝海数据', contacts=['黄磊'], occurred_on='2026-11-25', channel='onsite', summary=X)), ('update_opportunity', dict(account='蓝海数据', stage='prospect'))]),
    ('2026-11-25T10:00', 4, 'new logo! Wayne Enterprises signed a 2-yr deal, $210k', [('update_opportunity', dict(account='Wayne Enterprises', stage='won', amount=210000, currency='USD'))]),
    ('2026-11-25T10:00', 5, 'Q-101 looks good, approved. 103 needs another pass - reject for now', [('approve_quote', dict(quote_id=101)), ('reject_quote', dict(quote_id=103, comment=X))]),
    ('2026-11-25T10:00', 3, '101和103都驳回，折扣都太高了', [('reject_quote', dict(quote_id=101, comment=X)), ('reject_quote', dict(quote_id=103, comment=X))]),
    ('2026-11-25T10:00', 3, '青松那个报价我看了，可以，批', [('approve_quote', dict(account='青松制药'))]),
    ('2026-11-25T10:00', 5, 'go ahead with the Initech quote', [('approve_quote', dict(account='Initech'))]),
    ('2026-11-25T10:00', 3, '老刘的海纳和明远都转给小王吧', [('reassign_accounts', dict(from_user='刘洋', to_user='王磊', account='海纳零售')), ('reassign_accounts', dict(from_user='刘洋', to_user='王磊', account='明远教育'))]),
    ('2026-11-25T10:00', 5, 'reassign Globex from Alice to Bob', [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith', account='Globex Industries'))]),
    ('2026-11-25T10:00', 3, '小王下个月调岗，他名下所有客户先转给娜娜', [('reassign_accounts', dict(from_user='王磊', to_user='李娜'))]),
    ('2026-11-25T10:00', 1, '这个月我签了多少单', [('pipeline_report', dict(period='this_month', scope='mine'))]),
    ('2026-11-25T10:00', 3, '上季度团队业绩回顾一下', [('pipeline_report', dict(period='last_quarter', scope='team'))]),
    ('2026-11-25T10:00', 5, 'show me the biggest open deals by account, top 10', [('top_accounts', dict(metric='pipeline', limit=10))]),
    ('2026-11-25T10:00', 4, 'my top 3 accounts by activity last month', [('top_accounts', dict(period='last_month', metric='activity', limit=3, scope='mine'))]),
    ('2026-11-25T10:00', 6, '明天要干啥', [('list_reminders', dict())]),
    ('2026-11-25T10:00', 1, '这周还有什么要跟进的', [('list_reminders', dict(period='this_week'))]),
    ('2026-11-25T10:00', 3, '有没有待我审批的报价', [('list_pending_approvals', dict())]),
    ('2026-11-25T10:00', 4, 'tell me about Northwind', [('account_overview', dict(account='Northwind Traders'))]),
    ('2026-11-25T10:00', 1, '北辰汽车最近怎么样了', [('account_overview', dict(account='北辰汽车'))]),
    ('2026-11-25T10:00', 2, '金桥周总一直不回微信，我该怎么办', [('suggest_next_steps', dict(account='金桥物流', question=X))]),
    ('2026-11-25T10:00', 4, 'Contoso Bank keeps pushing back on price, how should I handle it?', [('suggest_next_steps', dict(account='Contoso Bank', question=X))]),
    ('2026-11-25T10:00', 5, 'run a data quality check for the whole team', [('data_health', dict(scope='team'))]),
    ('2026-11-25T10:00', 4, 'any duplicate accounts in my book?', [('data_health', dict(scope='mine'))]),
    ('2026-11-25T10:00', 1, '好的，明白了', []),
    ('2026-11-25T10:00', 4, 'sounds good 👍', []),
    ('2026-11-25T10:00', 2, '今天好累啊', []),
    ('2026-11-25T10:00', 6, '在吗', []),
    ('2026-11-29T21:00', 1, '周五下午去北辰做了POC演示，许工很满意，下周三提醒我跟他确认测试结果', [('log_visit', dict(account='北辰汽车', contacts=['许涛'], occurred_on='2026-11-27', channel='onsite', summary=X)), ('update_opportunity', dict(account='北辰汽车', stage='evaluation')), ('create_reminder', dict(due_at='2026-12-02T09:00', text=X))]),
    ('2026-11-29T21:00', 4, 'remind me tomorrow morning to send Nancy the rollout plan', [('create_reminder', dict(due_at='2026-11-30T09:00', text=X))]),
    ('2026-11-29T21:00', 2, '下周五前提醒我把华康的投标文件准备好', [('create_reminder', dict(due_at='2026-12-04T09:00', text=X, account='华康医疗'))]),
    ('2026-12-30T18:00', 1, '1月3号提醒我去天衡拜年', [('create_reminder', dict(due_at='2027-01-03T09:00', text=X, account='天衡能源'))]),
    ('2026-12-30T18:00', 6, '海纳那单终于签了！年前搞定，120万', [('update_opportunity', dict(account='海纳零售', stage='won', amount=1200000, currency='CNY'))]),
    ('2026-12-30T18:00', 4, 'Fabrikam pushed to Q1', [('update_opportunity', dict(account='Fabrikam Manufacturing', expected_close='2027-03-31'))]),
    ('2026-12-30T18:00', 2, '今年团队赢单金额前五的客户', [('top_accounts', dict(period='this_year', metric='won', limit=5, scope='team'))]),
    ('2026-12-31T17:00', 4, 'remind me first thing monday to call Sam at Tailspin', [('create_reminder', dict(due_at='2027-01-04T09:00', text=X, account='Tailspin Airlines'))]),
    ('2026-11-28T15:00', 2, '今天周六也跑了一趟金桥，周总说仓储调度的试用效果不错，想扩大到3个仓', [('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-28', channel='onsite', summary=X)), ('update_opportunity', dict(account='金桥物流', opportunity=X, stage='evaluation'))]),
    ('2026-11-25T10:00', 1, '蓝鲸那边的报价帮我提一下，80万，打88折，含三年维保', [('create_quote', dict(account='蓝鲸数据', amount=800000, currency='CNY', discount_pct=12))]),
    ('2026-11-25T10:00', 4, 'send a quote to Northwind for 3 seats of the analytics suite, $45k total', [('create_quote', dict(account='Northwind Traders', amount=45000, currency='USD', product=X))]),
    ('2026-11-25T10:00', 2, '瑞丰要个报价 30w 九折', [('create_quote', dict(account='瑞丰食品', amount=300000, currency='CNY', discount_pct=10))]),
    ('2026-11-25T10:00', 1, '青松孙工刚微信说测试通过了，准备走合同，下周一提醒我发合同模板', [('log_visit', dict(account='青松制药', contacts=['孙悦'], occurred_on='2026-11-25', channel='message', summary=X)), ('update_opportunity', dict(account='青松制药', stage='negotiation')), ('create_reminder', dict(due_at='2026-11-30T09:00', text=X))]),
    ('2026-11-25T10:00', 6, '明远吴老师今天电话说预算砍了，项目暂停，明年再看', [('log_visit', dict(account='明远教育', contacts=['吴芳'], occurred_on='2026-11-25', channel='phone', summary=X))]),
    ('2026-11-25T10:00', 4, "Umbrella confirmed they're going with Epic, we lost it. remind me in a month to check in", [('update_opportunity', dict(account='Umbrella Health', stage='lost', competitor=X)), ('create_reminder', dict(due_at='2026-12-25T09:00', text=X))]),
    ('2026-11-25T10:00', 1, '天衡储能监控二期的单子，金额上调到300万，下个月中旬定', [('update_opportunity', dict(account='天衡能源', opportunity=X, amount=3000000, currency='CNY', expected_close='2026-12-20'))]),
    # round 3
    ('2026-11-25T10:00', 1, '今天上午去青松 赵主任 孙工都在 GMP项目基本敲定了 下周签合同', [('log_visit', dict(account='青松制药', contacts=['赵强', '孙悦'], occurred_on='2026-11-25', channel='onsite', summary=X)), ('update_opportunity', dict(account='青松制药', opportunity=X, stage='negotiation'))]),
    ('2026-11-25T10:00', 2, '瑞丰冯经理来电：试用ok，准备采购，金额大概50万', [('log_visit', dict(account='瑞丰食品', contacts=['冯雪'], channel='phone', summary=X)), ('update_opportunity', dict(account='瑞丰食品', amount=500000, currency='CNY'))]),
    ('2026-11-25T10:00', 4, "Acme renewal: John wants to go to 3 yrs, we're redlining the MSA now. ~$600k", [('update_opportunity', dict(account='Acme Corporation', stage='negotiation', amount=600000, currency='USD'))]),
    ('2026-11-25T10:00', 4, "Lunch w/ Ken (Contoso Bank) - they're evaluating us against Oracle and SAP", [('log_visit', dict(account='Contoso Bank', contacts=['Ken Myer'], channel='onsite', summary=X)), ('update_opportunity', dict(account='Contoso Bank', stage='evaluation', competitor=X))]),
    ('2026-11-25T10:00', 1, 'ＰＯ到了！北辰产线质检２００万', [('update_opportunity', dict(account='北辰汽车', opportunity=X, stage='won', amount=2000000, currency='CNY'))]),
    ('2026-11-25T10:00', 2, '金桥 这单 黄了 周总说公司被收购了 项目取消', [('update_opportunity', dict(account='金桥物流', stage='lost', lost_reason=X))]),
    ('2026-11-25T10:00', 4, 'Northwind went with Oracle Retail again 😤 price was the blocker', [('update_opportunity', dict(account='Northwind Traders', stage='lost', competitor=X, lost_reason=X))]),
    ('2026-11-25T10:00', 5, 'reject Q-104, too aggressive. approve Q-102', [('reject_quote', dict(quote_id=104, comment=X)), ('approve_quote', dict(quote_id=102))]),
    ('2026-11-25T10:00', 3, '104也批了吧', [('approve_quote', dict(quote_id=104))]),
    ('2026-11-25T10:00', 3, '北辰那个一百二十万的报价驳回，让小王重新报', [('reject_quote', dict(account='北辰汽车', comment=X))]),
    ('2026-11-25T10:00', 5, 'Initech quote - denied. They need to come back with a smaller discount', [('reject_quote', dict(account='Initech', comment=X))]),
    ('2026-11-25T10:00', 3, '小王的北辰和天衡，还有青松，都交给老刘', [('reassign_accounts', dict(from_user='王磊', to_user='刘洋', account='北辰汽车')), ('reassign_accounts', dict(from_user='王磊', to_user='刘洋', account='天衡能源')), ('reassign_accounts', dict(from_user='王磊', to_user='刘洋', account='青松制药'))]),
    ('2026-11-25T10:00', 5, "Alice's Globex and Initech accounts go to Bob starting Monday", [('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith', account='Globex Industries')), ('reassign_accounts', dict(from_user='Alice Chen', to_user='Bob Smith', account='Initech'))]),
    ('2026-11-25T10:00', 3, '娜娜的客户全部划到老刘名下', [('reassign_accounts', dict(from_user='李娜', to_user='刘洋'))]),
    ('2026-11-25T10:00', 1, '我这周的拜访量', [('top_accounts', dict(period='this_week', metric='activity', scope='mine'))]),
    ('2026-11-25T10:00', 3, '团队本月新增商机多少', [('pipeline_report', dict(period='this_month', scope='team'))]),
    ('2026-11-25T10:00', 5, "how's the team tracking against the Q4 target", [('pipeline_report', dict(period='this_quarter', scope='team'))]),
    ('2026-11-25T10:00', 4, 'top accounts last week', [('top_accounts', dict(period='last_week'))]),
    ('2026-11-25T10:00', 2, '我的待办清单', [('list_reminders', dict())]),
    ('2026-11-25T10:00', 4, 'anything I need to follow up on tomorrow?', [('list_reminders', dict())]),
    ('2026-11-25T10:00', 5, "what's pending my approval", [('list_pending_approvals', dict())]),
    ('2026-11-25T10:00', 2, '金桥物流的全部信息', [('account_overview', dict(account='金桥物流'))]),
    ('2026-11-25T10:00', 4, 'give me a rundown on Umbrella Health', [('account_overview', dict(account='Umbrella Health'))]),
    ('2026-11-25T10:00', 6, '云帆林总说要再考虑考虑，有什么好的跟进策略吗', [('suggest_next_steps', dict(account='云帆软件', question=X))]),
    ('2026-11-25T10:00', 4, 'Fabrikam procurement is stalling - ideas on how to speed things up?', [('suggest_next_steps', dict(account='Fabrikam Manufacturing', question=X))]),
    ('2026-11-25T10:00', 3, '团队客户资料有多少是不完整的', [('data_health', dict(scope='team'))]),
    ('2026-11-25T10:00', 1, '收到，马上办', []),
    ('2026-11-25T10:00', 4, 'np, ttyl', []),
    ('2026-11-25T10:00', 5, '👍👍', []),
    ('2026-11-25T10:00', 6, '明天见', []),
    ('2026-11-29T21:00', 6, '明天上午九点半提醒我去明远签合同', [('create_reminder', dict(due_at='2026-11-30T09:30', text=X, account='明远教育'))]),
    ('2026-11-29T21:00', 1, '周四跟蓝鲸李总吃饭 聊到扩容二期的需求 下一步出方案', [('log_visit', dict(account='蓝鲸数据', contacts=['李明'], occurred_on='2026-11-26', channel='onsite', summary=X, next_step=X))]),
    ('2026-11-29T21:00', 4, "had a call with Peter at Initech on thursday, they're ready to sign next week", [('log_visit', dict(account='Initech', contacts=['Peter Gibbons'], occurred_on='2026-11-26', channel='phone', summary=X)), ('update_opportunity', dict(account='Initech', stage='negotiation'))]),
    ('2026-11-29T21:00', 2, '下周一下午三点跟华康马院长开腾讯会议，提前一小时提醒我', [('create_reminder', dict(due_at='2026-11-30T14:00', text=X, account='华康医疗'))]),
    ('2026-12-30T18:00', 1, '明年1月中旬北辰要验收，提醒我1月10号准备验收材料', [('create_reminder', dict(due_at='2027-01-10T09:00', text=X, account='北辰汽车'))]),
    ('2026-12-30T18:00', 4, "Globex closed-lost, Hank's board killed the budget", [('update_opportunity', dict(account='Globex Industries', stage='lost', lost_reason=X))]),
    ('2026-12-30T18:00', 3, '今年全年团队业绩怎么样', [('pipeline_report', dict(period='this_year', scope='team'))]),
    ('2026-12-30T18:00', 6, '这周还剩什么没做的', [('list_reminders', dict(period='this_week'))]),
    ('2026-12-03T11:00', 2, '昨天在杭州的数博会上见到了蓝海黄总，他对我们的数据治理方案很感兴趣', [('log_visit', dict(account='蓝海数据', contacts=['黄磊'], occurred_on='2026-12-02', channel='event', summary=X))]),
    ('2026-12-03T11:00', 4, 'remind me next thurs 4pm to send Jane the MES proposal', [('create_reminder', dict(due_at='2026-12-10T16:00', text=X))]),
    ('2026-12-03T11:00', 1, '天衡那单下周四能签，金额不变', [('update_opportunity', dict(account='天衡能源', expected_close='2026-12-10'))]),
    ('2026-12-27T20:00', 4, 'remind me tmrw at 9 to call Rachel re: Contoso Insurance renewal', [('create_reminder', dict(due_at='2026-12-28T09:00', text=X, account='Contoso Insurance'))]),
    ('2026-12-27T20:00', 1, '周五下午四点提醒我跟天衡郑总约年后拜访', [('create_reminder', dict(due_at='2027-01-01T16:00', text=X, account='天衡能源'))]),
    ('2027-01-02T10:00', 2, '下周一提醒我给华康发新年贺卡', [('create_reminder', dict(due_at='2027-01-04T09:00', text=X, account='华康医疗'))]),
    ('2027-01-02T10:00', 6, '昨天元旦还在跟云帆林总微信聊方案', [('log_visit', dict(account='云帆软件', contacts=['林峰'], occurred_on='2027-01-01', channel='message', summary=X))]),
    ('2026-11-25T10:00', 1, '帮我给天衡提个报价：储能监控二期 一百五十万 九二折', [('create_quote', dict(account='天衡能源', amount=1500000, currency='CNY', discount_pct=8, product=X))]),
    ('2026-11-25T10:00', 4, 'quote pls - Contoso Insurance, 95k USD, 7.5% off, policy admin module', [('create_quote', dict(account='Contoso Insurance', amount=95000, currency='USD', discount_pct=7.5, product=X))]),
    ('2026-11-25T10:00', 2, '金桥报价：45万，不打折，备注：一次性付款', [('create_quote', dict(account='金桥物流', amount=450000, currency='CNY', note=X))]),
    ('2026-11-25T10:00', 1, '今天跟北辰邓总电话，她说产线质检预算批了，预计12月底签约，金额220万', [('log_visit', dict(account='北辰汽车', contacts=['邓丽'], occurred_on='2026-11-25', channel='phone', summary=X)), ('update_opportunity', dict(account='北辰汽车', opportunity=X, amount=2200000, currency='CNY', expected_close='2026-12-31'))]),
    ('2026-11-25T10:00', 6, '海纳何总刚来电话说决定用我们的方案了！下周签合同，80万', [('log_visit', dict(account='海纳零售', contacts=['何伟'], occurred_on='2026-11-25', channel='phone', summary=X)), ('update_opportunity', dict(account='海纳零售', amount=800000, currency='CNY'))]),
    ('2026-11-25T10:00', 2, '上周三拜访了金桥周总，介绍了仓储调度新功能；昨天又跟他视频了一次，他们决定先试用', [('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-18', channel='onsite', summary=X)), ('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-11-24', channel='video', summary=X)), ('update_opportunity', dict(account='金桥物流', stage='evaluation'))]),
    ('2026-11-25T10:00', 4, 'Jane from Fabrikam emailed: pilot results are in, they want to move to contract. remind me tomorrow 11am to draft the MSA', [('log_visit', dict(account='Fabrikam Manufacturing', contacts=['Jane Roe'], channel='email', summary=X)), ('update_opportunity', dict(account='Fabrikam Manufacturing', stage='negotiation')), ('create_reminder', dict(due_at='2026-11-26T11:00', text=X))]),
    ('2026-11-25T10:00', 1, '提醒我下周二给青松孙工打电话，顺便问下测试进度', [('create_reminder', dict(due_at='2026-12-01T09:00', text=X, account='青松制药'))]),
    ('2026-11-25T10:00', 3, '提醒我周五开团队例会 另外102批了', [('create_reminder', dict(due_at='2026-11-27T09:00', text=X)), ('approve_quote', dict(quote_id=102))]),
    # round 4
    ('2026-12-01T14:00', 1, '上午拜访了天衡郑总，聊了储能监控二期的预算，他说年底前能定。下一步：出正式报价', [('log_visit', dict(account='天衡能源', contacts=['郑凯'], occurred_on='2026-12-01', channel='onsite', summary=X, next_step=X)), ('update_opportunity', dict(account='天衡能源', opportunity=X, expected_close='2026-12-31'))]),
    ('2026-12-01T14:00', 2, '金桥周总刚打电话来，说仓储调度项目下周一启动试用', [('log_visit', dict(account='金桥物流', contacts=['周海'], occurred_on='2026-12-01', channel='phone', summary=X)), ('update_opportunity', dict(account='金桥物流', opportunity=X, stage='evaluation'))]),
    ('2026-12-01T14:00', 4, "Demo'd the analytics add-on to Hank at Globex yesterday, he loved it. remind me thursday to send pricing", [('log_visit', dict(account='Globex Industries', contacts=['Hank Scorpio'], occurred_on='2026-11-30', summary=X)), ('update_opportunity', dict(account='Globex Industries', stage='evaluation')), ('create_reminder', dict(due_at='2026-12-03T09:00', text=X))]),
    ('2026-12-01T14:00', 3, 'Q-101 和 Q-103 都通过', [('approve_quote', dict(quote_id=101)), ('approve_quote', dict(quote_id=103))]),
    ('2026-12-01T14:00', 5, "Acme's quote: approved, but tell Alice no more than 18% next time", [('approve_quote', dict(account='Acme Corporation', comment=X))]),
    ('2026-12-01T14:00', 3, '天衡的报价打回去，折扣太大，最多给到九折', [('reject_quote', dict(account='天衡能源', comment=X))]),
    ('2026-12-01T14:00', 1, '12月20号下午两点提醒我去青松参加年会', [('create_reminder', dict(due_at='2026-12-20T14:00', text=X, account='青松制药'))]),
    ('2026-12-01T14:00', 2, '下下周三提醒我跟瑞丰冯经理对一下明年的框架协议', [('create_reminder', dict(due_at='2026-12-16T09:00', text=X, account='瑞丰食品'))]),
    ('2026-12-01T14:00', 6, '这周五之前提醒我把明远的合同寄出去', [('create_reminder', dict(due_at='2026-12-04T09:00', text=X, account='明远教育'))]),
    ('2026-12-01T14:00', 4, 'remind me in 2 hours to call Mary back', [('create_reminder', dict(due_at='2026-12-01T16:00', text=X))]),
    ('2026-12-01T14:00', 1, '北辰邓总说产线质检那单12月中旬签，金额还是200万', [('update_opportunity', dict(account='北辰汽车', opportunity=X, amount=2000000, currency='CNY', expected_close='2026-12-20'))]),
    ('2026-12-01T14:00', 2, '蓝海数据新开了一个商机：数据中台二期，预计金额150万，明年Q1落地', [('update_opportunity', dict(account='蓝海数据', opportunity=X, stage='prospect', amount=1500000, currency='CNY', expected_close='2027-03-31'))]),
    ('2026-12-01T14:00', 4, 'Umbrella moved into pilot, 60 days, €150k if it converts', [('update_opportunity', dict(account='Umbrella Health', stage='evaluation', amount=150000, currency='EUR'))]),
    ('2026-12-01T14:00', 4, 'Tailspin deal slipped again - now end of Feb', [('update_opportunity', dict(account='Tailspin Airlines', expected_close='2027-02-28'))]),
    ('2026-12-01T14:00', 6, '云帆的单子丢了😭 林总说他们自己开发', [('update_opportunity', dict(account='云帆软件', stage='lost', lost_reason=X))]),
    ('2026-12-01T14:00', 1, '蓝鲸那单输给阿里云了，价格差太多', [('update_opportunity', dict(account='蓝鲸数据', stage='lost', competitor=X, lost_reason=X))]),
    ('2026-12-01T14:00', 3, '把老刘手上的海纳零售转给Alice', [('reassign_accounts', dict(from_user='刘洋', to_user='Alice Chen', account='海纳零售'))]),
    ('2026-12-01T14:00', 5, 'Initech goes to 刘洋 from now on', [('reassign_accounts', dict(from_user='Alice Chen', to_user='刘洋', account='Initech'))]),
    ('2026-12-01T14:00', 3, '本季度团队成交最多的三个客户', [('top_accounts', dict(period='this_quarter', metric='won', limit=3, scope='team'))]),
    ('2026-12-01T14:00', 4, 'top 5 accounts by deal value', [('top_accounts', dict(metric='pipeline', limit=5))]),
    ('2026-12-01T14:00', 1, '我上个月的业绩', [('pipeline_report', dict(period='last_month', scope='mine'))]),
    ('2026-12-01T14:00', 5, 'pipeline review for the team this week', [('pipeline_report', dict(period='this_week', scope='team'))]),
    ('2026-12-01T14:00', 6, '今天我要做啥', [('list_reminders', dict(period='today'))]),
    ('2026-12-01T14:00', 4, 'show my reminders for next week', [('list_reminders', dict(period='next_week'))]),
    ('2026-12-01T14:00', 3, '小王提交的报价有哪些还没批', [('list_pending_approvals', dict())]),
    ('2026-12-01T14:00', 2, '瑞丰食品的客户概况', [('account_overview', dict(account='瑞丰食品'))]),
    ('2026-12-01T14:00', 4, 'what do we know about Globex?', [('account_overview', dict(account='Globex Industries'))]),
    ('2026-12-01T14:00', 1, '北辰邓总一直压价，我该怎么应对', [('suggest_next_steps', dict(account='北辰汽车', question=X))]),
    ('2026-12-01T14:00', 4, "Northwind won't return my calls, what's my best move?", [('suggest_next_steps', dict(account='Northwind Traders', question=X))]),
    ('2026-12-01T14:00', 6, '看看我的客户数据有没有缺漏', [('data_health', dict(scope='mine'))]),
    ('2026-12-01T14:00', 1, 'ok👌', []),
    ('2026-12-01T14:00', 2, '哈喽', []),
    ('2026-12-01T14:00', 4, 'brb', []),
    ('2026-12-01T14:00', 5, 'nice work team!', []),
    ('2026-11-27T18:00', 1, '今天下午在北辰开了一下午的会，许工邓总都在，POC通过了，准备走合同，金额定在210万。下周二提醒我发合同初稿', [('log_visit', dict(account='北辰汽车', contacts=['许涛', '邓丽'], occurred_on='2026-11-27', channel='onsite', summary=X)), ('update_opportunity', dict(account='北辰汽车', stage='negotiation', amount=2100000, currency='CNY')), ('create_reminder', dict(due_at='2026-12-01T09:00', text=X))]),
    ('2026-11-27T18:00', 4, "remind me sunday at 7pm to prep for Monday's Acme call", [('create_reminder', dict(due_at='2026-11-29T19:00', text=X, account='Acme Corporation'))]),
    ('2026-11-27T18:00', 2, '周末提醒我看一下华康的招标文件', [('create_reminder', dict(due_at='2026-11-28T09:00', text=X, account='华康医疗'))]),
    ('2026-11-29T21:00', 6, '上周二去明远做了培训，吴老师反馈很好', [('log_visit', dict(account='明远教育', contacts=['吴芳'], occurred_on='2026-11-17', channel='onsite', summary=X))]),
    ('2026-12-26T11:00', 4, 'EOD monday remind me to send the Fabrikam renewal', [('create_reminder', dict(due_at='2026-12-28T17:00', text=X, account='Fabrikam Manufacturing'))]),
    ('2026-12-26T11:00', 1, '1号提醒我给蓝鲸李总发新年问候', [('create_reminder', dict(due_at='2027-01-01T09:00', text=X, account='蓝鲸数据'))]),
    ('2026-12-31T09:00', 3, '今年团队业绩最好的前五个客户', [('top_accounts', dict(period='this_year', metric='won', limit=5, scope='team'))]),
    ('2026-11-25T10:00', 1, '蓝鲸李总 微信 说扩容项目预算批了 下周可以谈价格', [('log_visit', dict(account='蓝鲸数据', contacts=['李明'], channel='message', summary=X)), ('update_opportunity', dict(account='蓝鲸数据', opportunity=X, stage='negotiation'))]),
    ('2026-11-25T10:00', 4, "Hank at Globex just confirmed by email: they're going with us! $520k", [('log_visit', dict(account='Globex Industries', contacts=['Hank Scorpio'], occurred_on='2026-11-25', channel='email', summary=X)), ('update_opportunity', dict(account='Globex Industries', stage='won', amount=520000, currency='USD'))]),
    ('2026-11-25T10:00', 6, '给海纳出个报价，门店补货系统，九十五万，打九折，麻烦张总审批', [('create_quote', dict(account='海纳零售', amount=950000, currency='CNY', discount_pct=10, product=X))]),
    ('2026-11-25T10:00', 4, 'can you raise a quote for Globex? 250k, 12% off, note: includes onboarding', [('create_quote', dict(account='Globex Industries', amount=250000, currency='CNY', discount_pct=12, note=X))]),
    ('2026-11-25T10:00', 1, '青松报价110万，打92折，GMP合规系统升级', [('create_quote', dict(account='青松制药', amount=1100000, currency='CNY', discount_pct=8, product=X))]),
    ('2026-11-25T10:00', 3, '驳回104，让小王重新核算成本', [('reject_quote', dict(quote_id=104, comment=X))]),
    ('2026-11-25T10:00', 5, 'approve the Acme and Initech quotes', [('approve_quote', dict(account='Acme Corporation')), ('approve_quote', dict(account='Initech'))]),
]


@pytest.fixture(scope="module")
def predictions(fixture_data) -> dict[str, list[dict]]:
    rows = [{"id": f"m{i:03d}", "now": now, "user": user, "text": text} for i, (now, user, text, _) in enumerate(CASES)]
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


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"m{i:03d}" for i in range(len(CASES))])
def test_held_out_sentence(predictions, index):
    _now, _user, text, expected = CASES[index]
    got = predictions[f"m{index:03d}"]
    assert Counter(c["name"] for c in got) == Counter(name for name, _ in expected), (text, got)
    unused = list(got)
    for name, args in expected:
        match = next((c for c in unused if c["name"] == name and _matches(args, c["args"])), None)
        assert match is not None, (text, name, args, got)
        unused.remove(match)
