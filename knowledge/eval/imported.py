"""A second evaluation: a CRM history as another system exports it, worded unlike the demo.

26 accounts, 18 closed deals and 8 open ones in the fixture format, with visit notes and next
steps written in other words than the demo's templates (cost / 费用 rather than 价格 / price, a
sandbox or trial rather than a POC, an infosec questionnaire rather than a security review) and
**no stage history**: only each deal's final stage and dates, as `salesbot import` receives them
from another CRM. Every deal is about one topic (`TOPIC`), set when it was written; a question
about a topic is relevant to the closed deals on that topic, won or lost. So labels are facts of
the data, never what a retriever returned.

The open deals each come with the question a rep asks about them (Chinese and English), and the
evaluation asks whether the advice cites a relevant past deal (`knowledge.eval.run`).
"""
from __future__ import annotations

from typing import Any

TODAY = "2026-11-25"

USERS = [
    {"id": 1, "name": "周敏", "aliases": ["小周"], "role": "rep", "manager_id": 3, "lang": "zh"},
    {"id": 2, "name": "Dana Brooks", "aliases": ["Dana"], "role": "rep", "manager_id": 3, "lang": "en"},
    {"id": 3, "name": "高远", "aliases": ["高总"], "role": "manager", "lang": "zh"},
]

# (id, name, industry, region, owner, contact, title)
ACCOUNTS = [
    (1, "恒远机械", "制造", "佛山", 1, "刘建国", "信息部经理"), (2, "瑞丰食品", "食品饮料", "郑州", 1, "孙红", "财务总监"),
    (3, "嘉禾连锁", "零售", "成都", 1, "何磊", "运营副总"), (4, "中科云图", "软件", "北京", 1, "王斌", "CTO"),
    (5, "华信证券", "金融", "上海", 1, "陈立", "合规负责人"), (6, "安泰保险", "金融", "深圳", 1, "郑洁", "信息安全主管"),
    (7, "鼎新物流", "物流", "武汉", 1, "黄志强", "IT 总监"), (8, "康达医疗器械", "医疗", "苏州", 1, "林芳", "采购经理"),
    (9, "北辰能源", "能源", "西安", 1, "赵刚", "数字化负责人"),
    (10, "Northwind Traders", "Distribution", "US-East", 2, "Maria Lopez", "VP Operations"),
    (11, "Contoso Health", "Healthcare", "US-West", 2, "Ravi Patel", "CISO"),
    (12, "Fabrikam Foods", "Food & Beverage", "US-Central", 2, "Tom Becker", "CFO"),
    (13, "Litware Labs", "Software", "US-West", 2, "Nina Park", "Head of Engineering"),
    (14, "Woodgrove Bank", "Financial services", "UK", 2, "Oliver Grant", "Head of InfoSec"),
    (15, "Adatum Logistics", "Logistics", "EU", 2, "Sofia Rossi", "IT Director"),
    (16, "Proseware Retail", "Retail", "US-South", 2, "Kevin Hall", "COO"),
    (17, "Tailspin Aviation", "Aviation", "US-West", 2, "Grace Kim", "Procurement Lead"),
    (18, "Lucerne Energy", "Energy", "EU", 2, "Marc Weber", "Digital Lead"),
    (19, "金石精工", "制造", "宁波", 1, "钱伟", "信息部经理"), (20, "众合商贸", "零售", "长沙", 1, "吴婷", "运营总监"),
    (21, "星河证券", "金融", "上海", 1, "冯涛", "信息安全主管"), (22, "博远软件", "软件", "杭州", 1, "许晨", "技术总监"),
    (23, "Alpine Ski House", "Retail", "US-West", 2, "Chris Moore", "CFO"),
    (24, "Coho Winery", "Food & Beverage", "US-West", 2, "Ana Silva", "IT Manager"),
    (25, "Trey Research", "Healthcare", "US-East", 2, "Sam Lee", "Security Officer"),
    (26, "Wide World Importers", "Distribution", "EU", 2, "Eva Novak", "Head of Ops"),
]


def _v(day: str, summary: str, next_step: str | None = None, channel: str = "onsite") -> dict[str, Any]:
    return {"occurred_on": day, "summary": summary, "next_step": next_step, "channel": channel}


