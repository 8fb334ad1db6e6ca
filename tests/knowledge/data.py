"""A small CRM of closed and open deals in zh and en, written for the knowledge tests: each deal
tells one story (a demo that won it, a security review that lost it...) so a search has one right
answer."""
from __future__ import annotations

USERS = [
    {"id": 1, "name": "王磊", "aliases": ["小王"], "role": "rep", "manager_id": 3, "lang": "zh"},
    {"id": 2, "name": "Alice Chen", "aliases": ["Alice"], "role": "rep", "manager_id": 3, "lang": "en",
     "timezone": "Asia/Singapore"},
    {"id": 3, "name": "张伟", "aliases": ["张总"], "role": "manager", "lang": "zh"},
]


def _account(id_, name, industry, region, owner, contact):
    return {"id": id_, "name": name, "aliases": [], "industry": industry, "region": region, "owner_id": owner,
            "contacts": [{"name": contact, "aliases": [], "title": None}]}


ACCOUNTS = [
    _account(1, "青松制药", "医药", "苏州", 1, "赵强"),
    _account(2, "华康医疗", "医疗", "南京", 1, "马院长"),
    _account(3, "金桥物流", "物流", "宁波", 1, "周海"),
    _account(4, "蓝海数据", "软件", "杭州", 1, "黄磊"),
    _account(5, "Acme Corporation", "Manufacturing", "US-West", 2, "John Smith"),
    _account(6, "Globex Industries", "Manufacturing", "US-East", 2, "Hank Scorpio"),
    _account(7, "Initech", "Software", "US-South", 2, "Bill Lumbergh"),
]


def _deal(id_, account, owner, name, stage, history, amount, currency, **extra):
    return {"id": id_, "account_id": account, "owner_id": owner, "name": name, "stage": stage,
            "amount": amount, "currency": currency, "closed_on": history[-1]["on"] if stage in ("won", "lost") else None,
            "history": history, **extra}


def _path(*steps):
    return [{"stage": s, "on": on} for s, on in steps]


OPPORTUNITIES = [
    _deal(101, 1, 1, "销售数据平台一期", "won",
          _path(("prospect", "2026-01-05"), ("evaluation", "2026-02-01"), ("negotiation", "2026-03-01"),
                ("won", "2026-03-20")), "800000", "CNY"),
    _deal(102, 2, 1, "经营分析看板试点", "won",
          _path(("prospect", "2026-02-10"), ("evaluation", "2026-03-01"), ("negotiation", "2026-04-10"),
                ("won", "2026-05-01")), "450000", "CNY"),
    _deal(103, 3, 1, "移动巡店应用二期", "lost",
          _path(("prospect", "2026-03-01"), ("evaluation", "2026-03-20"), ("lost", "2026-05-10")), "600000", "CNY",
          lost_reason="安全评估未通过"),
    _deal(104, 4, 1, "客户服务中台二期", "evaluation",
          _path(("prospect", "2026-10-01"), ("evaluation", "2026-10-20")), "900000", "CNY"),
    _deal(105, 5, 2, "Field Ops App Phase 1", "won",
          _path(("prospect", "2026-01-10"), ("evaluation", "2026-02-01"), ("negotiation", "2026-03-05"),
                ("won", "2026-03-25")), "120000", "USD"),
    _deal(106, 6, 2, "Sales Analytics Pilot", "won",
          _path(("prospect", "2026-02-01"), ("evaluation", "2026-02-20"), ("negotiation", "2026-04-01"),
                ("won", "2026-04-20")), "90000", "USD"),
    _deal(107, 5, 2, "Channel Portal Renewal", "lost",
          _path(("prospect", "2026-04-01"), ("evaluation", "2026-04-15"), ("negotiation", "2026-05-10"),
                ("lost", "2026-06-01")), "150000", "USD", lost_reason="chose Salesforce", competitor="Salesforce"),
    _deal(108, 7, 2, "Service Hub Expansion", "evaluation",
          _path(("prospect", "2026-10-05"), ("evaluation", "2026-10-25")), "200000", "USD"),
]


