"""A generated training corpus for the intent classifier: requests of every tool, written from
templates with varied vocabulary, word order, shorthand and noise, over a synthetic CRM whose names
appear in no eval file.

`generate(n, seed)` is deterministic. Each example is (text, tool names); a text may join two or
three requests, as reps do ("…，另外…", "… and …"). Noise: punctuation dropped (voice-style text),
English sales shorthand (w/, mtg, tmrw, acct, pls, re:), Traditional characters (through OpenCC when
it is installed), a dropped character.
"""
from __future__ import annotations

import random
import re

from storage.names import Directory, Entry

ZH_ACCOUNTS = ["星河科技", "远航物流", "松果教育", "银杉制药", "铁塔能源", "白鹭医疗", "金穗食品", "长风汽车",
               "蓝图软件", "晨光零售", "鼎盛控股", "青禾农业", "海川数据", "华岳电气", "瀚海航空", "绿洲环保"]
EN_ACCOUNTS = ["Vandelay Industries", "Stark Logistics", "Wayne Retail", "Hooli", "Pied Piper", "Soylent Foods",
               "Cyberdyne Systems", "Wonka Confections", "Oscorp Labs", "Dunder Mifflin", "Gringotts Bank",
               "Monarch Airlines", "Aperture Health", "Sterling Cooper"]
ZH_CONTACTS = ["李明", "赵磊", "钱芳", "孙强", "周敏", "吴刚", "郑丽", "冯涛", "陈晨", "杨帆", "何静", "马超"]
ZH_TITLES = ["总", "经理", "工", "主任", "总监", "老师"]
EN_CONTACTS = ["Tom Baker", "Sarah Kim", "Raj Patel", "Maria Lopez", "Dave Miller", "Emma Stone", "Ken Adams",
               "Lucy Park", "Omar Farouk", "Nina Berg"]
ZH_USERS = ["周杰", "林峰", "高原", "宋佳"]
EN_USERS = ["Chris Wong", "Dana Scully", "Ravi Shah"]


def directory() -> Directory:
    """The synthetic CRM the generated texts name (their names are masked like real ones)."""
    accounts = [Entry("account", i + 1, name) for i, name in enumerate(ZH_ACCOUNTS + EN_ACCOUNTS)]
    contacts, cid = [], 1
    for i, a in enumerate(accounts):
        pool = ZH_CONTACTS if i < len(ZH_ACCOUNTS) else EN_CONTACTS
        for name in (pool[i % len(pool)], pool[(i + 5) % len(pool)]):
            contacts.append(Entry("contact", cid, name, account_id=a.id))
            cid += 1
    users = [Entry("user", 100 + i, n) for i, n in enumerate(ZH_USERS + EN_USERS)]
    return Directory(accounts=accounts, contacts=contacts, users=users)


# --- slot values -------------------------------------------------------------------------------

