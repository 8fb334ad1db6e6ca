"""The LLM engine: a chat model bound to the tool registry proposes the calls of CONTRACT.md.

    prompt (system + recent turns + message) ─▶ model with the registry's tools ─▶ tool calls
        ─▶ checked against each tool's schema (intents/llm/normalize.py)
            all usable ─▶ Parse(engine="llm")
            some invalid ─▶ one repair round: the model sees each call's validation errors
                            and resends the whole list ─▶ usable ─▶ Parse(engine="llm")
                                                      └─ still invalid ─▶ fallback
        provider error or timeout ─▶ fallback
    fallback: the rules engine's parse, with `fallback_reason` (logged, stored) and a `note`
    telling the user which engine answered.

The model only proposes. Whatever the message says, the calls go through the same permission
checks in the tools and every write through the confirmation card.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from intents.base import IntentEngine, Parse, ParseContext
from intents.llm.normalize import CheckedCall, check_call
from intents.llm.prompt import Prompt, build_prompt, prompt_language
from intents.llm.tool_specs import tool_specs
from intents.llm.usage import UsageMeter, UsageTotals
from prompts import llm as P
from tools.base import Tool

log = logging.getLogger("salesbot.llm")


class ProviderFailure(Exception):
    """The chat model could not answer: a timeout, a refused key, a server error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def failure_reason(exc: BaseException) -> str:
    """A short, stable reason for logs and stats: `timeout`, or `provider_error:<ExceptionClass>`
    with the HTTP status when there was one (`provider_error:AuthenticationError(401)`)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError) or any("timeout" in c.__name__.lower() for c in type(seen).__mro__):
            return "timeout"
        seen = seen.__cause__ or seen.__context__
    status = getattr(exc, "status_code", None)
    return f"provider_error:{type(exc).__name__}" + (f"({status})" if isinstance(status, int) else "")


class LLMEngine:
    """`IntentEngine` backed by a langchain chat model; `fallback` (the rules engine) answers when
    the model fails. `chat_model` is any `BaseChatModel` that supports `bind_tools`."""

    name = "llm"

    def __init__(self, chat_model: Any, *, tools: Mapping[str, Tool], fallback: IntentEngine,
                 model_name: str) -> None:
        self.tools = dict(tools)
        self.model = chat_model.bind_tools(tool_specs(self.tools.values()))
        self.fallback = fallback
        self.model_name = model_name
        self.totals = UsageTotals()

    def parse(self, text: str, ctx: ParseContext) -> Parse:
        return self.parse_or(text, ctx, lambda: self.fallback.parse(text, ctx))

    def parse_or(self, text: str, ctx: ParseContext, fallback: Callable[[], Parse]) -> Parse:
        """Parse with the model; on failure return `fallback()` marked as a fallback. The hybrid
        engine passes the rules parse it already has."""
        meter = UsageMeter()
        prompt = build_prompt(text, ctx)
        messages = to_messages(prompt)
        try:
            reply = self._ask(messages, meter)
            checked = self._check(reply, ctx)
            repaired = False
            if any(not c.valid for c in checked):
                log.info("llm repair round", extra={"problems": _problem_summary(checked)})
                messages = [*messages, reply, *repair_messages(checked, list(self.tools), prompt.language)]
                reply = self._ask(messages, meter)
                checked, repaired = self._check(reply, ctx), True
                if not checked or any(not c.valid for c in checked):
                    return self._fall_back(ctx, fallback, meter,
                                           f"invalid_calls:{_problem_summary(checked) or 'no calls'}")
        except ProviderFailure as exc:
            return self._fall_back(ctx, fallback, meter, exc.reason)
        except Exception as exc:  # a bug here must not cost the user their message
            log.exception("llm engine failed")
            return self._fall_back(ctx, fallback, meter, f"engine_error:{type(exc).__name__}")
        parse = Parse(calls=[c.call for c in checked if c.call is not None],
                      questions=[q for c in checked for q in c.questions],
                      confidence=1.0, engine="llm", model=self.model_name,
                      prompt_tokens=meter.prompt_tokens, completion_tokens=meter.completion_tokens)
        self.totals.add(meter, None)
        log.info("llm parsed", extra={"model": self.model_name, "calls": [c.name for c in parse.calls],
                                      "repaired": repaired, "requests": meter.requests,
                                      "ms": round(meter.latency_ms, 1), "prompt_tokens": meter.prompt_tokens,
                                      "completion_tokens": meter.completion_tokens})
        return parse

    def _ask(self, messages: list[BaseMessage], meter: UsageMeter) -> AIMessage:
        started = time.perf_counter()
        try:
            reply = self.model.invoke(messages)
        except Exception as exc:
            meter.add_failed((time.perf_counter() - started) * 1000)
            reason = failure_reason(exc)
            log.warning("llm request failed", extra={"model": self.model_name, "reason": reason,
                                                     "error": str(exc)[:300]})
            raise ProviderFailure(reason) from exc
        meter.add(reply, (time.perf_counter() - started) * 1000)
        return reply

    def _check(self, reply: AIMessage, ctx: ParseContext) -> list[CheckedCall]:
        checked = [check_call(i, call["name"], call.get("args"), call.get("id"), self.tools, ctx)
                   for i, call in enumerate(reply.tool_calls)]
        for bad in reply.invalid_tool_calls:
            checked.append(CheckedCall(index=len(checked), name=str(bad.get("name") or ""),
                                       call_id=bad.get("id"), problems=[{
                                           "field": "args", "type": "json_invalid",
                                           "message": f"arguments are not valid JSON: {bad.get('error') or ''}"[:300]}]))
        return checked

    def _fall_back(self, ctx: ParseContext, fallback: Callable[[], Parse], meter: UsageMeter,
                   reason: str) -> Parse:
        reason = reason[:200]
        parse = dataclasses.replace(fallback())
        lang = prompt_language(ctx)
        kind = reason.split(":", 1)[0]
        label = P.FALLBACK_REASONS[lang].get(kind, P.FALLBACK_REASONS[lang]["provider_error"])
        parse.note = P.FALLBACK_NOTE[lang].format(reason=label)
        parse.fallback_reason = reason
        parse.model = self.model_name
        parse.prompt_tokens, parse.completion_tokens = meter.prompt_tokens, meter.completion_tokens
        self.totals.add(meter, reason)
        log.warning("llm fell back", extra={"model": self.model_name, "reason": reason,
                                            "answered_by": parse.engine})
        return parse


def to_messages(prompt: Prompt) -> list[BaseMessage]:
    messages: list[BaseMessage] = [SystemMessage(prompt.system)]
    for role, text in prompt.history:
        messages.append(HumanMessage(text) if role == "user" else AIMessage(text))
    messages.append(HumanMessage(prompt.message))
    return messages


def repair_messages(checked: list[CheckedCall], tool_names: list[str], lang: str) -> list[BaseMessage]:
    """A tool result for every proposed call (the OpenAI format requires one per call id) saying
    whether it was valid and, if not, its validation errors; then the request to resend them all."""
    out: list[BaseMessage] = []
    unanswered = []
    for c in checked:
        if c.valid:
            content = P.CALL_VALID
        elif any(p["type"] == "unknown_tool" for p in c.problems):
            content = P.UNKNOWN_TOOL.format(name=c.name, names=", ".join(sorted(tool_names)))
        else:
            content = P.CALL_INVALID.format(problems=json.dumps(c.problems, ensure_ascii=False))
        if c.call_id:
            out.append(ToolMessage(content=content, tool_call_id=c.call_id, name=c.name or None))
        else:
            unanswered.append(f"{c.name}: {content}")
    request = P.REPAIR[lang]
    if unanswered:
        request += "\n" + "\n".join(unanswered)
    out.append(HumanMessage(request))
    return out


def _problem_summary(checked: list[CheckedCall]) -> str:
    parts = [f"{c.name}.{p['field']}:{p['type']}" for c in checked for p in c.problems]
    return ",".join(parts)[:180]
