"""`Reply` → what WeCom shows: text messages, button_interaction template cards, images.

    reply without choices        text, cut into pieces of ≤2048 bytes (WeCom's limit) at line ends
    reply with choices           a template card: the first line as its title, the rest as its
                                 text, one button per choice (key = the choice id); a text too long
                                 for the card goes first as a text message and the card follows it
    more than 6 choices          one card per 6 (WeCom shows at most 6 buttons)
    reply.image                  media/upload, then an image message; the text follows; if the
                                 upload fails, `image_alt` (the table behind the chart) instead

Text is sent as `text`, never `markdown`, so what a user typed (and the loop echoes) is never read
as markup (WeCom's markdown has no escapes).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from bot.adapters.text import split_text as split_lines, utf8_len
from bot.messages import Choice, Reply

MAX_TEXT_BYTES = 2048
MAX_TITLE = 36  # characters WeCom shows in main_title.title
MAX_CARD_TEXT = 112  # sub_title_text
MAX_BUTTON_TEXT = 10
MAX_BUTTONS = 6
MAX_REPLACE_NAME = 16
_STYLES = {"primary": 1, "danger": 3, "default": 2}


@dataclass(frozen=True)
class Piece:
    """One message/send call: its msgtype and content; an image piece is uploaded first."""

    msgtype: str
    content: dict = field(default_factory=dict)
    image: bytes | None = None
    image_alt: str | None = None


def render_reply(reply: Reply) -> list[Piece]:
    pieces: list[Piece] = []
    if reply.image:
        pieces.append(Piece("image", image=reply.image, image_alt=reply.image_alt))
    if not reply.choices:
        pieces.extend(Piece("text", {"content": part}) for part in split_text(reply.text))
        return pieces
    title, rest = card_title(reply.text)
    fits = len(title) <= MAX_TITLE and len(rest) <= MAX_CARD_TEXT
    if not fits:
        pieces.extend(Piece("text", {"content": part}) for part in split_text(reply.text))
        title, rest = _cut(title, MAX_TITLE), ""
    groups = [reply.choices[i:i + MAX_BUTTONS] for i in range(0, len(reply.choices), MAX_BUTTONS)]
    for n, group in enumerate(groups):
        pieces.append(Piece("template_card", card(title if n == 0 else "…", rest if n == 0 else "", group)))
    return pieces


def card_title(text: str) -> tuple[str, str]:
    """(title, the rest): the first line, or as much of it as fits the title, cut at the last
    " · " (else a comma, else a space) so the rest continues under it."""
    first, _, rest = text.strip().partition("\n")
    rest = rest.strip()
    if len(first) <= MAX_TITLE:
        return first, rest
    head = first[:MAX_TITLE + 1]
    cut = next((i for i in (head.rfind(sep) for sep in (" · ", "，", ",", "；", " ")) if i > 0), -1)
    if cut <= 0:
        return first, rest
    title, more = first[:cut].rstrip(" ·，,；"), first[cut:].lstrip(" ·，,；")
    return title, "\n".join(p for p in (more, rest) if p)


def card(title: str, text: str, choices: tuple[Choice, ...]) -> dict:
    content = {"card_type": "button_interaction", "task_id": new_task_id(),
               "main_title": {"title": title or "…"},
               "button_list": [{"text": _cut(c.label, MAX_BUTTON_TEXT), "style": _STYLES.get(c.style, 2),
                                "key": c.id} for c in choices]}
    if text:
        content["sub_title_text"] = text
    return content


def new_task_id() -> str:
    """A card's task_id: unique per app, ≤128 of [A-Za-z0-9_-@]."""
    return "sb-" + uuid.uuid4().hex


def decision_name(pressed_label: str | None, reply_text: str) -> str:
    """What a pressed card's buttons become: the pressed button's words ("✅ 确认"), else the
    first line of the answer."""
    name = (pressed_label or "").strip() or reply_text.strip().split("\n", 1)[0]
    return _cut(name, MAX_REPLACE_NAME) or "✓"


def _cut(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at line ends where possible."""
    return [p for p in split_lines(text, limit, size=utf8_len) if p.strip()]
