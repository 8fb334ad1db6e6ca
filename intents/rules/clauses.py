"""Clauses in text typed or dictated with no punctuation: "昨天去了蓝鲸见李总聊扩容今天又跟青松赵主任打了
电话", "yesterday onsite at Globex with Hank today a call with Sam from Tailspin".

A clause is cut before a date or a time of day when the words before it tell a touch with one
account and the words after it tell a touch with another: each account then gets its own visit,
with its own day. Punctuated text is not changed (its clauses already end where the touches do).
"""
from __future__ import annotations

from intents.rules.activity import CLOSE_CUE
from intents.rules.facts import Facts
from intents.rules.lexicon import VISIT_VERBS, channel_in
from intents.rules.text import Span


def tells(facts: Facts, span: Span) -> bool:
    """Whether the span reports something for the CRM: a visit or call, a stage, a close date, an amount."""
    low = facts.msg.low
    return bool(VISIT_VERBS.search(low, span.start, span.end) or channel_in(low, span.start, span.end)
                or facts.stages_in(span) or CLOSE_CUE.search(low, span.start, span.end) or facts.within(facts.money, span))


def split_runs(facts: Facts) -> None:
    """Cut the message's run-on clauses where one touch ends and the next begins (in place)."""
    msg = facts.msg
    for clause in list(msg.clauses):
        marks = sorted({x.start for x in facts.within(facts.dates, clause) + facts.within(facts.times, clause)
                        if x.start > clause.start})
        start = clause.start
        for i, mark in enumerate(marks):
            following = marks[i + 1] if i + 1 < len(marks) else clause.end
            if _touch(facts, Span(start, mark)) and _touch(facts, Span(mark, following)) \
                    and _accounts(facts, Span(start, mark)).isdisjoint(_accounts(facts, Span(mark, following))):
                msg.split_clause(mark)
                start = mark


def _touch(facts: Facts, span: Span) -> bool:
    low = facts.msg.low
    told = VISIT_VERBS.search(low, span.start, span.end) or channel_in(low, span.start, span.end)
    return bool(told and _accounts(facts, span))


def _accounts(facts: Facts, span: Span) -> set[str]:
    return {r.key for r in facts.account_refs(span)}
