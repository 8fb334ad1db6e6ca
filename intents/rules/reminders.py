"""Reminders: `create_reminder` from 提醒我… / remind me… and the span of text each one owns.

A reminder owns its clause (so a time before the trigger counts: 下周三上午十点半提醒我…) up to the
end of the sentence. Its time is the first date and time of day there (a date after the trigger
wins over one before it); a date with no time is 09:00 (or the part of day said: 中午 → 12:00), a
time with no date is today if still ahead, else tomorrow; neither is a missing `due_at`. The text
is what is left once the trigger and the time words are taken out.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from datetime import time as dtime

from intents.rules.clauses import tells
from intents.rules.dates import resolve
from intents.rules.facts import AccountRef, Draft, Facts
from intents.rules.lexicon import APPROVE, LIST_REMINDERS, QUESTION, QUOTE_CREATE, QUOTE_WORD, REJECT, REMINDER
from intents.rules.money import find_quote_ids
from intents.rules.numerals import number
from intents.rules.text import Span, tidy

_LEAD = re.compile(r"(?:我|另外|然后|还有|再|帮我|麻烦|[:：,，\-\s]|(?:to|that|about|for|on|at|me|us|and|please|pls|plz)\b)+", re.ASCII)
_LEAD_TIME = re.compile(
    r"提前\s*(?P<cn>半|[一二两三四五六七八九十\d]+)\s*(?:个)?\s*(?P<cn_unit>小时|钟头|分钟|天)|"
    r"\b(?P<en>half an?|an?|\d+)\s*(?P<en_unit>minutes?|mins?|hours?|hrs?|days?)\s+(?:before|ahead|early|prior)(?:\s+(?:that|it))?\b",
    re.ASCII)
_TAIL = re.compile(r"[\s,]*(?:\b(?:by|before|until|till|on|at|for|and|please|pls|plz)|之前|以前|帮我|麻烦|@)\s*$", re.ASCII)
_SHIFT = re.compile(r"\s*(?:另外|此外|还有|另|顺便说一下|\balso\b|\bbtw\b|\bplus\b|\bp\.?s\.?)\s*[,:，：]?\s*", re.ASCII)
_AND = re.compile(r"\s*(?:\band\b|\bthen\b|\balso\b|还有|再|另外|以及|和)\s*", re.ASCII)
_IN_A_WHILE = re.compile(
    r"(?P<cn>半|[一二两三四五六七八九十\d]+)\s*(?:个)?\s*(?P<cn_unit>小时|钟头|分钟)\s*(?:以?后|之后)|"
    r"\bin\s+(?P<en>half an?|an?|\d+)\s*(?P<en_unit>minutes?|mins?|hours?|hrs?)\b", re.ASCII)
# a note to self about a day ahead: 记得周五发个祝福, 别忘了下周一给李总打电话, don't forget to send
# Globex the deck on Friday, need to call Ken tomorrow at 2 (a plan, not a call that happened)
_REMEMBER = r"记得|别忘了?|不要忘了?|别忘记|千万别忘|\bdon'?t forget to\b|\bdo not forget to\b|\bremember to\b"
_MUST = r"\b(?:i |we )?(?:need|have|got|must|should|gotta)(?: to)?"
_SELF_NOTE_LEAD = re.compile(f"{_REMEMBER}|{_MUST}\\b", re.ASCII)  # what a reminder's text leaves out
_ACT_EN = r"(?:call|ring|phone|email|e-mail|ping|text|send|share|follow|visit|meet|see|check|chase|nudge|get back to|reach out)"
_SELF_NOTE = (r"(?:让|要|要求|叫|请|等)(?:我们|咱们|我)(?=[^,，。;；]{0,12}?(?:发|给|交|提交|出|做|准备|报|回复|答复|确认))|"
              r"\b(?:asked|wants?|needs?) (?:us|me) to\b|" + _REMEMBER + "|" + _MUST + " " + _ACT_EN + r"\b")
FOLLOW_UP = re.compile(r"跟进|再约|再联系|再联络|回访|\bfollow(?:ing)?[- ]up\b|\bcircl(?:e|ing) back\b|\btouch(?:ing)? base\b|"
                       r"\bcheck(?:ing)? back\b|\bcheck(?:ing)? in with\b|" + _SELF_NOTE, re.ASCII)
_DONE_AFTER = re.compile(r"\s*(?:了|过|完)")
_DONE = re.compile(r"了|过|完|\b(?:met|had|was|were|did|went|spoke|saw|ran|[a-z]+ed)\b", re.ASCII)
_PRONOUN = re.compile(r"他们|他|她|对方|客户那边|\bthem\b|\bhim\b|\bher\b|\bthey\b|\btheir\b|\bthe client\b|\bthe customer\b", re.ASCII)


def spans(facts: Facts) -> list[tuple[Span, Span]]:
    """(owned span, trigger span) of every reminder in the message."""
    msg = facts.msg
    listing = [Span(m.start(), m.end()) for m in LIST_REMINDERS.finditer(msg.low)]
    found: list[tuple[Span, Span]] = []
    for m in REMINDER.finditer(msg.low):
        trigger = Span(m.start(), m.end())
        if any(trigger.overlaps(x) for x in listing):
            continue
        ci = msg.clause_of(m.start())
        sentence = msg.sentences[msg.sentence_of(m.start())]
        start = msg.clauses[ci].start
        if ci > 0 and msg.clauses[ci - 1].start >= sentence.start and _only_time(facts, msg.clauses[ci - 1]):
            start = msg.clauses[ci - 1].start
        if _bare_trigger(facts, Span(start, sentence.end), trigger) or _says_nothing(facts, Span(trigger.end, sentence.end)):
            start = _event_start(facts, Span(sentence.start, trigger.start))  # 后天下午两点开视频会，提前半小时提醒我
        else:
            start = _own_start(facts, Span(start, trigger.start))
        msg.split_clause(start)
        end = next((c.start for c in msg.clauses if trigger.end <= c.start < sentence.end and _other_request(facts, c)),
                   sentence.end)
        if found and found[-1][0].end > start:
            previous, first_trigger = found.pop()
            found.append((Span(previous.start, trigger.start), first_trigger))
        found.extend((part, trigger) for part in _split(facts, Span(start, end), trigger))
    reminded = {msg.sentence_of(t.start) for _, t in found}
    found += _follow_ups(facts, listing, reminded)
    found.sort(key=lambda f: f[0].start)
    return found


def _follow_ups(facts: Facts, listing: list[Span], reminded: set[int]) -> list[tuple[Span, Span]]:
    """跟进 / 再约 / follow up / circle back with a day ahead: a reminder for that day (…，下周三跟进;
    跟进 明天 北辰 报价单; circle back with Rachel next Thursday). Its span runs from the follow-up's
    clause (or the times just before it) to the end of the sentence; a question about follow-ups
    (这周要跟进哪些?) or one already done (跟进了) is not one."""
    msg, found = facts.msg, []
    for m in FOLLOW_UP.finditer(msg.low):
        trigger = Span(m.start(), m.end())
        sentence = msg.sentences[msg.sentence_of(m.start())]
        if any(trigger.overlaps(x) for x in listing) or QUESTION.search(msg.low, sentence.start, sentence.end) \
                or (found and found[-1][0].overlaps(trigger)) or msg.sentence_of(m.start()) in reminded:
            continue
        clause = msg.clauses[msg.clause_of(m.start())]
        start = _time_run_start(facts, clause.start if clause.start < trigger.start else trigger.start)
        ci = msg.clause_of(start)
        if ci > 0 and msg.clauses[ci - 1].start >= sentence.start and _only_time(facts, msg.clauses[ci - 1]):
            start = msg.clauses[ci - 1].start
        start = _own_start(facts, Span(start, trigger.start))
        end = next((c.start for c in msg.clauses if trigger.end <= c.start < sentence.end
                    and (_other_request(facts, c) or _new_episode(facts, c))), sentence.end)
        span = Span(start, end)
        ahead = _ahead(facts, span)
        if not ahead and _THEN.search(msg.low, clause.start, min(sentence.end, trigger.end + 12)):
            # 马院长下周三回来，到时候跟进: "then" is the last day ahead told earlier in the sentence
            earlier = _ahead(facts, Span(sentence.start, clause.start))
            if earlier:
                start = msg.clauses[msg.clause_of(earlier[-1].start)].start
                span, ahead = Span(start, end), earlier[-1:]
        if not ahead or _DONE_AFTER.match(msg.low, trigger.end):
            continue
        msg.split_clause(start)
        found.append((span, trigger))
    return found


_THEN = re.compile(r"到时候?|届时|到那时|那时候?|\bthen\b|\bat that point\b|\bonce (?:he|she|they)(?:'s| is| are|'re) back\b", re.ASCII)


def _ahead(facts: Facts, span: Span) -> list:
    """The span's dates that lie ahead (or are today)."""
    return [d for d in facts.within(facts.dates, span) if (resolve(d, facts.today, "due_at") or facts.today) > facts.today
            or d.kind == "day" and d.days == 0]


