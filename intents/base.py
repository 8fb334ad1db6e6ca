"""The understanding contract: a message plus context in, a `Parse` out.

Every engine (offline rules, LLM, hybrid) implements `IntentEngine.parse`. Nothing after the engine
knows which one ran except `Parse.engine`, which is logged and shown in `salesbot stats`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from storage.names import Directory
from tools.base import ToolCall


@dataclass(frozen=True)
class Question:
    """Something the engine could not settle alone.

    kind: `ambiguous` (several candidates match a name: `candidates` lists them) or `missing`
    (a required argument was not stated). `call_index` and `arg` point at the call it belongs to.
    """

    kind: Literal["ambiguous", "missing"]
    call_index: int
    arg: str
    mention: str = ""
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    """One earlier exchange in the chat, for engines that read context (the LLM)."""

    role: Literal["user", "assistant"]
    text: str


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    role: str
    language: str
    timezone: str
    manager_id: int | None = None
    team: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParseContext:
    """Everything a parse may read. `now` is aware and in the user's timezone."""

    user: UserInfo
    now: datetime
    directory: Directory
    default_currency: str = "CNY"
    history: tuple[Turn, ...] = ()
    # the CRM works leads (LEADS_IN_CHAT): "新线索：…" / "new lead: …" is a lead (create_lead), not
    # CONTRACT.md's prospect deal (update_opportunity), which is the reading without it
    leads: bool = False


@dataclass(frozen=True)
class Alternative:
    """One plausible reading of a message the engine is not sure about.

    When no reading is confident (no intent, or two plausible ones), an engine leaves `Parse.calls`
    empty (or holds its best reading) and lists the two or three likeliest readings here, most
    likely first. The bot then asks one short question with these as numbered choices plus
    "none of these", instead of showing a wrong card. `label` is optional: the bot describes a
    reading from its calls when it is empty.
    """

    calls: tuple[ToolCall, ...]
    confidence: float
    label: str = ""


@dataclass
class Parse:
    calls: list[ToolCall] = field(default_factory=list)
    confidence: float = 1.0
    questions: list[Question] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    engine: str = "rules"
    note: str | None = None  # e.g. "llm failed, rules answered", shown to the user
    # Set when an LLM took part (it answered, or failed and another engine did); stored as EngineCall.
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    fallback_reason: str | None = None  # why the LLM's answer was not used: timeout, invalid_calls:...

    def to_json(self) -> list[dict]:
        return [c.to_json() for c in self.calls]


class IntentEngine(Protocol):
    name: str

    def parse(self, text: str, ctx: ParseContext) -> Parse:
        """Turn one message into tool calls of CONTRACT.md. Never raises on odd input."""
        ...
