"""The accounts and colleagues a message most likely means, pre-matched from the name directory.

The prompt carries these few, not the whole CRM: a name or alias written in the message, a contact
of the account, then fuzzy matches of the message against the names (typos, partial names). Recent
turns count too, with less weight, so that "改成90万" still sees the account of the turn before.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from storage.names import Directory, Entry, fold

MAX_ACCOUNTS = 8
FUZZY_CUTOFF = 85.0
HISTORY_PENALTY = 30.0


@dataclass(frozen=True)
class AccountHint:
    account: Entry
    contacts: tuple[Entry, ...]
    owner: str | None
    score: float


def _compact(text: str) -> str:
    return fold(text).replace(" ", "")


def _mentions(form: str, folded: str, compact: str) -> bool:
    """Whether a name form occurs in a message: whole words for Latin names ("Sam" is not in
    "same"), plain containment for CJK ones, which have no word breaks."""
    key = fold(form)
    if len(key.replace(" ", "")) < 2:
        return False
    if key.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", folded) is not None
    return key.replace(" ", "") in compact


def _mention_score(entry: Entry, folded: str, compact: str) -> float:
    if any(_mentions(f, folded, compact) for f in entry.forms):
        return 100.0
    # "Contoso" names Contoso Bank by alias, but Contoso Insurance shares the word: show both.
    first_words = {fold(f).split(" ")[0] for f in entry.forms if fold(f).isascii()}
    if any(len(w) >= 4 and _mentions(w, folded, compact) for w in first_words):
        return 80.0
    best = 0.0
    for form in entry.forms:
        key = fold(form)
        if len(key) >= 3:
            best = max(best, fuzz.partial_ratio(key, folded))
    return best if best >= FUZZY_CUTOFF else 0.0


def _score_texts(texts: Iterable[tuple[str, float]], directory: Directory) -> dict[int, float]:
    scores: dict[int, float] = {}
    for text, penalty in texts:
        folded = fold(text)
        compact = folded.replace(" ", "")
        if not compact:
            continue
        for account in directory.accounts:
            s = _mention_score(account, folded, compact)
            if s:
                scores[account.id] = max(scores.get(account.id, 0.0), s - penalty)
        for contact in directory.contacts:
            if contact.account_id is None:
                continue
            if any(_mentions(f, folded, compact) for f in contact.forms):
                # A contact points at its account almost as surely as the account's own name.
                scores[contact.account_id] = max(scores.get(contact.account_id, 0.0), 90.0 - penalty)
    return scores


def likely_accounts(text: str, directory: Directory, *, history: Iterable[str] = (),
                    limit: int = MAX_ACCOUNTS) -> list[AccountHint]:
    """The accounts `text` (then the recent `history`) most likely means, best first."""
    scores = _score_texts([(t, HISTORY_PENALTY) for t in history], directory)
    for account_id, score in _score_texts([(text, 0.0)], directory).items():
        scores[account_id] = max(scores.get(account_id, 0.0), score)
    ranked = sorted(((s, i) for i, s in scores.items() if s > 0), key=lambda si: (-si[0], si[1]))
    hints = []
    for score, account_id in ranked[:limit]:
        account = directory.get("account", account_id)
        if account is None:
            continue
        owner = directory.get("user", account.owner_id) if account.owner_id is not None else None
        contacts = tuple(c for c in directory.contacts if c.account_id == account_id)
        hints.append(AccountHint(account, contacts, owner.name if owner else None, score))
    return hints


def mentioned_users(text: str, directory: Directory) -> list[Entry]:
    """Users named in `text` (for hand-overs), by name or alias; the sender too ("转给小王")."""
    folded = fold(text)
    compact = folded.replace(" ", "")
    return [u for u in directory.users if any(_mentions(f, folded, compact) for f in u.forms)]
