"""Token usage and latency of the chat-model requests behind one parse.

A parse makes one request, or two with the repair round; the meter sums them. The totals travel on
the `Parse` (model, prompt/completion tokens, fallback reason) and the conversation loop stores
them as an `EngineCall` row, which `salesbot stats` summarizes. Batch runs (`salesbot parse
--engine llm`) have no database: `LLMEngine.totals` keeps a running sum for them.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


def message_usage(message: Any) -> tuple[int, int] | None:
    """(prompt, completion) tokens of a langchain AIMessage, from the standard `usage_metadata`
    or, for providers that only fill it in there, OpenAI-style `response_metadata.token_usage`."""
    meta = getattr(message, "usage_metadata", None)
    if meta:
        return int(meta.get("input_tokens") or 0), int(meta.get("output_tokens") or 0)
    token_usage = (getattr(message, "response_metadata", None) or {}).get("token_usage") or {}
    if token_usage:
        return int(token_usage.get("prompt_tokens") or 0), int(token_usage.get("completion_tokens") or 0)
    return None


@dataclass
class UsageMeter:
    """The requests of one parse."""

    requests: int = 0
    latency_ms: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None

    def add(self, message: Any, latency_ms: float) -> None:
        self.requests += 1
        self.latency_ms += latency_ms
        usage = message_usage(message)
        if usage is not None:
            self.prompt_tokens = (self.prompt_tokens or 0) + usage[0]
            self.completion_tokens = (self.completion_tokens or 0) + usage[1]

    def add_failed(self, latency_ms: float) -> None:
        self.requests += 1
        self.latency_ms += latency_ms


@dataclass
class UsageTotals:
    """Running totals over many parses (thread-safe: the bot parses off the event loop)."""

    parses: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    fallbacks: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, meter: UsageMeter, fallback_reason: str | None) -> None:
        with self._lock:
            self.parses += 1
            self.requests += meter.requests
            self.prompt_tokens += meter.prompt_tokens or 0
            self.completion_tokens += meter.completion_tokens or 0
            self.latency_ms += meter.latency_ms
            if fallback_reason:
                key = fallback_reason.split(":", 1)[0]
                self.fallbacks[key] = self.fallbacks.get(key, 0) + 1

    def summary(self) -> str:
        with self._lock:
            avg = self.latency_ms / self.requests if self.requests else 0.0
            fallbacks = ", ".join(f"{k} {v}" for k, v in sorted(self.fallbacks.items())) or "none"
            return (f"llm: {self.parses} parses, {self.requests} requests, {self.prompt_tokens} prompt + "
                    f"{self.completion_tokens} completion tokens, {avg:.0f} ms per request, "
                    f"fallbacks: {fallbacks}")