def _new_episode(facts: Facts, clause: Span) -> bool:
    """A clause that tells another touch or another day (…跟进金桥的回款；周四在北辰…): a follow-up
    before it does not reach into it."""
    if _only_time(facts, clause):  # 跟进 明天 北辰: the day of this follow-up, typed apart
        return False
    return bool(facts.within(facts.dates, clause)) or tells(facts, clause)


def is_follow_up(facts: Facts, trigger: Span) -> bool:
    return FOLLOW_UP.fullmatch(facts.msg.low, trigger.start, trigger.end) is not None


def attach_next_steps(facts: Facts, drafts: list[Draft], reminders: list[tuple[Draft, Span, Span]]) -> None:
    """A visit followed by a follow-up of the same account (…拜访了蓝鲸李总…，下周三跟进) gets that
    follow-up as its next step."""
    for reminder, span, trigger in reminders:
        if not is_follow_up(facts, trigger):
            continue
        visit = next((d for d in drafts if d.name == "log_visit" and d.pos < span.start and "next_step" not in d.args
                      and d.args.get("account") == reminder.args.get("account")), None)
        if visit is not None:
            visit.args["next_step"] = facts.text(span)


def _time_run_start(facts: Facts, end: int) -> int:
    """Where the dates and times written just before `end` begin (下周三上午十点|提醒我), or `end`."""
    msg = facts.msg
    low, start = msg.low, end
    while True:
        head = start
        while head > 0 and low[head - 1] in " ,在于":
            head -= 1
        before = [x for x in facts.dates + facts.times if x.end == head and x.start < head]
        if not before:
            return start
        first = min(x.start for x in before)
        if "," in low[head:start] and msg.clauses[msg.clause_of(first)].start < first \
                and not _only_time(facts, Span(msg.clauses[msg.clause_of(first)].start, first)):
            return start  # met Ken today, will follow up Friday: "today" ends the clause before
        start = first


