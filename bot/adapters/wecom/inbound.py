"""Decrypted WeCom callbacks → `WeComEvent` → `IncomingMessage`, and the replay guard.

    text                  → text
    voice (AMR, media_id) → audio, fetched with media/get by the adapter
    image (media_id)      → images, fetched with media/get
    template_card_event   → choice (the pressed button's key: the Reply choice id)
    enter_agent           → the user opened the app: greeted once, nothing written
    anything else         → a short "cannot read this" (files, videos, locations), or nothing

A self-built app talks to each member in a private chat whose id is their userid. Nothing here
trusts a button key: it is passed on as `choice`, and the loop checks it.
"""
from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import xmltodict

from bot.messages import Audio, Image, IncomingMessage
from bot.text_input import safe_text

PLATFORM = "wecom"
Kind = Literal["text", "voice", "image", "press", "enter", "other"]
_IMAGE_MIMES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"}


class Unreadable(Exception):
    """Decrypted, but not a WeCom message this adapter understands."""


@dataclass(frozen=True)
class WeComEvent:
    """One decrypted callback, in the shape the adapter needs."""

    kind: Kind
    user_id: str
    key: str  # unique per message or press; the same when WeCom delivers it again
    agent_id: str = ""
    text: str = ""
    media_id: str = ""
    media_format: str = ""
    button_key: str = ""
    task_id: str = ""
    response_code: str = ""


def parse_event(xml: str) -> WeComEvent | None:
    """The event a decrypted callback describes; None for events the bot does not answer."""
    try:
        data = xmltodict.parse(xml)["xml"]
    except Exception as exc:
        raise Unreadable(f"not XML: {exc.__class__.__name__}") from None
    if not isinstance(data, dict):
        raise Unreadable("empty message")
    user = _s(data.get("FromUserName"))
    msg_type = _s(data.get("MsgType")).lower()
    if not user or not msg_type:
        raise Unreadable("no sender or type")
    agent = _s(data.get("AgentID"))
    created = _s(data.get("CreateTime"))
    if msg_type != "event":
        key = _s(data.get("MsgId")) or f"{user}:{created}"
        common = {"user_id": user, "key": f"m:{key}", "agent_id": agent}
        if msg_type == "text":
            return WeComEvent("text", text=_s(data.get("Content")), **common)
        if msg_type == "voice":
            return WeComEvent("voice", media_id=_s(data.get("MediaId")),
                              media_format=_s(data.get("Format")).lower() or "amr", **common)
        if msg_type == "image":
            return WeComEvent("image", media_id=_s(data.get("MediaId")), **common)
        return WeComEvent("other", **common)
    event = _s(data.get("Event")).lower()
    # WeCom's rule for events without a MsgId: the sender and CreateTime identify one.
    common = {"user_id": user, "agent_id": agent}
    if event == "template_card_event":
        code = _s(data.get("ResponseCode"))
        task = _s(data.get("TaskId"))
        return WeComEvent("press", key=f"p:{code or f'{task}:{user}:{created}'}", button_key=_s(data.get("EventKey")),
                          task_id=task, response_code=code, **common)
    if event == "enter_agent":
        return WeComEvent("enter", key=f"e:{user}:{created}", **common)
    return None  # subscribe, location reports, contact changes...: nothing to answer


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # an element with attributes: its text
        value = value.get("#text", "")
    return str(value).strip()


def to_incoming(event: WeComEvent, *, audio: Audio | None = None, images: tuple[Image, ...] = (),
                display_name: str | None = None, language_hint: str | None = None) -> IncomingMessage:
    return IncomingMessage(
        platform=PLATFORM, chat_id=event.user_id, external_user_id=event.user_id, message_id=event.key,
        text=safe_text(event.text), audio=audio, images=images,
        choice=safe_text(event.button_key) or None if event.kind == "press" else None,
        is_group=False, mentions_bot=True, language_hint=language_hint, display_name=display_name)


def image_mime(claimed: str, data: bytes) -> str:
    """The MIME type media/get claimed, or what the bytes start with when it claimed none."""
    mime = (claimed or "").split(";")[0].strip().lower()
    if mime in _IMAGE_MIMES:
        return mime
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return mime or "application/octet-stream"


_NAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def file_name(disposition: str) -> str | None:
    match = _NAME.search(disposition or "")
    return match.group(1).strip() if match else None


class ReplayGuard:
    """The event keys handled recently: WeCom posts a callback again when it got no answer within
    5 s (up to three times), and a copy of a signed request could be posted by anyone."""

    def __init__(self, remembered: int = 50_000, *, clock: Callable[[], float] = time.monotonic,
                 ttl_s: float = 24 * 3600) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self.remembered, self.clock, self.ttl_s = remembered, clock, ttl_s

    def first_time(self, key: str) -> bool:
        now = self.clock()
        while self._seen and (len(self._seen) >= self.remembered
                              or now - next(iter(self._seen.values())) > self.ttl_s):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True

    def forget(self, key: str) -> None:
        """`key` was not taken after all (it could not be stored): its next delivery is new."""
        self._seen.pop(key, None)
