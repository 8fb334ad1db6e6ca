"""A request at the end of a report: "…；晚上跟海纳何总吃了个饭。最后帮我列一下明天的提醒", "…, and
show me my reminders for next week". The report is read as usual; the sentence (or the clause that
turns to the request: 最后 / 另外 / also / then …) is read alone as a question and gives its own call.

Only after a report or another write (approve 103, and show me what else is pending; move Globex to
Alice, and run a data health check): a message that is all questions is left to the question
reader. `cut` tells a write where such a request begins, so that its comment or clause stops there.
"""
from __future__ import annotations

import re

from intents.rules import queries
from intents.rules.clauses import tells
from intents.rules.facts import Draft, Facts, gather
from intents.rules.lexicon import REMINDER
from intents.rules.text import Span, prepare

TURN = re.compile(r"(?:最后|另外|还有|顺便|再|然后|\balso\b|\band\b|\bthen\b|\bplus\b|\bbtw\b|\bfinally\b|\blastly\b)[\s,:]*"
                   r"(?:帮我|给我|请|麻烦|pls|please|can you|could you)?\s*"
                   r"(?=列|看|查|拉|调|出|show|list|pull|give|what|which|how|send me|run\b|check\b)", re.ASCII)

_ASK = re.compile(r"(?:帮我|给我|请|麻烦|顺便|(?:pls|please|can you|could you)\s+)?(?:列|看|查|拉|调|show|list|pull|give me|what|which|how)",
                  re.ASCII)


def requests(facts: Facts, taken: list[Span]) -> tuple[list[Draft], list[Span]]:
    """Question calls for the requests that end a report, and the spans they take."""
    msg = facts.msg
    drafts: list[Draft] = []
    spans: list[Span] = []
    for index, sentence in enumerate(msg.sentences):
        starts = [sentence.start] if index > 0 and (_ASK.match(msg.low, sentence.start)
                                                    or TURN.match(msg.low, sentence.start)) else []
        starts += [m.start() for m in TURN.finditer(msg.low, sentence.start, sentence.end) if m.start() > sentence.start]
        for start in starts:
            span = Span(start, sentence.end)
            after_write = any(t.end <= start for t in taken)
            if any(span.overlaps(t) for t in taken + spans) or not (after_write or tells(facts, Span(0, start))):
                continue
            draft = _question(facts, span)
            if draft is not None:
                draft.pos = start
                drafts.append(draft)
                spans.append(span)
                break
    return drafts, spans



def _question(facts: Facts, span: Span) -> Draft | None:
    """The question the span asks, when it asks one and reports nothing."""
    if tells(facts, span) or REMINDER.search(facts.msg.low, span.start, span.end):
        return None
    return queries.detect(gather(prepare(facts.msg.original(span.start, span.end)), facts.ctx))


def cut(facts: Facts, start: int, end: int) -> int:
    """Where a request turning to a question (…, and show me what else is pending) begins in
    [start, end), else `end`."""
    for m in TURN.finditer(facts.msg.low, start, end):
        if m.start() > start and _question(facts, Span(m.start(), end)) is not None:
            return m.start()
    return end