def _own_start(facts: Facts, lead: Span) -> int:
    """A report told before the trigger with no comma (…进入谈判阶段提醒我周五上午十点给陈经理发合同草稿;
    …聊了一下系统扩容周一上午十点提醒我…) is not the reminder's: it owns only the times right before
    the trigger. A lead of times alone, or a few words, stays with it (明天下午三点提醒我…)."""
    run = _time_run_start(facts, lead.end)
    if _has_words(facts, Span(lead.start, run), Span(lead.end, lead.end)) and _reported(facts, Span(lead.start, run)):
        return run
    return lead.start


def _event_start(facts: Facts, lead: Span) -> int:
    """For a trigger that says nothing itself (…，提前半小时提醒我), where the event it is about begins:
    the clause of the last date or time ahead before it; a report before that event in the same
    clause (今天去了蓝鲸聊得不错周五上午十点开评审会…) is left out; with none, the sentence."""
    ahead = [x for x in facts.within(facts.dates, lead) if (resolve(x, facts.today, "due_at") or facts.today) >= facts.today]
    ahead += [t for t in facts.within(facts.times, lead) if t.exact]
    if not ahead:
        return lead.start
    last = max(ahead, key=lambda x: x.start)
    run = _time_run_start(facts, last.end)
    clause = facts.msg.clauses[facts.msg.clause_of(run)]
    start = max(clause.start, lead.start)
    return run if _reported(facts, Span(start, run)) else start


def _reported(facts: Facts, span: Span) -> bool:
    """Whether the span tells of a visit, call or deal change that already happened (not the
    meeting the reminder is about: call with Hank tomorrow at 3, remind me an hour ahead)."""
    low = facts.msg.low
    past = _DONE.search(low, span.start, span.end) or any(
        (day := resolve(d, facts.today, "occurred_on")) is not None and day < facts.today for d in facts.within(facts.dates, span))
    return bool(past) and tells(facts, span)


