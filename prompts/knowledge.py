"""Next-step suggestions drawn from similar past deals, in zh and en: the offline templates and the
retrieval-augmented prompt for a chat model.

Every step ends with the deals it came from as `[#12, #40]`; the prompt requires the model to keep
that form and to cite only the deals it was given, and `knowledge.rag` checks that it did.
"""
from __future__ import annotations

PLAY_ACTION = {
    "onsite_demo": ("安排一次用客户真实数据的现场演示", "Book an on-site demo that uses their own data"),
    "poc": ("提议 POC，书面确认成功标准和周期", "Propose a POC with success criteria and a timeline in writing"),
    "reference_visit": ("安排参观或致电一家已上线的同行客户", "Set up a reference visit or call with a live customer like them"),
    "exec_sponsor": ("约对方高层，我方领导陪同", "Get a meeting with their executive, with our VP along"),
    "phased_rollout": ("提出分阶段上线：先做一个试点范围", "Offer a phased rollout that starts with one scope"),
    "case_study": ("发同行业的成功案例", "Send case studies from their industry"),
    "tech_session": ("约 IT 做一次技术交流", "Run a technical deep dive with their IT"),
    "proposal": ("提交方案书并约评审会", "Send the proposal and book a solution review"),
}
OBJECTION_NAME = {
    "price": ("价格", "price"), "security_review": ("安全审查", "the security review"),
    "integration": ("系统对接", "integration"), "budget_freeze": ("预算冻结", "a budget freeze"),
    "competitor": ("竞争对手", "the competitor"), "timeline": ("上线时间", "the timeline"),
}
RISK_ACTION = {
    "price": ("正式报价前先对齐预算和付款方式", "agree on budget and payment terms before the formal quote"),
    "competitor": ("准备和竞品的对比，讲清实施周期和本地服务", "prepare a comparison with the competitor on time to value and support"),
    "budget_freeze": ("确认预算已批、由谁审批", "confirm the budget is approved and who signs it off"),
    "security_review": ("尽早发安全资质材料，确认部署要求", "send the security documents early and confirm deployment requirements"),
    "integration": ("尽早梳理 ERP 接口清单和工期", "scope the ERP interfaces and effort early"),
    "no_decision": ("多线接触，不只依赖一位联系人", "multi-thread: do not rely on a single contact"),
}
# Said once, under rule-based steps, when there is no index of past deals to draw on.
INDEX_NOTE = {
    "missing": ("ℹ️ 这些建议来自规则：还没有历史商机索引。运行 `salesbot knowledge rebuild` 建好后，建议会引用相似的历史商机。",
                "ℹ️ These steps come from rules: there is no index of past deals yet. Run `salesbot knowledge "
                "rebuild` and advice will cite similar past deals."),
    "building": ("ℹ️ 这些建议来自规则：历史商机索引正在后台建立，稍后再问会引用相似的历史商机。",
                 "ℹ️ These steps come from rules: the index of past deals is being built in the background; ask "
                 "again in a few minutes for advice citing similar past deals."),
}
STAGE = {
    "prospect": ("初步接触", "prospect"), "evaluation": ("评估", "evaluation"),
    "negotiation": ("谈判", "negotiation"), "won": ("赢单", "won"), "lost": ("输单", "lost"),
}
OUTCOME = {"won": ("赢单", "won"), "lost": ("输单", "lost"), "open": ("进行中", "open")}

