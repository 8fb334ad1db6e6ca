"""The words documents are written in: stage, outcome, objection, channel and size labels (zh, en).

These are index vocabulary, chosen so that a rep's question ("丢单", "lost on price") meets the
words of a document; replies to users are worded in `prompts/knowledge.py`.
"""
from __future__ import annotations

import re
from decimal import Decimal

from storage.models import Stage

STAGE = {
    "zh": {"prospect": "初步接触", "evaluation": "评估", "negotiation": "谈判", "won": "赢单", "lost": "输单"},
    "en": {"prospect": "prospect", "evaluation": "evaluation", "negotiation": "negotiation", "won": "won",
           "lost": "lost"},
}
OUTCOME = {
    "zh": {"won": "赢单", "lost": "输单", "open": "进行中"},
    "en": {"won": "won", "lost": "lost", "open": "open"},
}
OBJECTION = {
    "zh": {"price": "价格", "security_review": "安全审查", "integration": "系统集成对接",
           "budget_freeze": "预算冻结", "competitor": "竞争对手", "timeline": "上线时间紧"},
    "en": {"price": "price", "security_review": "security review", "integration": "integration",
           "budget_freeze": "budget freeze", "competitor": "competitor", "timeline": "tight timeline"},
}
CHANNEL = {
    "zh": {"onsite": "上门拜访", "phone": "电话", "video": "视频会议", "message": "微信消息", "email": "邮件",
           "event": "展会活动"},
    "en": {"onsite": "on-site visit", "phone": "phone call", "video": "video call", "message": "message",
           "email": "email", "event": "event"},
}
SIZE = {
    "zh": {"small": "小单", "mid": "中型单", "large": "大单"},
    "en": {"small": "small deal", "mid": "mid-size deal", "large": "large deal"},
}
# Common industries in both languages: a document names its industry in both, so a question in
# either language meets it.
INDUSTRY_PAIRS = (
    ("软件", "Software"), ("制造", "Manufacturing"), ("医药", "Pharmaceuticals"), ("医疗", "Healthcare"),
    ("物流", "Logistics"), ("零售", "Retail"), ("快消", "Consumer goods"), ("教育", "Education"),
    ("能源", "Energy"), ("金融", "Financial services"), ("地产", "Real estate"), ("航空", "Aviation"),
    ("通信", "Telecom"), ("电子", "Electronics"), ("化工", "Chemicals"), ("农业", "Agriculture"),
    ("分销", "Distribution"), ("食品饮料", "Food & Beverage"), ("旅游出行", "Travel"),
)
INDUSTRY_OTHER = {a.casefold(): b for pair in INDUSTRY_PAIRS for a, b in (pair, pair[::-1])}
# Upper bounds of the small and mid bands, per currency; other currencies use USD's.
SIZE_BOUNDS = {"CNY": (Decimal(300_000), Decimal(1_500_000)), "USD": (Decimal(40_000), Decimal(200_000)),
               "EUR": (Decimal(35_000), Decimal(180_000))}

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def language_of(text: str) -> str:
    """zh when CJK characters outnumber Latin letters by a fifth or more, else en."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 5 >= latin else "en"


def size_band(amount: Decimal | None, currency: str) -> str | None:
    if amount is None:
        return None
    small, mid = SIZE_BOUNDS.get(currency, SIZE_BOUNDS["USD"])
    return "small" if amount < small else "mid" if amount < mid else "large"


def stage_label(stage: Stage | str, lang: str) -> str:
    return STAGE[lang][Stage(stage).value]


def objection_label(key: str, lang: str) -> str:
    return OBJECTION[lang].get(key, key.replace("_", " "))


def other_language(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def industry_names(industry: str | None) -> str:
    """The industry as stored, with its name in the other language when it is a common one."""
    if not industry:
        return ""
    other = INDUSTRY_OTHER.get(industry.casefold())
    return f"{industry} {other}" if other else industry


def bilingual(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    """A label in the document's language, then in the other one: 赢单（won）, won (赢单)."""
    first = table[lang].get(key, key)
    second = table[other_language(lang)].get(key, key)
    if first == second:
        return first
    return f"{first}（{second}）" if lang == "zh" else f"{first} ({second})"