def _visit(id_, deal, account, rep, on, summary, *, objections=(), next_step=None, contact=None, channel="onsite"):
    return {"id": id_, "opportunity_id": deal, "account_id": account, "rep_id": rep, "occurred_on": on,
            "channel": channel, "summary": summary, "objections": list(objections), "next_step": next_step,
            "contacts": [contact] if contact else []}


VISITS = [
    _visit(1, 101, 1, 1, "2026-01-05", "初次拜访赵强，医药代表拜访记录不规范，合规检查压力大。", contact="赵强"),
    _visit(2, 101, 1, 1, "2026-02-10", "到客户办公室做了现场演示，用他们的真实数据跑了一遍，业务部门当场说好用。",
           next_step="整理演示反馈，发送方案书"),
    _visit(3, 101, 1, 1, "2026-02-20", "信息安全部门要做安全评估，要我们提供等保三级证明和渗透测试报告。",
           objections=["security_review"]),
    _visit(4, 101, 1, 1, "2026-03-10", "安全评估通过，补充了等保证书和渗透测试报告。"),
    _visit(5, 101, 1, 1, "2026-03-20", "合同签了！80万，关键是现场演示。", next_step="约实施启动会"),
    _visit(6, 102, 2, 1, "2026-02-10", "上门拜访马院长，各院区数据口径不统一，院办每月对数对到半夜。"),
    _visit(7, 102, 2, 1, "2026-03-15", "现场演示很成功，马院长把几个科室主任也叫来了，大家对手机端很感兴趣。"),
    _visit(8, 102, 2, 1, "2026-04-15", "采购压价，觉得报价偏高，要求再降10%。", objections=["price"]),
    _visit(9, 102, 2, 1, "2026-04-25", "价格问题用三年合同加年付解决，折扣控制在8%以内。"),
    _visit(10, 102, 2, 1, "2026-05-01", "收到中标通知，45万。"),
    _visit(11, 103, 3, 1, "2026-03-01", "电话沟通周海，车辆调度靠电话和Excel，异常响应慢。", channel="phone"),
    _visit(12, 103, 3, 1, "2026-04-01", "安全审查卡住了：对方要求数据本地化部署，不能上公有云。",
           objections=["security_review"]),
    _visit(13, 103, 3, 1, "2026-05-10", "安全评估没通过，对方要求的部署方式我们目前满足不了。",
           objections=["security_review"]),
    _visit(14, 104, 4, 1, "2026-10-01", "初次拜访黄磊，销售线索散在三个系统里，周报全靠手工拼。"),
    _visit(15, 104, 4, 1, "2026-10-25", "方案评审会，黄磊觉得报价偏高，说竞品便宜。", objections=["price"]),
    _visit(16, 105, 5, 2, "2026-01-10", "Intro meeting with John: plant downtime root causes are not tracked."),
    _visit(17, 105, 5, 2, "2026-02-15", "On-site demo at their plant using their own data; the ops team loved it."),
    _visit(18, 105, 5, 2, "2026-03-10", "Security review passed after we shared the SOC 2 report and pen test.",
           objections=["security_review"]),
    _visit(19, 105, 5, 2, "2026-03-25", "Signed! $120k. The on-site demo made the difference."),
    _visit(20, 106, 6, 2, "2026-02-01", "Discovery call with Hank: dealer orders still come in by email.", channel="phone"),
    _visit(21, 106, 6, 2, "2026-03-01", "Demo went really well, Hank brought in the regional managers."),
    _visit(22, 106, 6, 2, "2026-04-20", "PO received, $90k."),
    _visit(23, 107, 5, 2, "2026-04-15", "Found out Salesforce is bidding too, roughly 20% below us.",
           objections=["competitor"]),
    _visit(24, 107, 5, 2, "2026-06-01", "Lost. They went with Salesforce, already use it elsewhere in the business.",
           objections=["competitor"]),
    _visit(25, 108, 7, 2, "2026-10-05", "Intro with Bill: the weekly forecast is built by hand from three tools."),
    _visit(26, 108, 7, 2, "2026-10-26", "Technical deep dive with their IT on architecture and deployment."),
]

FIXTURE = {"timezone": "Asia/Shanghai", "default_currency": "CNY", "users": USERS, "accounts": ACCOUNTS,
           "opportunities": OPPORTUNITIES, "visits": VISITS}
CLOSED = {101, 102, 103, 105, 106, 107}
