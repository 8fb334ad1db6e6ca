"""A scripted langchain chat model for the LLM engine's flow.

langchain's stock fake chat models raise NotImplementedError on `bind_tools`; this one records the
tools it is bound with and returns itself, answers each request with the next scripted `AIMessage`
(or raises the scripted exception), and keeps every message list it was sent.
"""
from __future__ import annotations

import itertools
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

_ids = itertools.count(1)


def ai_calls(*calls: tuple[str, dict[str, Any]], prompt_tokens: int = 800, completion_tokens: int = 40,
             content: str = "") -> AIMessage:
    """An assistant message proposing `calls` ((name, args) pairs), with token usage."""
    return AIMessage(content=content,
                     tool_calls=[{"name": n, "args": a, "id": f"call_{next(_ids)}", "type": "tool_call"}
                                 for n, a in calls],
                     usage_metadata={"input_tokens": prompt_tokens, "output_tokens": completion_tokens,
                                     "total_tokens": prompt_tokens + completion_tokens})


class ScriptedChatModel(BaseChatModel):
    script: list[Any] = Field(default_factory=list)
    requests: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[Any] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools, **kwargs):  # noqa: ANN001 - langchain's signature
        self.bound_tools = list(tools)
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:  # noqa: ANN001
        self.requests.append(list(messages))
        if not self.script:
            raise AssertionError("the scripted chat model was asked more often than scripted")
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return ChatResult(generations=[ChatGeneration(message=item)])