ZH = {
    "Dp": ["今天", "昨天", "前天", "上周三", "周一", "今天上午", "昨天下午", "刚才", "上周五", "早上", "11月3号", "前两天"],
    "Df": ["明天", "后天", "下周三", "周五", "下周一", "月底", "下个月10号", "12月8日", "大后天", "这周四", "两周后"],
    "T": ["下午3点", "上午十点", "早上九点半", "晚上8点", "中午", "两点", "10:30"],
    "M": ["50万", "三十万", "120w", "1.5亿", "八十八万", "200万", "45万元", "七十万块"],
    "K": ["打九折", "九五折", "85折", "降价10%", "优惠8个点", "不打折"],
    "P": ["本周", "这周", "上周", "本月", "这个月", "上个月", "本季度", "这个季度", "上季度", "今年", "下周", "今天", "Q3", "10月份"],
    "Q": ["205", "318", "42", "777"],
    "Qzh": ["二零五", "三一八", "一零九", "七七七", "一百零八"],
    "topic": ["扩容方案", "上线时间", "售后服务", "数据迁移", "续费", "接口对接", "培训安排", "二期需求", "价格", "交付周期",
              "试点范围", "安全审计", "付款方式", "合同条款", "新版本功能", "运维支持"],
    "product": ["订单管理系统", "仓储平台二期", "质检模块", "会员积分模块", "数据中台", "排课系统"],
    "comp": ["华为", "用友", "金蝶", "东软", "浪潮", "帆软", "钉钉"],
    "ch_visit": ["拜访了", "去了趟", "上门见了", "跑了一趟", "去见了", "登门拜访"],
    "ch_call": ["打了个电话给", "电话联系了", "跟{C}通了电话，", "微信聊了下", "开了个视频会", "腾讯会议聊了"],
}
EN = {
    "Dp": ["today", "yesterday", "this morning", "on Monday", "last Friday", "earlier today", "on Tuesday", "Nov 3"],
    "Df": ["tomorrow", "next Wednesday", "on Friday", "next week", "end of month", "Dec 8", "in two weeks", "Thursday"],
    "T": ["3pm", "10am", "9:30", "noon", "half past two", "a quarter to 5", "8 in the evening"],
    "M": ["$50k", "200k", "$1.2M", "€80,000", "USD 95k", "350,000 dollars", "1.5 million"],
    "K": ["10% off", "15% discount", "5% disc", "no discount", "a 12% discount"],
    "P": ["this week", "last week", "this month", "last month", "this quarter", "last quarter", "this year", "today",
          "Q3", "in October", "QTD", "YTD"],
    "Q": ["205", "318", "42", "777"],
    "topic": ["the renewal", "pricing", "the rollout plan", "data migration", "SSO integration", "the pilot scope",
              "support terms", "the Q1 timeline", "onboarding", "the security review", "contract terms", "licensing"],
    "product": ["the analytics module", "fleet tracking suite", "claims portal", "the scheduling app", "MES upgrade"],
    "comp": ["Salesforce", "Oracle", "SAP", "HubSpot", "Microsoft", "Zoho", "Workday"],
}

ZH_STAGE = {
    "prospect": ["有意向", "初次接触", "刚开始接触", "新线索"],
    "evaluation": ["开始试用", "在做POC", "进入评估", "方案评审中", "要做测试", "在对比方案"],
    "negotiation": ["进入谈判", "在谈价格", "开始走合同", "合同在法务审核", "采购在改合同条款", "商务谈判中", "在议价",
                    "过了一遍合同条款", "合同在走审批", "磨了半天价"],
    "won": ["签了", "拿下了", "中标了", "成交了", "订单已经下了", "合同签回来了", "搞定了"],
    "lost": ["丢单了", "输了", "项目取消了", "选了{comp}", "被{comp}抢走了", "黄了"],
}
EN_STAGE = {
    "prospect": ["is a new lead", "showed interest", "first contact"],
    "evaluation": ["started a pilot", "is running a POC", "is evaluating us", "wants a demo for the team", "kicked off a trial"],
    "negotiation": ["is in contract review", "procurement is redlining our terms", "moved to negotiation",
                    "pricing talks started", "legal is reviewing the MSA"],
    "won": ["signed", "closed won", "PO received", "InfoSec signed off and they signed", "we won it", "the order is in"],
    "lost": ["went with {comp}", "we lost it", "picked {comp}", "cancelled the project", "chose {comp} instead"],
}

# --- templates by tool ---------------------------------------------------------------------------
# {A} account, {C} contact (zh: surname + title), {U} teammate, {S} stage phrase

