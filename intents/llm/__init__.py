"""The LLM engine (langchain tool calling with any provider) and the hybrid engine.

Importing this package is cheap; langchain is imported by `build_llm_engine`, which only runs when
`ENGINE` is llm or hybrid and `LLM_MODEL` is set (see intents/factory.py).
"""
from __future__ import annotations

from intents.base import IntentEngine
from storage.config import Settings


def build_llm_engine(settings: Settings, *, rules: IntentEngine) -> IntentEngine:
    """`ENGINE=llm`: the LLM engine with `rules` as its fallback; `ENGINE=hybrid`: rules when
    confident, else the LLM. No key configured for the provider: `rules`, with a warning logged."""
    from intents.llm.chat_model import make_chat_model
    from intents.llm.engine import LLMEngine
    from intents.llm.hybrid import HybridEngine
    from tools.base import all_tools

    chat_model = make_chat_model(settings)
    if chat_model is None:
        return rules
    llm = LLMEngine(chat_model, tools=all_tools(), fallback=rules, model_name=settings.llm_model or "")
    if settings.engine == "hybrid":
        return HybridEngine(rules, llm)
    return llm
