"""Messages and outcomes to and from what an inbox row stores.

A message's text fields go to JSON (ASCII-escaped, so lone surrogates or NUL can never break a
driver); its audio and images go to one byte string, back to back, with their sizes in the JSON.
"""
from __future__ import annotations

import base64
import json
from typing import Any

from bot.messages import Audio, Choice, Image, IncomingMessage, Outgoing, Reply
from bot.outcome import Outcome

_FIELDS = ("platform", "chat_id", "external_user_id", "message_id", "text", "choice", "is_group",
           "mentions_bot", "language_hint", "display_name")


def encode_message(msg: IncomingMessage, context: dict[str, Any] | None = None) -> tuple[str, bytes | None]:
    """(body, blob) for `msg` and the adapter's reply `context` (JSON-able)."""
    body: dict[str, Any] = {name: getattr(msg, name) for name in _FIELDS}
    parts: list[bytes] = []
    if msg.audio is not None:
        body["audio"] = {"format": msg.audio.format, "duration_s": msg.audio.duration_s, "size": len(msg.audio.data)}
        parts.append(msg.audio.data)
    body["images"] = [{"mime": image.mime, "name": image.name, "size": len(image.data)} for image in msg.images]
    parts.extend(image.data for image in msg.images)
    body["context"] = context or {}
    return json.dumps(body, ensure_ascii=True), (b"".join(parts) if parts else None)


def decode_message(body: str, blob: bytes | None) -> tuple[IncomingMessage, dict[str, Any]]:
    data = json.loads(body)
    raw, at = blob or b"", 0

    def take(size: int) -> bytes:
        nonlocal at
        chunk, at = raw[at:at + size], at + size
        return chunk

    audio = None
    if data.get("audio"):
        a = data["audio"]
        audio = Audio(data=take(a["size"]), format=a["format"], duration_s=a["duration_s"])
    images = tuple(Image(data=take(i["size"]), mime=i["mime"], name=i["name"]) for i in data.get("images", ()))
    msg = IncomingMessage(**{name: data[name] for name in _FIELDS}, audio=audio, images=images)
    return msg, data.get("context") or {}


def _reply(reply: Reply) -> dict[str, Any]:
    return {"text": reply.text, "kind": reply.kind, "replaces_card": reply.replaces_card,
            "image_alt": reply.image_alt,
            "image": base64.b64encode(reply.image).decode() if reply.image else None,
            "choices": [[c.id, c.label, c.style] for c in reply.choices]}


def _unreply(data: dict[str, Any]) -> Reply:
    return Reply(text=data["text"], kind=data["kind"], replaces_card=data["replaces_card"],
                 image_alt=data["image_alt"], image=base64.b64decode(data["image"]) if data["image"] else None,
                 choices=tuple(Choice(id=i, label=label, style=style) for i, label, style in data["choices"]))


def encode_outcome(outcome: Outcome) -> str:
    return json.dumps({"replies": [_reply(r) for r in outcome.replies],
                       "outgoing": [{"platform": o.platform, "chat_id": o.chat_id, "reply": _reply(o.reply)}
                                    for o in outcome.outgoing],
                       "duplicate": outcome.duplicate, "sender_linked": outcome.sender_linked}, ensure_ascii=True)


def decode_outcome(text: str) -> Outcome:
    data = json.loads(text)
    return Outcome(replies=[_unreply(r) for r in data["replies"]],
                   outgoing=[Outgoing(platform=o["platform"], chat_id=o["chat_id"], reply=_unreply(o["reply"]))
                             for o in data["outgoing"]],
                   duplicate=data["duplicate"], sender_linked=data["sender_linked"])
