"""Bilingual query expansion over the sales vocabulary the documents are written in.

The packaged embedding model reads English only, so an English question meets a Chinese deal
through BM25 alone, and only where both share words. Each concept below lists how reps say it in
English and in Chinese; a question that uses one side's words also searches for the other side's,
so "security review passed" meets 安全评估通过 and 竞品报价更低 meets "cheaper competitor". Only
the other language's words are added: a question keeps its own wording's weight in its language.
"""
from __future__ import annotations

from functools import lru_cache

from knowledge.tokenize import tokens
from knowledge.vocab import language_of

# An added word counts this much of a word the rep typed: it widens recall without outvoting them.
EXPANSION_WEIGHT = 0.5
# (English phrases, Chinese phrases) of one concept.
CONCEPTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("price", "pricing", "cheaper", "expensive", "discount"), ("价格", "报价", "折扣", "嫌贵", "降价", "压价")),
    (("security",), ("安全",)),
    (("pen test", "penetration"), ("渗透测试",)),
    (("passed", "through", "signed off"), ("通过",)),
    (("integration", "integrate", "integrating", "interface"), ("集成", "对接", "接口")),
    (("budget",), ("预算",)),
    (("freeze", "frozen"), ("冻结",)),
    (("unfrozen", "unfreeze"), ("解冻",)),
    (("cancelled", "canceled", "cancel"), ("取消",)),
    (("paused", "on hold", "stalled"), ("暂停", "搁置")),
    (("competitor", "vendor", "rival", "competing"), ("竞品", "竞争对手", "别家", "厂商")),
    (("comparison", "compare"), ("对比",)),
    (("demo",), ("演示",)),
    (("on-site", "onsite"), ("现场", "上门")),
    (("pilot", "trial", "proof of concept"), ("试点", "poc")),
    (("reference", "peer"), ("参观", "案例", "同行")),
    (("executive", "exec", "sponsor", "sponsorship"), ("高层",)),
    (("phased", "phase"), ("分阶段", "两期", "分期")),
    (("timeline", "go live", "deadline"), ("上线", "排期", "时间紧")),
    (("champion", "left the company"), ("对接人", "离职")),
    (("procurement",), ("采购",)),
)


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, tuple[str, ...]]]:
    """token → the other language's tokens of its concepts, per language of the token's side."""
    table: dict[str, dict[str, tuple[str, ...]]] = {"en": {}, "zh": {}}
    for english, chinese in CONCEPTS:
        en = [t for p in english for t in tokens(p)]
        zh = [t for p in chinese for t in tokens(p)]
        for side, own, other in (("en", en, zh), ("zh", zh, en)):
            for token in own:
                table[side][token] = tuple(dict.fromkeys((*table[side].get(token, ()), *other)))
    return table


def expanded(query: str) -> tuple[list[str], list[str]]:
    """The query's BM25 tokens, and the other language's words for the concepts it names."""
    own = tokens(query)
    table = _table()[language_of(query)]
    extra = [t for token in own for t in table.get(token, ())]
    return own, [t for t in dict.fromkeys(extra) if t not in own]
