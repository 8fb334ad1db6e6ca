"""Labels for what visit notes tell: the plays a rep ran, the objection a sentence is about, words
that say something was settled, why a deal was lost. Plain word lists, zh and en, matched on
lower-cased text. They rank and label evidence (`knowledge.evidence`), never decide whether a
sentence can be advice: that is the rankers' job, so notes in other words still count.

A play is something a rep does to move a deal on (an on-site demo, a POC, a reference visit...).
The first five are the moves that turn deals; the routine ones (case studies, a technical session,
a proposal) are suggested only when nothing stronger is found.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

PLAYS: dict[str, tuple[str, ...]] = {
    "onsite_demo": ("现场演示", "上门演示", "演示", "on-site demo", "onsite demo", "demo"),
    "poc": ("poc", "概念验证", "proof of concept"),
    "reference_visit": ("参观", "落地项目", "标杆客户", "老客户介绍", "reference", "peer"),
    "exec_sponsor": ("约到对方", "高层", "亲自参加", "exec meeting", "executive", "exec ", "sponsor",
                     "meeting with the cfo", "meeting with the ceo", "meeting with their coo"),
    "phased_rollout": ("分阶段", "分期", "拆成两期", "一期只做", "phased", "two phases", "phase 1"),
    "case_study": ("案例", "case stud"),
    "tech_session": ("技术交流", "deep dive", "architecture"),
    "proposal": ("方案书", "方案评审", "proposal", "solution review"),
}
STRONG_PLAYS = ("onsite_demo", "poc", "reference_visit", "exec_sponsor", "phased_rollout")

# Words that put a sentence on an objection's topic, and words that say it was settled.
TOPICS: dict[str, tuple[str, ...]] = {
    "price": ("价格", "报价", "折扣", "总价", "年付", "三年合同", "模块", "贵", "降价", "price", "discount",
              "total", "billing", "3-year", "modules", "expensive", "cheaper"),
    "security_review": ("安全", "等保", "渗透", "私有化", "security", "soc 2", "pen test", "in-region",
                        "dedicated-region"),
    "integration": ("接口", "对接", "集成", "erp", "integration", "interface", "connector"),
    "budget_freeze": ("预算", "冻结", "budget", "froze", "frozen", "unfrozen"),
    "competitor": ("对比", "竞品", "差异", "comparison", "against", "compared"),
    "timeline": ("排期", "周计划", "实施团队", "weeks", "week plan", "implementation team", "capacity"),
}
SETTLED = ("解决", "通过", "认可", "同意", "解冻", "放心", "倾向我们", "降到", "签字", "重新启动",
           "solved", "passed", "agreed", "on board", "signed off", "leaning our way", "relieved",
           "unfrozen", "back on", "dropped", "inside their budget", "confirmed")

LOSS_REASONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("budget_freeze", ("预算", "冻结", "budget", "freeze")),
    ("security_review", ("安全", "security")),
    ("integration", ("集成", "对接", "integration", "integrating")),
    ("no_decision", ("离职", "搁置", "no decision", "left the company", "champion left", "on hold")),
    ("price", ("价格", "报价", "便宜", "price", "cheaper")),
    ("competitor", ("选了", "输给", "chose", "lost to", "went with")),
)

_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)\s+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def plays_in(text: str) -> list[str]:
    """Plays the text tells of, in `PLAYS` order."""
    lowered = (text or "").casefold()
    return [key for key, words in PLAYS.items() if any(w in lowered for w in words)]


def objections_in(text: str | None) -> list[str]:
    """Objections a question is about ("客户嫌贵怎么办" → price), in `TOPICS` order."""
    lowered = (text or "").casefold()
    return [key for key, words in TOPICS.items() if any(w in lowered for w in words)]


def loss_reason(lost_reason: str | None, objections: Iterable[str] = ()) -> str:
    """A lost deal's reason as a key: price, competitor, budget_freeze, security_review,
    integration, no_decision; from the recorded reason, else the last objections raised."""
    lowered = (lost_reason or "").casefold()
    for key, words in LOSS_REASONS:
        if any(w in lowered for w in words):
            return key
    objections = list(objections)
    return objections[0] if objections else "no_decision"
