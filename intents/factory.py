"""Pick the understanding engine from settings (`ENGINE=rules|llm|hybrid`)."""
from __future__ import annotations

from intents.base import IntentEngine
from storage.config import Settings


def build_engine(settings: Settings) -> IntentEngine:
    from intents.rules import RulesEngine

    rules = RulesEngine()
    if settings.engine == "rules" or not settings.llm_configured():
        # No model configured: the offline parser answers, with no error (it is the default).
        return rules
    from intents.llm import build_llm_engine

    return build_llm_engine(settings, rules=rules)