# (deal id, account, owner, name, stage, amount, currency, closed_on, topic, extra, visits)
DEALS: list[tuple] = [
    # --- cost / price ---
    (201, 1, 1, "车间设备联网平台", "won", 680000, "CNY", "2026-05-20", "price", {}, [
        _v("2026-02-10", "刘经理觉得整体费用超出今年的信息化额度，差不多高了三成。"),
        _v("2026-03-05", "把费用拆成首年订阅加后续按产线扩容，首年支出压到额度以内，刘经理表示可以接受。",
           "按产线报一版分期费用"),
        _v("2026-04-18", "分期方案过了他们的预算会，进入合同条款。", "法务过合同")]),
    (202, 12, 2, "Plant Scheduling Suite", "won", 95000, "USD", "2026-06-12", "price", {}, [
        _v("2026-03-02", "Tom thinks the annual fee is steep next to what they pay for spreadsheets."),
        _v("2026-04-08", "Built a payback sheet with Tom: overtime hours saved cover the fee in nine months; he took it to the board.",
           "Send the payback sheet as a one-pager"),
        _v("2026-05-15", "Board approved after we offered quarterly billing instead of upfront.", "Paperwork")]),
    (203, 3, 1, "门店补货系统", "lost", 420000, "CNY", "2026-07-02", "price",
     {"lost_reason": "对方嫌费用高，选了更便宜的本地厂商", "competitor": "本地软件商"}, [
        _v("2026-04-11", "何总说同类产品便宜一半，问能不能再让一些。"),
        _v("2026-05-20", "我们只让了5%，对方觉得诚意不够。", "等对方回复")]),
    (204, 16, 2, "Store Labor Planning", "lost", 70000, "USD", "2026-08-30", "price",
     {"lost_reason": "Went with a cheaper point tool", "competitor": "ShiftPoint"}, [
        _v("2026-06-01", "Kevin says ShiftPoint quoted half our number."),
        _v("2026-07-19", "We held our number and never showed the savings case; Kevin went quiet.", "Chase Kevin")]),
    # --- integration with their systems ---
    (205, 7, 1, "运输调度平台", "won", 760000, "CNY", "2026-04-28", "integration", {}, [
        _v("2026-01-15", "黄总担心和他们用了八年的金蝶打不通，老系统没人敢动。"),
        _v("2026-02-22", "我们的实施顾问带了现成的金蝶连接器，在他们测试库里两天跑通了运单同步，黄总放心了。",
           "写一份数据映射清单"),
        _v("2026-03-30", "接口联调完成，开始谈合同。", "商务谈判")]),
    (206, 15, 2, "Warehouse Visibility", "won", 130000, "USD", "2026-05-29", "integration", {}, [
        _v("2026-02-03", "Sofia's team fears another project that never talks to their SAP."),
        _v("2026-03-12", "Our engineer sat with her team and synced live SAP deliveries through the standard connector in one afternoon.",
           "Share the field mapping document"),
        _v("2026-04-20", "IT signed off the data flow; moving to commercials.", "Draft order form")]),
    (207, 19, 1, "质量追溯系统", "lost", 520000, "CNY", "2026-09-10", "integration",
     {"lost_reason": "与现有 MES 对接工作量太大，项目搁置"}, [
        _v("2026-06-05", "钱经理问能不能和他们自研的 MES 对接，我们说要定制开发。"),
        _v("2026-07-22", "定制开发评估要三个月，对方觉得太折腾。", "等对方内部讨论")]),
    # --- getting to a trial / pilot / POC ---
    (208, 4, 1, "研发协同平台", "won", 560000, "CNY", "2026-03-25", "poc", {}, [
        _v("2026-01-08", "王总对效果半信半疑，说以前买的工具都没用起来。"),
        _v("2026-01-29", "提议先给一个团队开两周试用账号，约定用需求交付周期缩短来判断成败，王总同意了。",
           "开通试用账号，定好衡量指标"),
        _v("2026-02-20", "试用团队交付周期缩短了两成，王总决定全员上。", "准备合同")]),
    (209, 13, 2, "Release Analytics", "won", 88000, "USD", "2026-04-15", "poc", {}, [
        _v("2026-01-20", "Nina doubts the tool will fit how her teams ship."),
        _v("2026-02-06", "Offered a 30-day sandbox on one squad with three agreed success measures; Nina said yes on the spot.",
           "Set up the sandbox and write down the measures"),
        _v("2026-03-10", "Sandbox hit all three measures; Nina asked for a quote.", "Send the quote")]),
    (210, 9, 1, "能耗监测系统", "won", 900000, "CNY", "2026-06-30", "poc", {}, [
        _v("2026-03-03", "赵总想先看看在他们电厂能不能跑起来。"),
        _v("2026-04-01", "在一号机组先装了一套做试运行，一个月后能耗数据对上了，赵总在内部会上力推。",
           "整理试运行报告"),
        _v("2026-05-18", "试运行报告通过，开始走采购。", "配合采购流程")]),
    (211, 18, 2, "Grid Asset Monitoring", "lost", 150000, "USD", "2026-08-08", "poc",
     {"lost_reason": "No pilot was agreed and the budget went elsewhere"}, [
        _v("2026-05-12", "Marc wanted to see it on one substation first."),
        _v("2026-06-20", "We pushed for a full rollout instead of a trial; Marc lost interest.", "Follow up")]),
    # --- security review / compliance ---
    (212, 5, 1, "投研数据平台", "won", 1200000, "CNY", "2026-05-08", "security", {}, [
        _v("2026-02-14", "陈总说上线前必须过他们合规部的信息安全审查，还要满足等保三级。"),
        _v("2026-03-10", "提前把等保测评报告和渗透测试结论发给合规部，又安排架构师答疑，审查一次就过了。",
           "补充数据留存说明"),
        _v("2026-04-12", "合规部签字，进入商务。", "走合同审批")]),
    (213, 11, 2, "Patient Intake Automation", "won", 175000, "USD", "2026-06-05", "security", {}, [
        _v("2026-03-01", "Ravi sent a 200-question infosec questionnaire and wants HIPAA answers."),
        _v("2026-03-24", "We answered the questionnaire from our trust pack within a week and walked Ravi through the audit report; he cleared us.",
           "Send the data processing agreement"),
        _v("2026-05-02", "Legal agreed the DPA; final pricing call next.", "Pricing call")]),
    (214, 6, 1, "理赔影像系统", "lost", 830000, "CNY", "2026-07-15", "security",
     {"lost_reason": "信息安全审查没通过"}, [
        _v("2026-04-02", "郑主管要求数据不能出他们的机房。"),
        _v("2026-05-28", "我们只有公有云版本，审查没通过。", "无")]),
    (215, 14, 2, "Branch Onboarding Portal", "lost", 160000, "USD", "2026-08-20", "security",
     {"lost_reason": "Failed the bank's vendor risk assessment"}, [
        _v("2026-05-05", "Oliver needs our pen test results before anything else."),
        _v("2026-06-30", "Our pen test was a year old and the risk team would not wait; we were dropped.", "None")]),
    # --- other topics, relevant to none of the questions ---
    (216, 2, 1, "财务共享中心", "won", 480000, "CNY", "2026-04-05", "training", {}, [
        _v("2026-01-12", "孙总担心财务人员学不会新系统。"),
        _v("2026-02-15", "安排了三场上机培训，财务人员上手很快。", "上线支持")]),
    (217, 10, 2, "Order Desk Revamp", "won", 110000, "USD", "2026-05-11", "timeline", {}, [
        _v("2026-02-09", "Maria needs it live before the holiday peak."),
        _v("2026-03-15", "Split go-live into two waves so the first wave lands before the peak.", "Plan wave one")]),
    (218, 8, 1, "耗材管理系统", "lost", 300000, "CNY", "2026-09-01", "champion",
     {"lost_reason": "对接人林芳离职，项目没人推动"}, [
        _v("2026-06-10", "林经理很积极，准备立项。"),
        _v("2026-08-01", "林经理离职了，新来的经理不了解项目。", "约新经理")]),
    # --- open deals: each with the question a rep asks about it ---
    (301, 20, 1, "会员营销平台", "negotiation", 450000, "CNY", None, "price", {}, [
        _v("2026-10-20", "吴总觉得我们的年费太高，说另一家便宜不少。", "再沟通费用")]),
    (302, 23, 2, "Season Pass Analytics", "negotiation", 90000, "USD", None, "price", {}, [
        _v("2026-10-28", "Chris says the yearly fee is more than he planned to spend.", "Revisit the number")]),
    (303, 24, 2, "Cellar Inventory Sync", "evaluation", 60000, "USD", None, "integration", {}, [
        _v("2026-11-02", "Ana worries it will not connect to their SAP Business One.", "Check connector options")]),
    (304, 22, 1, "代码质量平台", "evaluation", 380000, "CNY", None, "poc", {}, [
        _v("2026-11-05", "许总说要先看看实际效果再决定。", "约下次沟通")]),
    (305, 21, 1, "交易监控系统", "evaluation", 1000000, "CNY", None, "security", {}, [
        _v("2026-11-10", "冯主管说必须先过他们的信息安全审查。", "准备材料")]),
    (306, 25, 2, "Lab Results Portal", "evaluation", 140000, "USD", None, "security", {}, [
        _v("2026-11-12", "Sam says their compliance team must clear any new vendor.", "Ask for their checklist")]),
    (307, 17, 2, "Crew Scheduling", "evaluation", 200000, "USD", None, "poc", {}, [
        _v("2026-11-14", "Grace is not sure it will work for their crews and wants proof first.", "Propose next step")]),
    (308, 26, 2, "Customs Docs Automation", "evaluation", 120000, "USD", None, "integration", {}, [
        _v("2026-11-16", "Eva's IT asks how it plugs into their ERP.", "Send integration overview")]),
]

