"""`Reply` → what Telegram shows: plain text in ≤4096-unit pieces, choices as an inline keyboard.

Text is sent without a parse mode, so whatever a user typed (and the loop echoes) is never
interpreted as markup.
"""
from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.messages import Choice

log = logging.getLogger("salesbot.telegram")

MAX_TEXT = 4096  # Bot API limit, in UTF-16 code units
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
_STYLES = {"primary": "primary", "danger": "danger"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at line ends where possible."""
    if utf16_len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while utf16_len(line) > limit:  # a line longer than a whole piece: cut it
            if current:
                pieces.append(current)
                current = ""
            head = _fit(line, limit)
            pieces.append(head)
            line = line[len(head):]
        if utf16_len(current) + utf16_len(line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [p.rstrip("\n") for p in pieces if p.strip()]


def _fit(text: str, units: int) -> str:
    out, used = [], 0
    for ch in text:
        width = 2 if ord(ch) > 0xFFFF else 1
        if used + width > units:
            break
        out.append(ch)
        used += width
    return "".join(out)


def keyboard(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
    """One row for a few short choices (Confirm / Edit / Cancel), one button a row otherwise."""
    buttons = []
    for choice in choices:
        if not 1 <= len(choice.id.encode()) <= MAX_CALLBACK_DATA:
            log.error("choice id does not fit Telegram callback data; button left out",
                      extra={"choice_id": choice.id[:80]})
            continue
        buttons.append(InlineKeyboardButton(choice.label, callback_data=choice.id,
                                            style=_STYLES.get(choice.style)))
    if not buttons:
        return None
    if len(buttons) <= 3 and sum(len(b.text) for b in buttons) <= 24:
        return InlineKeyboardMarkup([buttons])
    return InlineKeyboardMarkup([[b] for b in buttons])


def button_data(message: Message | None) -> set[str]:
    """The callback data of the buttons a message shows now."""
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return set()
    return {b.callback_data for row in markup.inline_keyboard for b in row
            if isinstance(b.callback_data, str)}
