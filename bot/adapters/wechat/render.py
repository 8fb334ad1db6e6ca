"""WeChat has no buttons: a `Reply`'s choices become numbered lines after its text.

    card text                             the loop's Reply
    回复 1 确认 / 2 修改 / 3 取消         its choices, numbered, in the reply's language

What people type back (a number, `同意 101`) is read in `inbound.py`.
"""
from __future__ import annotations

import unicodedata

from bot.adapters.text import split_text as split_lines
from bot.choices import Choice
from bot.messages import Reply
from bot.text_input import guess_language
from prompts.wechat import wx

MAX_PIECE_CHARS = 1800  # WeChat cuts long texts; keep each message well inside its limit


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
    decoded = [Choice.decode(c.id) for c in reply.choices]
    quote_ids = {c.target for c in decoded if c is not None and c.kind == "q"}
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
    return split_lines(text, limit)