# The question a rep asks about each open deal (the account is named as a rep would).
QUESTIONS = {
    301: ("众合", "客户说我们比别家贵，这单怎么推进", "zh"),
    302: ("Alpine", "how do I handle their price objection", "en"),
    303: ("Coho", "they're worried about connecting to their ERP, what worked before?", "en"),
    304: ("博远", "客户想先试用再决定，怎么推进到试点", "zh"),
    305: ("星河", "信息安全审查怎么过", "zh"),
    306: ("Trey", "how do we get through their security review", "en"),
    307: ("Tailspin", "how do we get them to a POC", "en"),
    308: ("Wide World", "他们担心跟ERP对接的问题，怎么办", "zh"),
}

# Retrieval questions over the closed deals, by topic (the relevant deals follow from the topic).
SEARCHES = [
    ("price", "zh", "因为费用太高丢掉的单子"), ("price", "en", "deals we lost because we were too expensive"),
    ("price", "zh", "客户嫌贵最后怎么谈下来的"), ("price", "en", "how did we get a cost objection past the CFO"),
    ("integration", "zh", "担心和现有系统打不通"), ("integration", "en", "worried it would not connect to their ERP"),
    ("poc", "zh", "先试用再买的客户"), ("poc", "en", "trial with agreed success measures"),
    ("security", "zh", "信息安全审查没通过"), ("security", "en", "infosec questionnaire and audit report"),
    ("security", "en", "vendor risk assessment failed"), ("poc", "en", "pilot before a full rollout"),
]


