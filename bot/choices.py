"""What a pressed button or a typed number means: one `Choice` type, encoded and decoded here only.

Every option the bot shows (a card's confirm / edit / cancel, "which one did you mean?", an
approval request, a reminder's done / snooze, "did you mean…?") carries the encoding of a
`Choice` as its id: `kind:target:action`, at most 64 bytes so it fits Telegram's callback data.

    d:<draft>:confirm|edit|cancel       a card's buttons
    c:<draft>:<n>                       the n-th option (1-based) of the question a draft asks
    q:<quote>:approve|reject            an approval request
    r:<reminder>:done|snooze1h|tomorrow a delivered reminder
    p:<user>:off_<code>                 "turn this kind of message off"
    m:<account>:<account>               "merge these two" under a data-health report's duplicate pair
    l:<lead>:accept|contacted|notfit    a lead given to a rep

A typed number is decoded against the options of the last question or card (`pick_number`), so
"2", the second button and the second numbered line mean the same thing everywhere. Ids are
never trusted: decoding only splits them; handlers check that the presser owns the target and
that it is still open.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.messages import Choice as Option

Kind = Literal["d", "c", "q", "r", "p", "m", "l"]
_ENCODED = re.compile(r"^(d|c|q|r|p|m|l):(\d{1,12}):([a-z0-9_]{1,16})$")
_NUMBER = re.compile(r"^\s*(?:第\s*)?([0-9０-９]{1,2})\s*(?:个|號|号)?\s*[.。、)）]?\s*$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Choice:
    kind: Kind
    target: int
    action: str

    def encode(self) -> str:
        return f"{self.kind}:{self.target}:{self.action}"

    @classmethod
    def decode(cls, raw: str | None) -> Choice | None:
        raw = (raw or "").strip()
        match = _ENCODED.match(raw)
        if match:
            return cls(match.group(1), int(match.group(2)), match.group(3))  # type: ignore[arg-type]
        return None

    def option(self, label: str, style: Literal["primary", "danger", "default"] = "default") -> Option:
        """What adapters show: this choice's id with a label."""
        return Option(self.encode(), label, style)

    @property
    def number(self) -> int | None:
        """The 1-based position of a `c:` option."""
        return int(self.action) if self.kind == "c" and self.action.isdigit() else None


def draft_action(draft_id: int, action: Literal["confirm", "edit", "cancel"]) -> Choice:
    return Choice("d", draft_id, action)


def draft_option(draft_id: int, number: int) -> Choice:
    return Choice("c", draft_id, str(number))


def typed_number(text: str) -> int | None:
    """"2", "２", "2.", "第2个" → 2; anything else → None."""
    match = _NUMBER.match((text or "").translate(_FULLWIDTH))
    return int(match.group(1)) if match else None


def pick_number(text: str, options: tuple[Option, ...] | list[Option]) -> Choice | None:
    """The option a typed number picks among those shown (1 is the first), or None."""
    number = typed_number(text)
    if number is None or not 1 <= number <= len(options):
        return None
    return Choice.decode(options[number - 1].id)
