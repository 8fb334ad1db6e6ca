"""What a user says about a reminder they already have: done, delete, or move it.

"给鼎盛袁总回电话那个提醒已经办完了" → complete_reminder; "把12月31号那个提醒删掉" → delete_reminder;
"push my 3pm reminder to tomorrow" → move_reminder. A message qualifies when it names a reminder
(提醒 / 待办 / reminder, not 提醒我 / remind me, which set one) and says what happens to it; a move
also needs the new time. The reminder is described by what the message keeps once the verb and
the filler words are gone: its customer (`account`), a day and time of day before the move
(`due_on`, `due_time`), and its words (`text`); the tool finds the one reminder they fit.
"""
from __future__ import annotations

import re

from intents.rules.dates import resolve
from intents.rules.facts import Draft, Facts
from intents.rules.text import Span, tidy

_NOUN = re.compile(r"提醒(?!我|一下|下|你|功能|设置|消息|推送|服务)|待办|闹钟|"
                   r"\breminders?\b(?!\s+(?:feature|settings?|messages|notifications))|\bto-?dos?\b|\balarm\b", re.ASCII)
# how the feature works is a question for help, not an action on one reminder
_HOW = re.compile(r"怎么|怎样|如何|能不能|可以.{0,6}吗|\bhow (?:do|can|to)\b|\bcan i\b|\bis there a way\b", re.ASCII)
_DONE = re.compile(
    r"办完|做完|弄完|搞完|处理完|完成|搞定|办好|做好|已经?(?:打|回|发|约|联系)过?了|打过了|回过了|已处理|"
    r"划掉|勾掉|销掉|结了|"
    r"\b(?:done|completed?|finished|handled|taken care of|sorted|dealt with|tick(?:ed)? off|check(?:ed)? off|"
    r"cross(?:ed)? off)\b", re.ASCII)
_DELETE = re.compile(
    r"删掉|删除|删了|删|取消|去掉|不要了|不用了|撤销|撤掉|清掉|作废|"
    r"\b(?:delete|remove|cancel|drop|clear|get rid of|scrap|kill)\b", re.ASCII)
_MOVE = re.compile(
    r"推迟|推后|延后|延期|顺延|往后推|往后挪|挪到|挪一下|改到|改成|改在|调到|调整到|换到|推到|提前到|移到|放到|"
    r"\b(?:push(?:ed)?|move[ds]?|postpone[ds]?|reschedule[ds]?|bump(?:ed)?|shift(?:ed)?|delay(?:ed)?|"
    r"snooze[ds]?|change[ds]?|put)\b", re.ASCII)
# words around the reminder's own description that say nothing about which one it is
_FILLER = re.compile(
    r"^(?:请|麻烦|帮我|帮忙|你|我|把|将|那个|这个|那条|这条|的|关于|有关|一下|\s|"
    r"\b(?:please|can you|could you|pls|mark|my|the|a|that|this|your|for|about|to)\b)+|"
    r"(?:那个|这个|那条|这条|的|个|一下|\s|\b(?:please|pls|as|is|has been|was|been|are|all|now|to|until|till|for)\b)+$")
_EN_ABOUT = re.compile(r"\breminders?\s+(?:to|about|for|on|re)\s+", re.ASCII)


def detect(facts: Facts) -> Draft | None:
    """The reminder action the message asks for, or None when it is about something else."""
    low = facts.msg.low
    noun = _NOUN.search(low)
    if noun is None or _HOW.search(low):
        return None
    move, delete, done = (_near(rx, low, noun) for rx in (_MOVE, _DELETE, _DONE))
    if move is not None and _when_after(facts, max(move.end(), noun.end())):
        return _draft(facts, "move_reminder", noun, move)
    if delete is not None:
        return _draft(facts, "delete_reminder", noun, delete)
    if done is not None:
        return _draft(facts, "complete_reminder", noun, done)
    return None


def _near(rx: re.Pattern, low: str, noun: re.Match) -> re.Match | None:
    """The verb, in the same sentence as the reminder word (before it: 删掉…提醒; after: 提醒…办完了)."""
    for m in rx.finditer(low):
        between = low[min(m.end(), noun.end()):max(m.start(), noun.start())]
        if not re.search(r"[。！？!?\n]", between):
            return m
    return None


def _when_after(facts: Facts, pos: int) -> bool:
    return any(d.start >= pos for d in facts.dates) or any(t.start >= pos and t.exact for t in facts.times)


def _draft(facts: Facts, name: str, noun: re.Match, verb: re.Match) -> Draft:
    """The call: what identifies the reminder, and for a move the new day and time (what comes
    after both the verb and the reminder word: push my 3pm reminder → to tomorrow)."""
    draft = Draft(name, min(noun.start(), verb.start()), certainty=0.9)
    boundary = max(verb.end(), noun.end()) if name == "move_reminder" else len(facts.msg.text)
    refs = [r for r in facts.account_refs(Span(0, len(facts.msg.text))) if r.entry is not None or r.candidates]
    if refs:  # a known customer; any other name stays in the words
        draft.set_account(refs[0], required=False)
    old_days = [day for d in facts.dates if d.start < boundary
                if (day := resolve(d, facts.today, "due_at")) is not None]
    if old_days:
        draft.args["due_on"] = old_days[0].isoformat()
    old_times = [t for t in facts.times if t.exact and t.start < boundary]
    if old_times:
        draft.args["due_time"] = f"{old_times[0].hour:02d}:{old_times[0].minute:02d}"
    if name == "move_reminder":
        new_days = [day for d in facts.dates if d.start >= boundary
                    if (day := resolve(d, facts.today, "due_at")) is not None]
        new_times = [t for t in facts.times if t.start >= boundary]
        if new_days:
            draft.args["new_day"] = new_days[0].isoformat()
        if new_times:
            draft.args["new_time"] = f"{new_times[0].hour:02d}:{new_times[0].minute:02d}"
    text = _description(facts, noun, verb)
    if text:
        draft.args["text"] = text
    return draft


def _description(facts: Facts, noun: re.Match, verb: re.Match) -> str | None:
    """The words that describe the reminder: before the reminder word (给袁总回电话那个提醒), or
    after "reminder to / about" (my reminder to call Dana), less dates, times and the filler
    around them (the tool reads a customer's name in it as the customer)."""
    msg = facts.msg
    about = _EN_ABOUT.search(msg.low)
    if about is not None:
        end = verb.start() if verb.start() > about.end() else len(msg.text)
        span = Span(about.end(), end)
    else:
        start = verb.end() if verb.end() <= noun.start() else 0
        span = Span(start, noun.start())
    blocked = [d.span for d in facts.dates] + [t.span for t in facts.times]
    pieces, pos = [], span.start
    for b in sorted(blocked, key=lambda b: b.start):
        if b.end <= span.start or b.start >= span.end:
            continue
        pieces.append(msg.text[pos:max(pos, b.start)])
        pos = max(pos, b.end)
    pieces.append(msg.text[pos:span.end])
    text = tidy(" ".join(p.strip() for p in pieces if p.strip()))
    previous = None
    while previous != text:
        previous = text
        text = _FILLER.sub("", text.strip(" ,，:：")).strip()
    return text if len(text) >= 2 else None