def topic_of(deal_id: int) -> str:
    return next(d[8] for d in DEALS if d[0] == deal_id)


def relevant(topic: str) -> list[int]:
    """Closed deals on `topic`, won or lost."""
    return sorted(d[0] for d in DEALS if d[8] == topic and d[4] in ("won", "lost"))


def fixture() -> dict[str, Any]:
    """The history in `salesbot import`'s format: no stage histories, as another CRM exports it."""
    accounts = [{"id": i, "name": n, "aliases": [], "industry": ind, "region": reg, "owner_id": owner,
                 "contacts": [{"name": c, "aliases": [], "title": t}]}
                for i, n, ind, reg, owner, c, t in ACCOUNTS]
    contact = {a[0]: a[5] for a in ACCOUNTS}
    opportunities, visits = [], []
    for deal_id, account, owner, name, stage, amount, currency, closed, _topic, extra, notes in DEALS:
        opportunities.append({"id": deal_id, "account_id": account, "owner_id": owner, "name": name, "stage": stage,
                              "amount": amount, "currency": currency, "closed_on": closed,
                              "created_on": notes[0]["occurred_on"], **extra})
        for visit in notes:
            visits.append({"id": len(visits) + 1, "account_id": account, "opportunity_id": deal_id, "rep_id": owner,
                           "contacts": [contact[account]], **visit})
    return {"about": "An imported CRM history with no stage changes (knowledge evaluation).",
            "timezone": "Asia/Shanghai", "default_currency": "CNY", "users": USERS, "accounts": accounts,
            "opportunities": opportunities, "quotes": [], "visits": visits}