TEMPLATES = {
    "header": ("💡 {account} 下一步（参考 {n} 个相似的历史商机）", "💡 Next steps for {account} (from {n} similar past deals)"),
    "header_deal": ("💡 {account}「{deal}」（{stage}）下一步，参考 {n} 个相似的历史商机",
                    "💡 Next steps for {account} – {deal} ({stage}), from {n} similar past deals"),
    "play": ("{action}：{count} 个相似赢单在{stage}阶段这样做，之后中位 {days} 天进入{next}",
             "{action}: {count} similar won deal{s} did this in {stage} and reached {next} in a median {days} days"),
    "play_closed": ("{action}：{count} 个相似赢单在{stage}阶段这样做，中位 {days} 天后{next}",
                    "{action}: {count} similar won deal{s} did this in {stage}; {next} a median {days} days later"),
    "talk_track": ("应对{objection}的话术：之前的做法是「{quote}」", "Talk track on {objection}: what worked before was “{quote}”"),
    "risk": ("提前排除{reason}风险：{action}（{count} 个相似商机因此输单）",
             "De-risk {reason} early: {action} ({count} similar deal{s} lost to it)"),
    "next_step": ("参考做法：{text}", "A next step that worked before: {text}"),
    "evidence": ("相似赢单的做法：「{quote}」", "What a similar won deal did: “{quote}”"),
    "risk_quote": ("风险：{account}的相似商机输在「{quote}」，建议{action}",
                   "Risk: a similar deal at {account} was lost because “{quote}”; {action}"),
    "sources": ("参考商机：", "Sources: "),
    "source": ("#{id} {account}·{deal}（{outcome}）", "#{id} {account} · {deal} ({outcome})"),
    "hint": ("💡 相似的赢单在{stage}阶段{action}后推进了 {cites}", "💡 Similar won deals moved on from {stage} after {action} {cites}"),
    "hint_action": ({"onsite_demo": "做了现场演示", "poc": "做了 POC", "reference_visit": "安排了同行参观",
                     "exec_sponsor": "约到了对方高层", "phased_rollout": "提出了分阶段上线",
                     "case_study": "发了同行业案例", "tech_session": "做了技术交流", "proposal": "提交了方案书"},
                    {"onsite_demo": "an on-site demo", "poc": "a POC", "reference_visit": "a reference visit",
                     "exec_sponsor": "an executive meeting", "phased_rollout": "a phased-rollout offer",
                     "case_study": "industry case studies", "tech_session": "a technical deep dive",
                     "proposal": "a proposal and review"}),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def text(key: str, lang: str, **values) -> str:
    return pick(TEMPLATES[key], lang).format(**values)


def cites(deal_ids: list[int]) -> str:
    return "[" + ", ".join(f"#{d}" for d in deal_ids) + "]"


RAG_SYSTEM = {
    "zh": """你是销售教练。根据下面给出的相似历史商机事实，为销售给出 2 到 4 条具体的下一步和话术。
规则：
- 只使用给出的事实，不要编造客户、数字或做法。
- 每一条单独一行，以「1.」「2.」等编号开头，行尾用 [#编号] 标出依据的商机，例如 [#12, #40]；只能引用事实里出现的商机编号。
- 每条要具体：做什么、对谁、为什么（相似商机的结果和用时）。
- 用中文回答，简洁，适合在手机上读。只输出编号的几行，不要前言和总结。""",
    "en": """You are a sales coach. From the facts about similar past deals below, give the rep 2 to 4 concrete next steps and talk tracks.
Rules:
- Use only the facts given; never invent customers, figures or tactics.
- One step per line, numbered "1.", "2.", ..., each ending with the deals it rests on as [#id, ...], e.g. [#12, #40]; cite only deal ids that appear in the facts.
- Be concrete: what to do, with whom, and why (what similar deals did and how long it took).
- Answer in English, briefly, readable on a phone. Output only the numbered lines, no preamble or summary.""",
}

RAG_USER = {
    "zh": """当前客户：{account}
当前商机：{deal}
销售的问题：{question}

相似的历史商机（事实）：
{facts}

离线分析得出的建议（可改写、合并或替换，但必须有事实依据）：
{draft}""",
    "en": """Account: {account}
Current deal: {deal}
The rep's question: {question}

Similar past deals (facts):
{facts}

Suggestions from the offline analysis (rewrite, merge or replace them, but keep them grounded):
{draft}""",
}
