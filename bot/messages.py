"""What adapters and the conversation loop exchange. Nothing platform-specific crosses this line."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Audio:
    """A voice note the adapter downloaded: raw bytes and the container/codec it came in."""

    data: bytes
    format: str  # "ogg", "silk", "amr", "mp3", "m4a", "wav"
    duration_s: float | None = None


@dataclass(frozen=True)
class Image:
    """A picture or document the adapter downloaded (a photo, a scanned page, a PDF): raw bytes and
    the MIME type the platform claimed. The type is checked again from the content before use."""

    data: bytes
    mime: str = "application/octet-stream"
    name: str | None = None


@dataclass(frozen=True)
class IncomingMessage:
    """One message as every adapter normalizes it (nonebot/errbot style).

    `external_user_id` is the sender on the platform; `chat_id` where to answer (equal to it in a
    private chat). `message_id` is unique within (platform, chat_id) and makes handling idempotent.
    `choice` carries a pressed button's opaque id (Telegram callback data, a numbered reply the
    adapter mapped), so a press and a typed "1" reach the loop the same way. `images` are pictures
    or documents sent with (or as) the message, in the order the user sent them.
    """

    platform: str
    chat_id: str
    external_user_id: str
    message_id: str
    text: str = ""
    audio: Audio | None = None
    images: tuple[Image, ...] = ()
    choice: str | None = None
    is_group: bool = False
    mentions_bot: bool = False
    language_hint: str | None = None
    display_name: str | None = None


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    style: Literal["primary", "danger", "default"] = "default"


ReplyKind = Literal["card", "question", "answer", "notice"]


@dataclass(frozen=True)
class Reply:
    """What the loop says. Adapters decide how to show `choices` (buttons or numbered lines) and
    `image` (a photo, or `image_alt` text where images are not supported).

    `kind` says what it is, so adapters never compare text with the message catalogue:
    `card` (calls waiting for confirm / edit / cancel), `question` (the next message answers it:
    a missing value, which one, a reason, what to change), `answer` (a result, a report, a
    confirmation) and `notice` (to be known, asks nothing and changed nothing: a stale or foreign
    press, a refused edit, nothing to confirm, an unlinked sender, a reminder coming due).
    """

    text: str
    choices: tuple[Choice, ...] = ()
    image: bytes | None = None
    image_alt: str | None = None
    replaces_card: bool = False  # answers a button press: show it in place of the pressed card
    kind: ReplyKind = "answer"


@dataclass(frozen=True)
class Outgoing:
    """A reply addressed to a user on a platform (proactive messages, approval requests)."""

    platform: str
    chat_id: str
    reply: Reply