T_ZH = {
    "log_visit": [
        "{Dp}{ch_visit}{A}{C}，聊了{topic}", "{Dp}和{A}的{C}过了一遍{topic}", "{A} {C} {Dp} 电话 {topic}",
        "{Dp}去{A}见了{C}，他们关心{topic}", "刚跟{A}{C}微信聊完{topic}", "{A}{C}{Dp}来电，问了{topic}",
        "{Dp}在{A}开了个会，{C}也在，讨论{topic}", "{Dp}跟{C}视频了一下，{A}那边想先看{topic}",
        "记一下：{Dp}拜访{A}，对接人{C}，话题是{topic}", "{A}，{C}，{Dp}上门，{topic}，下一步发方案",
        "{Dp}展会上碰到{A}的{C}，简单聊了{topic}", "{Dp}给{A}{C}打电话，确认了{topic}",
    ],
    "update_opportunity": [
        "{A}同时在跟{comp}谈", "{A}还在看{comp}的方案", "{A}跟{comp}在竞争", "{A}目标{Df}签合同", "{A}力争{Df}签", "{A}的订单下来了",
        "{A}这单{S}", "{A}{S}，金额{M}", "{A}那边{S}", "{A} {S} {M}", "{A}的{product}{S}",
        "{A}这单推到{Df}了", "{A}预计{Df}签约，金额{M}", "{A}目标{Df}签约", "{A}的单子金额调整为{M}",
        "{A}对手是{comp}，{S}", "{A}那边也在跟{comp}谈", "{A}丢了，选了{comp}，主要是价格原因",
        "{A}项目延期到{Df}", "{A}{product}{S}，{M}", "聊了{product}的预算，{C}说{Df}前能定", "{A}的{product}{Df}前能定下来",
    ],
    "create_quote": [
        "给{A}出个报价，{M}，{K}", "帮我提个报价：{A}，{product}，{M}，{K}", "{A}报价{M}，{K}",
        "{A}要报价，{product}，{M}", "申请报价 {A} {M} {K}", "帮{A}做个报价单，{M}，{K}，备注年底前签",
        "{A}报个价 {product} {M} {K}", "给{A}报{M}，{K}，产品是{product}",
    ],
    "approve_quote": [
        "{Q}号报价批了", "Q-{Q}同意", "#{Q}通过", "{A}的报价批了", "报价{Q}可以，批吧", "同意{Q}号报价，下不为例",
        "{A}那个报价我同意了", "Q-{Q} 准了", "{Qzh}号报价同意", "编号{Q}的报价核准", "报价{Qzh}号可以，批了",
    ],
    "reject_quote": [
        "{Q}号报价驳回，折扣太高", "Q-{Q}不批", "#{Q}打回去重新报", "{A}的报价先不批", "拒绝{Q}号报价，价格太低",
        "{A}那个报价不行，退回", "Q-{Q} 否了，先确认付款条件", "{Qzh}号报价不批，折扣太高", "编号{Q}的报价驳回",
    ],
    "create_reminder": [
        "{Df}{T}提醒我给{A}{C}打电话", "提醒我{Df}跟进{A}", "{Df}提醒我发{topic}给{C}", "{Df}{T}叫我一声，要去{A}",
        "设个提醒：{Df}{T}找{C}确认{topic}", "别让我忘了{Df}给{A}寄资料", "{Df}{T}提醒我开会",
        "{Df}跟进{A}的{topic}", "{Df}再约{C}聊{topic}", "{Df}前回访一下{A}", "{Df}跟进一下{A}{C}", "{Df}再去{A}看一下{topic}",
    ],
    "list_reminders": [
        "{P}我有哪些事要办", "{P}要跟进的客户有哪些", "{P}的安排发我看看",
        "{P}有什么待办", "看看我的提醒", "{P}我要跟进哪些事", "{P}有啥安排", "看下{P}的提醒", "{P}还有哪些事没做",
        "列一下{P}的待办事项", "{P}我都要干啥", "{P}日程有哪些", "今儿有啥要干的", "今儿个都有哪些事",
    ],
    "list_pending_approvals": [
        "有哪些报价等我审批", "待审批的报价", "还有没批的报价吗", "看看有哪些报价要审", "有几个报价在等我批",
        "待我审批的有哪些", "报价审批队列看下",
    ],
    "top_accounts": [
        "{P}签单最多的前五个客户", "{P}团队跟进最多的客户", "{P}拜访最频繁的三个客户", "{P}在谈金额最大的客户",
        "{P}我的客户按金额排个名", "{P}成交额前十的客户", "{P}最活跃的客户有哪些", "{P}咱组签单最多的客户排个前十", "看看{P}团队的拜访排名", "{P}客户拜访次数排名",
    ],
    "pipeline_report": [
        "{P}一共成交了多少", "{P}签约金额是多少", "{P}我们组的赢单率", "{P}完成了多少目标", "{P}商机总额多少",
        "{P}的pipeline", "{P}团队的漏斗", "{P}签了多少", "{P}成交了几单", "{P}的赢单率", "{P}业绩达成情况",
        "{P}团队拜访频次和赢单率", "{P}我的转化率怎么样", "{P}销售额多少", "{P}的预测", "{P}回款情况",
        "{P}整体做得怎么样", "{P}咱组业绩咋样", "{P}我们部门的漏斗看下", "我的预测是多少", "{P}团队预测看下",
    ],
    "account_overview": [
        "{A}现在谁负责", "{A}是哪个同事在跟", "{A}的负责人是谁", "{A}那边有什么消息", "说说{A}的情况", "{A}目前啥进度", "{A}这家客户咋样了", "帮我调一下{A}的档案",
        "{A}近况如何", "{A}最近怎么样", "{A}现在什么情况", "{A}归谁跟", "{A}是谁负责的", "查一下{A}",
        "{A}的资料调出来", "{A}进展到哪了", "{A}有什么新动静", "{A}这个客户概况", "给我讲讲{A}",
        "{A}的联系人和拜访记录", "{A}最新进展", "{A}那边现在谁在跟", "{A}的联系人和历史拜访记录我看下",
        "{Df}要去{A}，先给我过一下他们的情况", "{A}{C}那边现在到哪一步了", "帮我捋一下{A}的情况", "{A}那边有啥新进展没",
    ],
    "sales_forecast": [
        "下季度能签多少", "下个季度的销售预测", "预测一下下季度我们组能成交多少", "按人看下季度预测", "下季度每个销售预计能签多少",
        "帮我预估下一季度的业绩", "下季度大概能拿下多少单", "本季度按人的预测", "下季度的预测给我看看", "明年一季度预测发我看下",
    ],
    "account_potential": [
        "哪些客户最值得跟", "最有希望成交的客户有哪些", "高潜客户给我列一下", "我该重点跟哪几个客户", "潜力最大的前五个客户",
        "团队里哪些客户值得投入", "哪些客户最可能签", "优先跟进哪些客户比较好",
    ],
    "suggest_next_steps": [
        "{A}一直不签，该怎么办", "{A}采购卡住了，有什么办法", "{A}下一步怎么推", "{A}的{C}不回消息，咋整",
        "怎么打动{A}的{C}", "{A}那边有啥建议", "{A}要砍价，我该怎么应对", "{A}这单接下来怎么推比较好",
    ],
    "data_health": [
        "客户档案质量如何", "哪些联系人信息空着", "我们的客户资料全不全", "客户信息有没有没填的", "CRM里有没有重复录入的", "团队数据质量报告", "客户资料里缺电话的有哪些",
        "客户数据完整吗", "做个数据体检", "CRM数据质量怎么样", "有没有重复的客户", "哪些客户信息不全",
        "团队的数据完整度", "我的客户资料缺了哪些", "查一下数据健康度",
    ],
    "reassign_accounts": [
        "{U}的客户转给{U2}", "把{A}转给{U}", "{U}离职了，他的客户都给我", "{A}以后让{U}跟", "{U}休假，她的{A}我先接着",
        "我手上的客户交给{U}", "{A}划给{U}", "{U}下周离职，{A}给{U2}", "我下周就走了，手上的客户都转给{U}",
        "{U}离职了，他的客户都归我吧", "{U}请假这段时间，他的{A}我来接",
    ],
    "": [
        "好的谢谢", "收到", "你好", "辛苦了", "哈哈", "明白了", "今天好忙", "你能做什么", "早上好呀", "嗯嗯好",
        "周末愉快", "今天天气不错", "晚上吃什么", "这周好累啊", "明天见", "OK没问题",
        "刚开完会，累死了", "好的，我知道了", "你会说英文吗", "试试这个机器人", "人呢", "下班了", "新的一周加油",
    ],
}
T_EN = {
    "log_visit": [
        "met {C} at {A} {Dp}, talked about {topic}", "call with {C} from {A} {Dp} re {topic}",
        "{Dp}: zoom with {C} ({A}), went over {topic}", "visited {A} {Dp}, {C} wants to revisit {topic}",
        "caught up with {C} at {A} {Dp} about {topic}", "{A} - {C} - phone - {topic}",
        "had lunch with {C} from {A} {Dp}, they mentioned {topic}", "emailed {C} at {A} {Dp} about {topic}",
        "onsite at {A} {Dp} with {C}, walked through {topic}", "spoke to {C} {Dp}, {A} is worried about {topic}",
    ],
    "update_opportunity": [
        "{comp} is also pitching {A}", "{A} is also evaluating {comp}", "we're up against {comp} at {A}", "{A} placed the order", "InfoSec at {A} signed off",
        "{A} {S}", "{A} {S}, {M}", "the {A} deal {S}", "{A}: {S} at {M}", "{A} slipped to {Df}",
        "{A} is expected to close {Df}", "{A} target close {Df}, {M}", "{A} deal size is now {M}",
        "{comp} is in the mix at {A}", "{A} is also talking to {comp}", "we lost {A} to {comp} on price",
        "{A} {product} {S}", "{A} pushed the decision to {Df}",
    ],
    "create_quote": [
        "quote for {A}: {M}, {K}", "pls raise a quote for {A}, {M} with {K}", "{A} needs a quote - {product}, {M}, {K}",
        "new quote {A} {M} {K}", "submit a quote for approval: {A}, {M}, {K}", "draft a quote to {A} for {M}",
        "{A} wants pricing on {product}: {M}, {K}, can you send it for approval",
    ],
    "approve_quote": [
        "approve Q-{Q}", "quote {Q} approved", "#{Q} ok", "lgtm on quote {Q}", "approve the {A} quote",
        "go ahead with {A}'s quote", "Q-{Q} approved, last exception",
    ],
    "reject_quote": [
        "reject Q-{Q}", "decline quote {Q}, discount too deep", "#{Q} is a no", "the {A} quote is a no from me",
        "send quote {Q} back", "don't approve {A}'s quote yet",
    ],
    "create_reminder": [
        "remind me {Df} at {T} to call {C}", "remind me to follow up with {A} {Df}", "ping me {Df} {T} re {topic}",
        "set a reminder for {Df}: send {C} the deck", "nudge me {Df} to chase {A}", "follow up with {C} {Df}",
        "circle back with {A} {Df} on {topic}",
    ],
    "list_reminders": [
        "what's due {P}", "anything on my list {P}", "what follow-ups do I have {P}",
        "what is on my plate {P}", "my reminders", "what do I have {P}", "list my reminders for {P}",
        "anything I need to follow up {P}", "what's lined up {P}", "my to-dos {P}",
    ],
    "list_pending_approvals": [
        "which quotes are waiting for me", "pending approvals", "any quotes need my sign-off", "list the quotes pending approval",
        "what's in my approval queue", "anything awaiting my approval",
    ],
    "top_accounts": [
        "top 5 accounts by activity {P}", "biggest accounts {P} for the team", "top accts by pipeline {P}",
        "which customers did we close the most with {P}", "most active accounts {P}", "rank my accounts by revenue {P}",
    ],
    "pipeline_report": [
        "how much did we book {P}", "how are we tracking {P}", "what was our win rate {P}", "numbers for {P}", "how did the team perform {P}",
        "pipeline {P}", "team pipeline {P}", "how did we do {P}", "win rate {P}", "how much did we close {P}",
        "forecast for {P}", "conversion {P} for the team", "how is my quota tracking {P}", "bookings {P}",
        "team visit frequency and win rate {P}", "what's my forecast", "what's the team forecast {P}", "my forecast {P}",
    ],
    "account_overview": [
        "who handles {A}", "who is covering {A} these days", "who's the rep on {A}", "any updates from {A}", "fill me in on {A}", "how are things at {A}", "what do we know about {A}", "give me the rundown on {A}",
        "any news on {A}", "what's going on with {A}", "who owns {A}", "status of {A}", "pull up {A}",
        "what's the latest with {A}", "tell me about {A}", "anything new at {A}", "where are we with {A}",
        "who covers {A} now", "brief me on {A}", "anything happening with {A} lately?", "what's new with {A}",
    ],
    "sales_forecast": [
        "forecast for next quarter", "what will we close next quarter", "next quarter forecast by rep",
        "how much will the team close next qtr", "projection for the coming quarter", "forecast per rep for this quarter",
    ],
    "account_potential": [
        "which accounts are worth pursuing", "most promising accounts", "top 5 accounts by potential",
        "which customers should I focus on", "accounts most likely to close", "best prospects for the team",
    ],
    "suggest_next_steps": [
        "how do I get {A} to sign", "{A} went quiet, any tips", "what should I do about {A}'s procurement freeze",
        "how to speed up legal at {A}", "any advice on re-engaging {C} at {A}",
    ],
    "data_health": [
        "are there gaps in our records", "any incomplete contact records", "how good is our account data", "find records with missing fields", "is my CRM data complete", "duplicate or incomplete accounts",
        "how complete is our CRM data", "data health check for the team", "any duplicate accounts",
        "which accounts are missing contacts", "run a data quality report on my accounts", "how clean is my data",
    ],
    "reassign_accounts": [
        "move {U}'s accounts to {U2}", "hand {A} over to {U}", "reassign {A} to {U}", "{U} is leaving, give me her accounts",
        "{A} goes to {U} from now on", "I'll take over {U}'s accounts",
    ],
    "": ["thanks", "ok got it", "hi there", "good morning", "cool", "what can you do", "never mind",
         "happy friday", "long day today", "see you tomorrow", "lol that was fast", "are you there", "test",
         "sounds good", "have a good weekend", "sorry wrong chat"],
}
JOIN_ZH = ["，", "。", "；", "，另外", "，然后", "，还有", "。顺便", " "]
JOIN_EN = [". ", ", ", " and ", "; ", ". also ", " + ", ", then "]
SHORTHAND = [(r"\bwith\b", "w/"), (r"\btomorrow\b", "tmrw"), (r"\bmeeting\b", "mtg"), (r"\baccounts?\b", "acct"),
             (r"\bplease\b", "pls"), (r"\babout\b", "re:"), (r"\bthrough\b", "thru"), (r"\btoday\b", "2day"),
             (r"\bat\b", "@"), (r"\bcustomers?\b", "custs"), (r"\bquote\b", "qt"), (r"\bdiscount\b", "disc")]


