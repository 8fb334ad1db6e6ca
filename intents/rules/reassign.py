"""Handing accounts over: `reassign_accounts` (老刘离职，他的客户转给娜娜; move Tailspin from Alice
to 刘洋). The receiver is the user named after the verb (or after "to"); the giver the user named
before it (or after "from"; "my"/我的 is the speaker), else the owner of the named account. One
call per named account; none named means all of the giver's."""
from __future__ import annotations

import re

from intents.rules.facts import Draft, Facts
from intents.rules.lexicon import REASSIGN
from intents.rules.text import Span

_FROM = re.compile(r"\bfrom\s*$", re.ASCII)
_TO = re.compile(r"(?:\bto|给)\s*$", re.ASCII)
_TO_ME = re.compile(r"\bto me\b|给我|转到我|到我名下|交给我|\bover to me\b", re.ASCII)
_POSSESSIVE = re.compile(r"\s*(?:'s\b|’s\b|的)", re.ASCII)
_SELF = re.compile(r"我的|我名下|我手上|\bmy\b|\bmine\b", re.ASCII)
_ACCOUNTS_WORD = re.compile(r"客户|名下|\baccounts?\b|\bcustomers?\b|\bbook\b|\bterritory\b", re.ASCII)


class _Speaker:
    """The person writing, as the receiving end of a handover ("to me", 给我)."""

    def __init__(self, name: str, start: int) -> None:
        self.entry = _Named(name)
        self.start = start


class _Named:
    def __init__(self, name: str) -> None:
        self.name = name


def detect(facts: Facts) -> tuple[list[Draft], list[Span]]:
    """The handover calls and the text they own (from the first clause naming the giver, an
    account or the verb, to the end of the verb's sentence)."""
    msg, low = facts.msg, facts.msg.low
    cue = REASSIGN.search(low)
    if not cue:
        return [], []
    sentence = msg.sentences[msg.sentence_of(cue.start())]
    users = [m for m in facts.mentions if m.kind == "user" and m.entry is not None and m.start < sentence.end]
    after = [u for u in users if u.start >= cue.start()]
    from_user = next((u for u in users if _FROM.search(low[max(0, u.start - 6):u.start])), None)
    to_user = next((u for u in after if u is not from_user and _TO.search(low[max(0, u.start - 4):u.start])), None)
    to_self = _TO_ME.search(low, cue.start(), sentence.end)
    if to_user is None and to_self:
        to_user = _Speaker(facts.ctx.user.name, to_self.start())
    to_user = to_user or next((u for u in after if u.start >= cue.end() and u is not from_user), None)
    if to_user is None:
        return [], []
    from_user = from_user or next((u for u in reversed(users) if u.start < cue.start() and u.entry.name != to_user.entry.name), None)
    from_user = from_user or next((u for u in users if u.entry.name != to_user.entry.name and _POSSESSIVE.match(low, u.end)), None)
    accounts = [r for r in facts.account_refs(sentence) if not r.via_contact]
    giver = from_user.entry.name if from_user else None
    if giver is None and _SELF.search(low[sentence.start:cue.start()]):
        giver = facts.ctx.user.name
    if giver is None and accounts:
        owners = {facts.index.owner_name(r.entry) for r in accounts if r.entry is not None}
        if len(owners) == 1:
            giver = owners.pop()
    if giver is None and not accounts:
        return [], []
    if not (from_user or accounts or _ACCOUNTS_WORD.search(low, sentence.start, sentence.end)):
        return [], []
    anchors = [cue.start()] + [r.pos for r in accounts]
    if from_user is not None and from_user.start >= sentence.start:
        anchors.append(from_user.start)
    owned = Span(msg.clauses[msg.clause_of(min(anchors))].start, sentence.end)
    drafts = []
    for ref in accounts or [None]:
        draft = Draft("reassign_accounts", owned.start if ref is None else ref.pos)
        if giver:
            draft.args["from_user"] = giver
        else:
            draft.missing.append("from_user")
            draft.certainty *= 0.5
        draft.args["to_user"] = to_user.entry.name
        if ref is not None:
            draft.set_account(ref, required=False)
        drafts.append(draft)
    return drafts, [owned]
