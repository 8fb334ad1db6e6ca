"""The offline rules engine (`RulesEngine`): Chinese and English messages to CONTRACT.md calls."""
from intents.rules.engine import RulesEngine

__all__ = ["RulesEngine"]
