"""What a question says beyond its words: the outcomes, industries and regions it asks about.

"deals we lost to Salesforce", "我们输了", "还在跟进中的商机" name an outcome; "how we got through
the security review", "价格异议是怎么解决的" ask how something was overcome, which a lost deal did
not do. A negated question ("didn't win") or one naming several outcomes ("赢的和输的") asks about
no outcome in particular. "software companies we won", "零售门店", "European customers" name an
industry or a region the deals carry. Retrieval puts the deals that have what the question names
ahead of equally similar deals that do not (`Intent.agreement`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from knowledge.tokenize import tokens
from knowledge.vocab import INDUSTRY_PAIRS

OUTCOME_WORDS = {
    "won": "won", "赢单": "won", "signed": "won", "签约": "won",
    "lost": "lost", "输单": "lost",
    "open": "open", "进行中": "open", "跟进": "open", "在谈": "open", "ongoing": "open",
}
# Ways of saying an obstacle was overcome: the deal went on (won, or still open), it was not lost.
OVERCOME_WORDS = frozenset(
    "resolved resolve handled overcame overcome solved through passed beat 通过 解决 打消 化解 搞定 争取".split())
OVERCOME = frozenset({"won", "open"})
REGION_ALIASES = {"europe": "eu", "european": "eu", "british": "uk", "asia": "apac", "asian": "apac"}
_NEGATED = re.compile(r"\b(?:not|never|without)\b|n't\b")


@dataclass(frozen=True)
class Intent:
    outcomes: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()  # casefolded, both languages
    words: frozenset[str] = frozenset()  # the question's tokens, region aliases resolved

    def agreement(self, meta: dict[str, Any]) -> int:
        """How many of the facets the question names the deal has (0 when it names none)."""
        score = 0
        if self.outcomes and meta.get("outcome") in self.outcomes:
            score += 1
        if self.industries and str(meta.get("industry", "")).casefold() in self.industries:
            score += 1
        region = _region_words(str(meta.get("region", "")))
        if region and region <= self.words:
            score += 1
        return score


def intent(query: str) -> Intent:
    words = tokens(query)
    return Intent(outcomes=_outcomes(query, words), industries=_industries(set(words)),
                  words=frozenset(REGION_ALIASES.get(t, t) for t in words))


def _outcomes(query: str, words: list[str]) -> frozenset[str]:
    if _NEGATED.search(query.casefold()):
        return frozenset()
    named = {OUTCOME_WORDS[t] for t in words if t in OUTCOME_WORDS}
    if len(named) == 1:
        return frozenset(named)
    if not named and OVERCOME_WORDS.intersection(words):
        return OVERCOME
    return frozenset()


def _industries(words: set[str]) -> frozenset[str]:
    named: set[str] = set()
    for pair in INDUSTRY_PAIRS:
        if any(_name_words(name) <= words for name in pair):
            named.update(name.casefold() for name in pair)
    return frozenset(named)


@lru_cache(maxsize=256)
def _name_words(name: str) -> frozenset[str]:
    return frozenset(tokens(name)) or frozenset({name.casefold()})


@lru_cache(maxsize=1024)
def _region_words(region: str) -> frozenset[str]:
    return frozenset(tokens(region)) if region else frozenset()
