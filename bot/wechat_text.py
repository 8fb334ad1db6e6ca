"""WeChat has no buttons: choices become numbered lines, and what people type maps back to them.

    card text                             the loop's Reply
    回复 1 确认 / 2 修改 / 3 取消         its choices, numbered, in the reply's language

A typed number presses the choice it had in the conversation's last message (`ChoiceMemory`);
`同意 101` / `驳回 101 原因` (`approve 101` / `reject 101 reason`) decide a quote from any message.
"""
from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

from bot.messages import Choice, Reply
from bot.text_input import guess_language
from prompts.wechat import wx

MAX_PIECE_CHARS = 1800  # WeChat cuts long texts; keep each message well inside its limit

_DECISION = re.compile(
    r"^\s*(?P<verb>同意|批准|通过|approve|驳回|拒绝|reject)\s*#?\s*(?P<id>\d{1,12})(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL)
_APPROVE_VERBS = {"同意", "批准", "通过", "approve"}
_REASON_LEAD = " \t\r\n,，:：;；。.-—"
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.。、)）]?\s*$")
_MENTION_TAIL = "\u2005\u0020"
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９＃", "0123456789#")  # same length: positions carry over


@dataclass(frozen=True)
class Decision:
    """A manager's typed decision on a quote."""

    quote_id: int
    action: Literal["approve", "reject"]
    reason: str = ""

    @property
    def choice(self) -> str:
        return f"q:{self.quote_id}:{self.action}"


def parse_decision(text: str) -> Decision | None:
    """`同意 101`, `approve #101`, `驳回 101 价格太低`, `reject 101: too cheap`. An approval followed
    by more words is not a decision (it may be a question about the quote)."""
    text = text or ""
    match = _DECISION.match(text.translate(_ASCII_DIGITS))
    if not match:
        return None
    verb, rest = match.group("verb").casefold(), text[match.start("rest"):]
    quote_id = int(match.group("id"))
    if verb in _APPROVE_VERBS:
        return Decision(quote_id, "approve") if not rest.strip(_REASON_LEAD + "!！") else None
    if rest[:1].isdigit():
        return None
    return Decision(quote_id, "reject", rest.strip(_REASON_LEAD).strip())


def typed_number(text: str) -> int | None:
    match = _NUMBER.match((text or "").translate(_ASCII_DIGITS))
    return int(match.group(1)) if match else None


class ChoiceMemory:
    """The numbered choices of the last message the bot showed in each conversation, keyed by
    (chat, person). Kept in memory: after a restart a typed number reaches the loop as text, which
    still reads 1/2/3 as confirm/edit/cancel for the newest card."""

    def __init__(self, max_conversations: int = 10_000) -> None:
        self._shown: OrderedDict[tuple[str, str], tuple[str, ...]] = OrderedDict()
        self.max_conversations = max_conversations

    def shown(self, key: tuple[str, str], choices: tuple[Choice, ...]) -> None:
        """The bot just showed a message in this conversation: its choices (maybe none) are the
        ones numbers refer to now."""
        self._shown.pop(key, None)
        if choices:
            self._shown[key] = tuple(c.id for c in choices)
            while len(self._shown) > self.max_conversations:
                self._shown.popitem(last=False)

    def pick(self, key: tuple[str, str], text: str) -> str | None:
        number = typed_number(text)
        ids = self._shown.get(key, ())
        if number is None or not 1 <= number <= len(ids):
            return None
        return ids[number - 1]


def plain_label(label: str) -> str:
    """'✅ 确认' → '确认': the words of a button label without its leading symbols."""
    start = 0
    while start < len(label) and unicodedata.category(label[start])[0] not in ("L", "N"):
        start += 1
    return label[start:].strip() or label.strip()


def reply_language(reply: Reply) -> str:
    return guess_language(" ".join([reply.text, *(c.label for c in reply.choices)]))


def choices_footer(reply: Reply) -> str:
    """The line that tells how to answer a card. Nothing when the text already lists the choices
    as "1. name" lines (a "which one did you mean?" question)."""
    if not reply.choices:
        return ""
    listed = all(f"{i}. {c.label}" in reply.text for i, c in enumerate(reply.choices, 1))
    if listed:
        return ""
    lang = reply_language(reply)
    line = wx(lang, "reply_prefix") + " " + " / ".join(
        f"{i} {plain_label(c.label)}" for i, c in enumerate(reply.choices, 1))
    quote_ids = {c.id.split(":")[1] for c in reply.choices if c.id.startswith("q:")}
    if len(quote_ids) == 1:
        line += "\n" + wx(lang, "decision_hint", quote_id=quote_ids.pop())
    return line


def render_reply(reply: Reply, *, limit: int = MAX_PIECE_CHARS) -> list[str]:
    """The texts to send for one reply: its text, then the numbered choices, split into pieces
    of at most `limit` characters on line boundaries (the choices always end the last piece)."""
    footer = choices_footer(reply)
    body = "\n".join(part for part in (reply.text.rstrip(), footer) if part)
    return split_text(body, limit)


def split_text(text: str, limit: int = MAX_PIECE_CHARS) -> list[str]:
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return pieces


def strip_mentions(text: str, names: list[str]) -> str:
    """Remove "@name" mentions of the bot (WeChat ends a mention with U+2005 or a space)."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = re.sub("@" + re.escape(name) + f"(?:[{_MENTION_TAIL}]|$)", " ", text)
    return re.sub(" {2,}", " ", text).strip()


def mentions_name(text: str, names: list[str]) -> bool:
    return any(n and re.search("@" + re.escape(n) + f"(?:[{_MENTION_TAIL}]|$)", text) for n in names)
