"""Hybrid: the offline rules engine when its parse is complete and confident, the LLM otherwise.

Complete: at least one call and no open question. Confident: `Parse.confidence` at or above the
threshold. On the dev set (scripts/hybrid_threshold.py prints the table) the rules engine's parses
above `DEFAULT_THRESHOLD` are right often enough that sending them to a model would mostly add cost
and latency; below it, errors concentrate and the LLM is asked. If the LLM then fails, the rules
parse already in hand is the fallback, so no message is parsed by the rules engine twice.
"""
from __future__ import annotations

import logging

from intents.base import IntentEngine, Parse, ParseContext
from intents.llm.engine import LLMEngine

log = logging.getLogger("salesbot.llm")

DEFAULT_THRESHOLD = 0.8


class HybridEngine:
    name = "hybrid"

    def __init__(self, rules: IntentEngine, llm: LLMEngine, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.rules = rules
        self.llm = llm
        self.threshold = threshold

    def accepts(self, parse: Parse) -> bool:
        return bool(parse.calls) and not parse.questions and parse.confidence >= self.threshold

    def parse(self, text: str, ctx: ParseContext) -> Parse:
        first = self.rules.parse(text, ctx)
        if self.accepts(first):
            log.info("hybrid answered by rules", extra={"confidence": round(first.confidence, 3),
                                                        "threshold": self.threshold})
            return first
        log.info("hybrid asks the llm", extra={"rules_confidence": round(first.confidence, 3),
                                               "rules_calls": len(first.calls),
                                               "rules_questions": len(first.questions)})
        return self.llm.parse_or(text, ctx, lambda: first)