def _says_nothing(facts: Facts, span: Span) -> bool:
    """Whether what follows a trigger is only how long before (…提前一小时提醒我; remind me an hour ahead)."""
    return not tidy(_LEAD.sub("", _LEAD_TIME.sub("", facts.msg.low[span.start:span.end])))


def _other_request(facts: Facts, clause: Span) -> bool:
    """A clause that turns to something else (…，另外102批了; also approve Q-101)."""
    low = facts.msg.low
    shift = _SHIFT.match(low, clause.start)
    if not shift:
        return False
    rest = Span(shift.end(), clause.end)
    decided = APPROVE.search(low, rest.start, rest.end) or REJECT.search(low, rest.start, rest.end)
    return bool(QUOTE_CREATE.search(low, rest.start, rest.end) or decided and (
        QUOTE_WORD.search(low, rest.start, rest.end) or find_quote_ids(low[rest.start:rest.end], bare=True)))


def _split(facts: Facts, span: Span, trigger: Span) -> list[Span]:
    """One trigger, several reminders: a later clause that opens with its own time starts the next
    one (提醒我明天上午给青松发方案，下午三点给北辰打电话; …, and monday morning to …)."""
    msg = facts.msg
    cuts = [span.start]
    for c in msg.clauses:
        if not (span.start < c.start < span.end) or c.start < trigger.end:
            continue
        lead = _AND.match(msg.low, c.start)
        head = lead.end() if lead else c.start
        opens = [x for x in facts.dates + facts.times if x.start == head]
        if opens and _has_words(facts, Span(max(x.end for x in opens), c.end), trigger) \
                and _has_words(facts, Span(cuts[-1], c.start), trigger):
            cuts.append(c.start)
    return [Span(a, b) for a, b in zip(cuts, cuts[1:] + [span.end])]


def _has_words(facts: Facts, span: Span, trigger: Span) -> bool:
    """Whether the span says something besides the trigger and times."""
    low = facts.msg.low
    text = low[span.start:span.end].replace(low[trigger.start:trigger.end], "")
    for x in facts.within(facts.dates, span) + facts.within(facts.times, span):
        text = text.replace(low[x.start:x.end], "")
    return len(tidy(_LEAD.sub("", text))) >= 2


def _bare_trigger(facts: Facts, span: Span, trigger: Span) -> bool:
    """Whether the trigger's own words say nothing but "remind me (so long before)"."""
    rest = facts.msg.low[span.start:trigger.start] + facts.msg.low[trigger.end:span.end]
    return not tidy(_LEAD_TIME.sub("", rest))


def _only_time(facts: Facts, clause: Span) -> bool:
    rest = facts.msg.low[clause.start:clause.end]
    for item in facts.within(facts.dates, clause) + facts.within(facts.times, clause):
        rest = rest.replace(facts.msg.low[item.start:item.end], "")
    return bool(facts.within(facts.dates, clause) or facts.within(facts.times, clause)) and not tidy(rest)


