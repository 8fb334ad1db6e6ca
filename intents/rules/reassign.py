"""Handing accounts over: `reassign_accounts` (老刘离职，他的客户转给娜娜; move Tailspin from Alice
to 刘洋; move Tailspin from Alice to me; 金桥转给小王，华康转给老刘).

The receiver is the user after "to"/给, else the speaker when it says "to me"/给我, else the first
user after the verb; an account followed by its own "转给 X" goes to X. The giver is the user after "from", else the user named before the verb, else
one named as an owner (Alice's accounts, 小王的客户), else the speaker ("my accounts"), else the
owner of the named account. One call per named account; none named means all of the giver's.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from intents.rules import trailing
from intents.rules.facts import Draft, Facts
from intents.rules.lexicon import REASSIGN
from intents.rules.mentions import Mention
from intents.rules.text import Span

_FROM = re.compile(r"\bfrom\s*$", re.ASCII)
_TO = re.compile(r"(?:\bto|给)\s*$", re.ASCII)
_TO_ME = re.compile(r"\bto me\b|给我|归我|转到我|到我名下|交给我|\bover to me\b", re.ASCII)
_POSSESSIVE = re.compile(r"\s*(?:'s\b|’s\b|的)", re.ASCII)
_SELF = re.compile(r"我的|我名下|我手上|(?<![他她])(?:手上|手里|手头)的?客户|\bmy\b|\bmine\b", re.ASCII)
# a rep leaving or away: the accounts named after it, each "给 X", are handed over (老刘离职，海纳给娜娜)
_AWAY = re.compile(r"离职|辞职|走了|要走|就走|(?:月底|年底|下周|下个?月|明天|后天|周[一二三四五六日])走|调走|调岗|休假|请假|休产假|产假|病假|离开|转岗|\bleav(?:e|es|ing)\b|\bquit(?:s|ting)?\b", re.ASCII)
_GIVEN = re.compile(r"\s*(?:都|全|全部)?(?:给|归|交给|转给)\s*", re.ASCII)
_ME_TAKES = re.compile(r"我", re.ASCII)  # 她的华康我先接着
_ACCOUNTS_WORD = re.compile(r"客户|名下|\baccounts?\b|\bcustomers?\b|\bbook\b|\bterritory\b", re.ASCII)


class _Person(NamedTuple):
    name: str
    start: int
    named: bool = True  # a user the message names (not the speaker, not an account's owner)


def detect(facts: Facts) -> tuple[list[Draft], list[Span]]:
    """The handover calls and the text they own (from the first clause naming the giver, an
    account or the verb, to the end of the verb's sentence)."""
    for cue in REASSIGN.finditer(facts.msg.low):  # Alice moves to EMEA, I'll cover her accounts: the second cue
        found = _at(facts, cue)
        if found[0]:
            return found
    given = _handed_after_away(facts)  # 老刘下周离职，海纳给娜娜
    return _at(facts, given) if given else ([], [])


def _at(facts: Facts, cue: re.Match) -> tuple[list[Draft], list[Span]]:
    msg, low = facts.msg, facts.msg.low
    sentence = msg.sentences[msg.sentence_of(cue.start())]
    users = [m for m in facts.mentions if m.kind == "user" and m.entry is not None and m.start < sentence.end]
    named_from = next((u for u in users if _before(low, u, _FROM, 6)), None)
    receiver = _receiver(facts, users, named_from, cue, sentence)
    if receiver is None:
        return [], []
    giver = _person(named_from) or next(
        (_person(u) for u in reversed(users) if u.start < cue.start() and u.entry.name != receiver.name), None) or next(
        (_person(u) for u in users if u.entry.name != receiver.name and _POSSESSIVE.match(low, u.end)), None)
    accounts = [r for r in facts.account_refs(sentence) if not r.via_contact]
    if giver is None and _SELF.search(low, sentence.start, receiver.start if receiver.named else cue.start()):
        giver = _Person(facts.ctx.user.name, sentence.start, named=False)
    if giver is None:
        owners = {facts.index.owner_name(r.entry) for r in accounts if r.entry is not None}
        if len(owners) == 1 and None not in owners and owners != {receiver.name}:
            giver = _Person(owners.pop(), -1, named=False)
    if not accounts and (giver is None or not (giver.named or _ACCOUNTS_WORD.search(low, sentence.start, sentence.end))):
        return [], []  # 把方案交给小王: giving a thing, not accounts
    anchors = [cue.start()] + [r.pos for r in accounts] + ([giver.start] if giver and giver.named and giver.start >= sentence.start else [])
    owned = Span(msg.clauses[msg.clause_of(min(anchors))].start, trailing.cut(facts, cue.end(), sentence.end))
    drafts = []
    for ref in accounts or [None]:
        draft = Draft("reassign_accounts", owned.start if ref is None else ref.pos)
        if giver:
            draft.args["from_user"] = giver.name
        else:
            draft.missing.append("from_user")
            draft.certainty *= 0.5
        draft.args["to_user"] = _own_receiver(low, users, named_from, ref) or receiver.name
        if ref is not None:
            draft.set_account(ref, required=False)
        drafts.append(draft)
    return drafts, [owned]


# the receiver is the one before these words: 让娜娜接手小王的客户, Bob takes over Initech, I'll cover her accounts
_TAKES = re.compile(r"接手|接管|\btak(?:e|es|ing) over\b|\btook over\b|\bcover", re.ASCII)
_SPEAKER_TAKES = re.compile(r"\b(?:i|i'll|i’ll|i will|i'm going to|i can|let me|we'll)\s+(?:\w+\s+)?$", re.ASCII)
_ENDS_TO = re.compile(r"\bto$", re.ASCII)


def _handed_after_away(facts: Facts) -> re.Match | None:
    """老刘下周离职，海纳给娜娜: after a rep is said to leave, an account followed by 给 and a user."""
    low = facts.msg.low
    away = _AWAY.search(low)
    if not away:
        return None
    users = [m.start for m in facts.mentions if m.kind == "user" and m.entry is not None]
    for ref in facts.account_refs(Span(away.end(), len(low))):
        if ref.via_contact or ref.entry is None:
            continue
        given = _GIVEN.match(low, ref.mention.end)
        if given and given.end() in users:
            return given
    return None


def _receiver(facts: Facts, users: list[Mention], named_from: Mention | None, cue, sentence: Span) -> _Person | None:
    low = facts.msg.low
    if _ME_TAKES.match(cue.group()):
        return _Person(facts.ctx.user.name, cue.start(), named=False)
    if _TAKES.match(cue.group()):
        before = [u for u in users if sentence.start <= u.start < cue.start() and u is not named_from
                  and not _POSSESSIVE.match(low, u.end)]
        if _SPEAKER_TAKES.search(low[max(sentence.start, cue.start() - 30):cue.start()]):
            return _Person(facts.ctx.user.name, cue.start(), named=False)
        if before:
            return _person(before[-1])
    after = [u for u in users if u.start >= cue.start() and u is not named_from]
    to = next((u for u in after if _before(low, u, _TO, 4)), None)
    if to is not None:
        return _person(to)
    if _ENDS_TO.search(cue.group()):
        return None  # goes to … / go to: only a user right after the word hands accounts over
    me = _TO_ME.search(low, cue.start(), sentence.end)
    if me:
        return _Person(facts.ctx.user.name, me.start(), named=False)
    return next((_person(u) for u in after if u.start >= cue.end()), None)


def _own_receiver(low: str, users: list[Mention], named_from: Mention | None, ref) -> str | None:
    """金桥物流转给小王，华康医疗转给老刘: each account goes to the user given right after it."""
    if ref is None:
        return None
    after = [u for u in users if u.start > ref.pos and u is not named_from and _before(low, u, _TO, 4)]
    return after[0].entry.name if after else None


def _before(low: str, mention: Mention, rx: re.Pattern, width: int) -> bool:
    return bool(rx.search(low[max(0, mention.start - width):mention.start]))


def _person(mention: Mention | None) -> _Person | None:
    return _Person(mention.entry.name, mention.start) if mention is not None and mention.entry else None