def _fill(template: str, zh: bool, rng: random.Random) -> str:
    vals = ZH if zh else EN
    account = rng.choice(ZH_ACCOUNTS if zh else EN_ACCOUNTS)
    if zh:
        person = rng.choice(ZH_CONTACTS)
        contact = person[0] + rng.choice(ZH_TITLES) if rng.random() < 0.8 else person
        users = rng.sample(ZH_USERS, 2)
    else:
        person = rng.choice(EN_CONTACTS)
        contact = person.split()[0] if rng.random() < 0.7 else person
        users = rng.sample(EN_USERS, 2)
    stages = ZH_STAGE if zh else EN_STAGE
    stage = rng.choice(stages[rng.choice(list(stages))])
    out = template.replace("{S}", stage)
    for key in ("ch_visit", "ch_call"):
        if "{" + key + "}" in out:
            out = out.replace("{" + key + "}", rng.choice(vals[key]))
    out = out.replace("{A}", account).replace("{C}", contact).replace("{U2}", users[1]).replace("{U}", users[0])
    for key, options in vals.items():
        token = "{" + key + "}"
        while token in out:
            out = out.replace(token, rng.choice(options), 1)
    return out


def _noise(text: str, zh: bool, rng: random.Random, t2s) -> str:
    if not zh and rng.random() < 0.4:
        for pattern, short in SHORTHAND:
            if rng.random() < 0.5:
                text = re.sub(pattern, short, text)
    if rng.random() < 0.2:
        text = re.sub(r"[，。；,.;:：!！?？]", " " if not zh else "", text)
    if zh and t2s is not None and rng.random() < 0.2:
        text = t2s.convert(text)
    if rng.random() < 0.05 and len(text) > 8:
        i = rng.randrange(1, len(text) - 1)
        text = text[:i] + text[i + 1:]
    if not zh and rng.random() < 0.3:
        text = text[:1].upper() + text[1:]
    return " ".join(text.split())


def generate(n: int, seed: int = 7) -> list[tuple[str, tuple[str, ...]]]:
    """`n` (text, tools) examples; one in four joins two or three requests."""
    rng = random.Random(seed)
    try:
        import opencc

        to_traditional = opencc.OpenCC("s2t")
    except ImportError:  # training without OpenCC: no Traditional variants
        to_traditional = None
    tools = [t for t in T_ZH if t]
    out: list[tuple[str, tuple[str, ...]]] = []
    while len(out) < n:
        zh = rng.random() < 0.6
        table = T_ZH if zh else T_EN
        k = 1 if rng.random() < 0.75 else rng.choice((2, 2, 3))
        picked = [rng.choice(tools) for _ in range(k)] if rng.random() > 0.06 else [""]
        parts, labels = [], []
        for tool in picked:
            parts.append(_fill(rng.choice(table[tool]), zh, rng))
            if tool:
                labels.append(tool)
        joiners = JOIN_ZH if zh else JOIN_EN
        text = parts[0]
        for part in parts[1:]:
            text += rng.choice(joiners) + part
        out.append((_noise(text, zh, rng, to_traditional), tuple(sorted(set(labels)))))
    return out
