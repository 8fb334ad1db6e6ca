"""A scripted intent engine: implements IntentEngine, answers from a table the test writes."""
from __future__ import annotations

from intents.base import Parse, ParseContext, Question
from tools.base import ToolCall


class ScriptedEngine:
    name = "scripted"

    def __init__(self, script: dict[str, Parse | list[dict] | Exception] | None = None) -> None:
        self.script = dict(script or {})
        self.seen: list[tuple[str, ParseContext]] = []

    def add(self, text: str, calls: list[dict], *, questions: list[Question] | None = None) -> None:
        self.script[text] = Parse(calls=[ToolCall.from_json(c) for c in calls],
                                  questions=list(questions or []), engine=self.name)

    def parse(self, text: str, ctx: ParseContext) -> Parse:
        self.seen.append((text, ctx))
        answer = self.script.get(text)
        if isinstance(answer, Exception):
            raise answer
        if answer is None:
            return Parse(calls=[], engine=self.name)
        if isinstance(answer, list):
            return Parse(calls=[ToolCall.from_json(c) for c in answer], engine=self.name)
        return answer
