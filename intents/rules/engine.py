"""The offline rules engine: CONTRACT.md's tool calls from a message, with no model and no network.

Order of reading, each step taking the text it uses so the next one does not read it twice:
what happens to an existing reminder (那个提醒办完了, push my 3pm reminder to tomorrow) and renaming
a deal (把这个商机改名为…), each that call alone; handing accounts over (老刘的客户转给娜娜); reminders (提醒我… owns its clause to the end of the
sentence); quote decisions (102批了); quote requests (给北辰出个报价…); then visits and deal changes
in what is left (see `activity`). A message that asks to write nothing is tried as a question (top
accounts, pipeline, reminders, approvals, an account's overview, advice, data health). Calls come
out in the order the message states them.

`Parse.confidence` is high when every call is complete and every name resolved exactly, and drops
for derived or misspelt names, new accounts, missing arguments, ambiguity and weak cues; a message
with words but no recognised request gets a low confidence so that a hybrid engine asks a model.

The rules' reading is then fused with the learned model's (`fusion`): questions the rules missed
are added, implausible weak calls dropped, and when no reading is confident the calls stay empty
and `Parse.alternatives` holds the likeliest readings for the bot to ask about.
"""
from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

from intents.base import Alternative, Parse, ParseContext, Question
from intents.classify import tool_probabilities
from intents.rules import (
    activity, clauses, leads, merges, queries, quotes, reassign, reminder_actions, reminders, renames,
    trailing,
)
from intents.rules.fusion import fuse
from intents.rules.facts import Draft, Facts, gather
from intents.rules.dates import resolve
from intents.rules.lexicon import (
    ABOUT_THE_BOT, ASK_FIRST, BRIEFING, CHITCHAT, HOW_TO_USE, JUST_NOW, QUESTION, REMINDER, VISIT_VERBS,
)
from intents.rules.text import CJK, LATIN_WORD, MAX_CHARS, Span, prepare
from tools.base import ToolCall

log = logging.getLogger(__name__)


class RulesEngine:
    """`IntentEngine` implementation of the offline parser (name "rules")."""

    name = "rules"

    def parse(self, text: str, ctx: ParseContext) -> Parse:
        try:
            return self._parse(text, ctx)
        except Exception:  # the contract: odd input never raises; a bug is logged, not shown
            log.exception("rules engine failed", extra={"chars": len(text or "")})
            return Parse(calls=[], confidence=0.0, engine=self.name)

    def _parse(self, text: str, ctx: ParseContext) -> Parse:
        msg = prepare(text or "")
        if not (CJK.search(msg.low) or LATIN_WORD.search(msg.low)):
            return Parse(calls=[], confidence=0.9 if len(msg.text.strip()) < 40 else 0.3, engine=self.name)
        if HOW_TO_USE.search(msg.low) and QUESTION.search(msg.low):
            return Parse(calls=[], confidence=0.85, engine=self.name)  # a question about the bot, not a request
        facts = gather(msg, ctx)
        clauses.split_runs(facts)  # 昨天去了蓝鲸见李总今天又跟青松赵主任打了电话: two touches
        fused = fuse(_read(facts), facts, tool_probabilities(facts))
        parse = _finish(sorted(fused.drafts, key=lambda d: d.pos), facts)
        parse.alternatives = [Alternative(tuple(_finish(reading, facts).calls), round(score, 3))
                              for reading, score in fused.alternatives]
        if fused.asks:
            parse.confidence = round(min(parse.confidence, max(score for _, score in fused.alternatives)), 3)
        if len(str(text)) > MAX_CHARS:
            parse.confidence *= 0.5
        return parse


def _read(facts: Facts) -> list[Draft]:
    for detect in (leads.detect, reminder_actions.detect, renames.detect, merges.detect):  # 新线索; 提醒办完了; 改名; 合并客户
        action = detect(facts)
        if action is not None:
            return [action]
    briefing = BRIEFING.search(facts.msg.low) and not _told_past(facts)
    if (ASK_FIRST.match(facts.msg.low) or briefing) and not REMINDER.search(facts.msg.low):
        advised = queries.advice(facts, [])  # 帮我看下北辰的情况，再出出主意怎么推进: both
        if advised is not None:
            return [d for d in (queries.overview_beside(facts, advised), advised[0]) if d is not None]
        questions = queries.detect_all(facts)  # brief me on Globex before my call: the call is not a touch
        if questions:
            return questions
    handover, taken = reassign.detect(facts)
    reminder_spans = [(span, trigger) for span, trigger in reminders.spans(facts)
                      if not any(trigger.overlaps(t) for t in taken)]
    taken += [span for span, _ in reminder_spans]
    decided, decision_spans = quotes.decisions(facts, taken)
    taken += decision_spans
    early_context = facts.account_refs(Span(0, len(facts.msg.text)))
    requested, request_spans = quotes.requests(facts, taken, early_context)
    taken += request_spans
    asked, asked_spans = trailing.requests(facts, taken)  # …；最后帮我列一下明天的提醒
    taken += asked_spans
    advised = queries.advice(facts, taken)
    if advised is not None and not any(not any(d.span.overlaps(t) for t in taken) for d in facts.dates):
        reported, named = [], facts.account_refs(Span(0, len(facts.msg.text)))  # the story is the question's context
    else:
        if advised is not None:
            taken += [advised[1]]
        reported, named = activity.build(facts, taken)
    briefed = queries.overview_beside(facts, advised) if advised else None
    drafts = handover + decided + requested + reported + asked + ([briefed] if briefed else []) + ([advised[0]] if advised else [])
    context = named or early_context
    same_day, last_trigger, built = None, None, []
    for span, trigger in reminder_spans:
        before = [r for r in context if r.pos < span.start] or context
        draft = reminders.build(facts, span, trigger, before, same_day if trigger == last_trigger else None)
        built.append((draft, span, trigger))
        due = draft.args.get("due_at")
        same_day, last_trigger = (date.fromisoformat(due[:10]) if due else None), trigger
    reminders.attach_next_steps(facts, drafts, built)
    drafts += [draft for draft, _, _ in built]
    if not drafts:
        drafts += queries.detect_all(facts)
    drafts.sort(key=lambda d: d.pos)
    return drafts


def _told_past(facts: Facts) -> bool:
    """The message tells something that happened (a day up to today, 刚, 了 after a visit verb)."""
    low = facts.msg.low
    if JUST_NOW.search(low) or any(m.group().endswith("了") or low.startswith("了", m.end()) for m in VISIT_VERBS.finditer(low)):
        return True
    return any((day := resolve(d, facts.today, "occurred_on")) is not None and day <= facts.today for d in facts.dates)


def _finish(drafts: list[Draft], facts: Facts) -> Parse:
    calls: list[ToolCall] = []
    questions: list[Question] = []
    confidence = 0.95
    for index, draft in enumerate(drafts):
        calls.append(ToolCall(draft.name, {k: _json(v) for k, v in draft.args.items()}))
        for arg in draft.missing:
            questions.append(Question("missing", index, arg))
        for arg, mention, candidates in draft.ambiguous:
            questions.append(Question("ambiguous", index, arg, mention, candidates))
        confidence *= draft.certainty
    if not calls:
        low = facts.msg.low.strip()
        small_talk = not facts.mentions and (CHITCHAT.match(low) or ABOUT_THE_BOT.search(low) or len(low) <= 12)
        confidence = 0.9 if small_talk else 0.35
    return Parse(calls=calls, confidence=round(max(0.0, min(1.0, confidence)), 3),
                 questions=questions, engine="rules")


def _json(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