def build(facts: Facts, span: Span, trigger: Span, context: list[AccountRef], same_day=None) -> Draft:
    """The reminder of one span; `same_day` is the day of the reminder before it in the same
    request, for a part that only gives a time (…，下午三点给北辰打电话)."""
    draft = Draft("create_reminder", span.start)
    dates = facts.within(facts.dates, span)
    times = facts.within(facts.times, span)
    after = [d for d in dates if d.start >= trigger.end]
    day = None
    for d in after + [d for d in reversed(dates) if d.start < trigger.start]:
        day = resolve(d, facts.today, "due_at")
        if day is not None and day >= facts.today:
            break
        day = None
    time = (times[0] if times else None)
    exact = [t for t in times if t.exact]
    if exact:
        time = exact[0]
        evening = any(not t.exact and t.hour >= 13 for t in times)
        if evening and time.hour < 12:  # tonight at 9
            time = replace(time, hour=time.hour + 12)
    soon = _IN_A_WHILE.search(facts.msg.low, span.start, span.end)
    if day is None and time is None and soon:
        due = facts.now.replace(tzinfo=None) + _while(soon)
        draft.args["due_at"] = due.strftime("%Y-%m-%dT%H:%M")
    elif day is None and time is not None and same_day is not None and span.start > trigger.end:
        day = same_day
    elif day is None and time is not None:
        day = facts.today
        if (time.hour, time.minute) <= (facts.now.hour, facts.now.minute):
            day += timedelta(days=1)
    if day is None and "due_at" not in draft.args:
        draft.missing.append("due_at")
        draft.certainty *= 0.5
    elif day is not None:
        hour, minute = (time.hour, time.minute) if time else (9, 0)
        due = datetime.combine(day, dtime(hour, minute)) - _lead_time(facts, span)
        draft.args["due_at"] = due.strftime("%Y-%m-%dT%H:%M")
    text = _text(facts, span, trigger, dates, times)
    if text:
        draft.args["text"] = text
    else:
        draft.missing.append("text")
        draft.certainty *= 0.6
    refs = facts.account_refs(span, context=context)
    sentence = facts.msg.sentences[facts.msg.sentence_of(span.start)]
    lead_in = facts.account_refs(Span(sentence.start, span.start), context=context) if sentence.start < span.start else []
    if refs:
        draft.set_account(refs[0], required=False)
    elif context and text and _PRONOUN.search(text.lower()):
        draft.set_account(context[-1], required=False)
    elif len({r.key for r in lead_in}) == 1:
        draft.set_account(lead_in[0], required=False)  # 明年1月北辰要验收，提醒我1月10号准备材料
    elif lead_in:
        nearest = _nearest_account(facts, Span(sentence.start, span.start), context)
        if nearest is not None:  # …；周三跟蓝海黄总视频，下周二再跟进: the clause it continues
            draft.set_account(nearest, required=False)
    elif is_follow_up(facts, trigger) and len({r.key for r in context}) == 1:
        draft.set_account(context[0], required=False)  # Met the Fabrikam team… Following up Monday.
    return draft


def _nearest_account(facts: Facts, lead: Span, context: list[AccountRef]) -> AccountRef | None:
    """The one account of the last clause before the reminder that names any."""
    msg = facts.msg
    for ci in range(msg.clause_of(max(lead.start, lead.end - 1)), -1, -1):
        clause = msg.clauses[ci]
        if clause.end <= lead.start:
            break
        refs = facts.account_refs(Span(max(clause.start, lead.start), min(clause.end, lead.end)), context=context)
        if refs:
            return refs[0] if len({r.key for r in refs}) == 1 else None
    return None


def _lead_time(facts: Facts, span: Span) -> timedelta:
    """提前半小时 / 30 minutes before: how long before the event to remind."""
    m = _LEAD_TIME.search(facts.msg.low, span.start, span.end)
    return _while(m) if m else timedelta(0)


def _while(m: re.Match) -> timedelta:
    """The stretch of time a 提前半小时 / in an hour match names."""
    amount, unit = (m["cn"], m["cn_unit"]) if m["cn"] else (m["en"], m["en_unit"])
    n = 0.5 if amount in ("半", "half a", "half an") else (1 if amount in ("a", "an") else number(amount))
    if n is None:
        return timedelta(0)
    if unit.startswith(("分", "min")):
        return timedelta(minutes=float(n))
    if unit.startswith(("天", "day")):
        return timedelta(days=float(n))
    return timedelta(hours=float(n))


def _text(facts: Facts, span: Span, trigger: Span, dates, times) -> str:
    """The span less the trigger and the time words, as the user wrote it."""
    msg = facts.msg
    lead = [Span(m.start(), m.end()) for rx in (_LEAD_TIME, _IN_A_WHILE) for m in rx.finditer(msg.low, span.start, span.end)]
    follow_up = is_follow_up(facts, trigger)
    said = [] if follow_up else [trigger]  # 下周三跟进: the follow-up is what to do
    note = _SELF_NOTE_LEAD.match(msg.low, trigger.start, trigger.end)
    if follow_up and note:  # 记得周五发个祝福, need to call Ken: what to do, less the "remember to"
        said = [Span(trigger.start, note.end())]
    cut = sorted(said + [d.span for d in dates] + [t.span for t in times] + lead, key=lambda s: s.start)
    pieces, pos = [], span.start
    for c in cut:
        if c.start > pos:
            pieces.append((pos, c.start))
        pos = max(pos, c.end)
    if pos < span.end:
        pieces.append((pos, span.end))
    words = []
    for start, end in pieces:
        lead = _LEAD.match(msg.low, start, end)
        start = lead.end() if lead and not words and not follow_up else start
        piece = msg.original(start, end)
        if piece:
            words.append(piece)
    return _TAIL.sub("", " ".join(words))
