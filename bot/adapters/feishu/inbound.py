"""Feishu events → what the adapter works with, and → `IncomingMessage`.

Pure functions over lark-oapi's event objects (`P2ImMessageReceiveV1`, `P2CardActionTrigger`),
so the rules (who wrote, where, @mentions, which resources to fetch) are unit-tested without a
server. A press's value is passed on as `choice` untrusted: the loop checks it.

    text     {"text": "@_user_1 今天拜访了…"}      mentions of the bot removed, others as @name
    post     {"title", "content": [[{tag: text|a|at|img}]]}   its text, and its images
    image    {"image_key"}                         an image to download
    audio    {"file_key", "duration" (ms)}         opus, downloaded as type=file
    file     {"file_key", "file_name"}             a document (PDF, photo) to download
"""
from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from typing import Any

from bot.messages import Audio, Image, IncomingMessage
from bot.text_input import safe_text

PLATFORM = "feishu"


@dataclass(frozen=True)
class Resource:
    key: str
    kind: str  # the resources API's type: "image" or "file"
    name: str | None = None


@dataclass(frozen=True)
class Received:
    """One im.message.receive_v1 event, reduced to what the adapter needs."""

    event_id: str
    message_id: str
    chat_id: str
    is_group: bool
    sender_id: str  # open_id
    kind: str  # "text", "audio", "image", "file", "post" or "other"
    text: str = ""
    mentions_bot: bool = False
    audio: Resource | None = None
    duration_s: float | None = None
    attachments: tuple[Resource, ...] = ()


@dataclass(frozen=True)
class Press:
    """One card.action.trigger callback: who pressed what on which card."""

    event_id: str
    chat_id: str
    card_message_id: str
    presser_id: str
    choice: str


def message_received(event: Any, bot_open_id: str) -> Received | None:
    """The message of an im.message.receive_v1 event; None for what is not a person's message
    (the bot's own, another app's) or an event without a message."""
    header, body = event.header, event.event
    if body is None or body.message is None or body.sender is None:
        return None
    if (body.sender.sender_type or "user") != "user":
        return None
    sender = body.sender.sender_id.open_id if body.sender.sender_id else None
    message = body.message
    if not sender or not message.message_id or not message.chat_id:
        return None
    try:
        content = json.loads(message.content or "{}")
    except ValueError:
        content = {}
    if not isinstance(content, dict):
        content = {}
    mentions = message.mentions or []
    mentions_bot = any(m.id is not None and m.id.open_id == bot_open_id for m in mentions)
    common = dict(event_id=(header.event_id if header else None) or message.message_id,
                  message_id=message.message_id, chat_id=message.chat_id,
                  is_group=message.chat_type != "p2p", sender_id=sender, mentions_bot=mentions_bot)
    kind = message.message_type or "other"
    if kind == "text":
        return Received(kind="text", text=_without_mentions(str(content.get("text", "")), mentions, bot_open_id),
                        **common)
    if kind == "post":
        text, images = _post(content)
        return Received(kind="post", text=_without_mentions(text, mentions, bot_open_id),
                        attachments=tuple(Resource(k, "image") for k in images), **common)
    if kind == "image" and content.get("image_key"):
        return Received(kind="image", attachments=(Resource(str(content["image_key"]), "image"),), **common)
    if kind == "audio" and content.get("file_key"):
        duration = content.get("duration")
        return Received(kind="audio", audio=Resource(str(content["file_key"]), "file"),
                        duration_s=duration / 1000 if isinstance(duration, (int, float)) else None, **common)
    if kind == "file" and content.get("file_key"):
        name = safe_text(str(content.get("file_name") or "")) or None
        return Received(kind="file", attachments=(Resource(str(content["file_key"]), "file", name),), **common)
    return Received(kind="other", **common)


def _without_mentions(text: str, mentions: list, bot_open_id: str) -> str:
    """`@_user_1` placeholders: the bot's removed, other people's as `@name`."""
    for mention in mentions:
        key = mention.key or ""
        if not key:
            continue
        ours = mention.id is not None and mention.id.open_id == bot_open_id
        text = text.replace(key, "" if ours else f"@{mention.name or ''}")
    return text.strip(" \t\n,，:：")


def _post(content: dict) -> tuple[str, list[str]]:
    """A rich-text post's text (title first, a line per paragraph) and its image keys. Received
    posts carry {"title", "content"}; sent ones a language level ({"zh_cn": {...}}) above it."""
    if "content" not in content and content:
        content = next((v for v in content.values() if isinstance(v, dict)), {})
    lines = [str(content.get("title") or "")]
    images: list[str] = []
    for paragraph in content.get("content") or []:
        words = []
        for element in paragraph if isinstance(paragraph, list) else []:
            tag = element.get("tag") if isinstance(element, dict) else None
            if tag in ("text", "a"):
                words.append(str(element.get("text", "")))
            elif tag == "at":
                words.append(str(element.get("user_id") or ""))  # "@_user_1": resolved with mentions
            elif tag == "img" and element.get("image_key"):
                images.append(str(element["image_key"]))
        lines.append("".join(words))
    return "\n".join(line for line in lines if line.strip()), images


def card_pressed(event: Any) -> Press | None:
    """The press of a card.action.trigger callback; None without a choice we put there."""
    header, body = event.header, event.event
    if body is None or body.action is None or body.operator is None or body.context is None:
        return None
    value = body.action.value if isinstance(body.action.value, dict) else {}
    choice = value.get("choice")
    presser = body.operator.open_id
    if not isinstance(choice, str) or not choice or not presser:
        return None
    event_id = (header.event_id if header else None) or body.token or ""
    return Press(event_id=event_id, chat_id=body.context.open_chat_id or presser,
                 card_message_id=body.context.open_message_id or "", presser_id=presser,
                 choice=safe_text(choice))


def to_incoming(received: Received, *, audio: Audio | None = None, images: tuple[Image, ...] = (),
                language_hint: str | None = None) -> IncomingMessage:
    return IncomingMessage(
        platform=PLATFORM, chat_id=received.chat_id, external_user_id=received.sender_id,
        message_id=received.message_id, text=safe_text(received.text), audio=audio, images=images,
        is_group=received.is_group, mentions_bot=received.mentions_bot, language_hint=language_hint)


def press_to_incoming(press: Press, *, is_group: bool, language_hint: str | None = None) -> IncomingMessage:
    """A press. Its id is the callback's event id (one per press, the same when Feishu delivers
    the callback again), so a press handled twice is handled once."""
    return IncomingMessage(
        platform=PLATFORM, chat_id=press.chat_id, external_user_id=press.presser_id,
        message_id=f"cb:{press.event_id}", choice=press.choice, is_group=is_group, language_hint=language_hint)


def claimed_mime(resource: Resource, content_type: str) -> str:
    """The MIME type to pass on: the server's, unless it only says "bytes"; then the file name's."""
    if content_type and content_type != "application/octet-stream":
        return content_type
    if resource.name:
        guessed, _ = mimetypes.guess_type(resource.name)
        if guessed:
            return guessed
    return "image/jpeg" if resource.kind == "image" else "application/octet-stream"
