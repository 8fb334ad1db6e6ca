"""WeChat messages (wechaty entities) → what the adapter works with, and files out of the gateway.

`load_message` reads one message's payload and says what it is: text, voice, something else the
bot cannot read, or nothing to answer (the bot's own messages, recalls, system notices).
`download_file` streams an attachment with the MessageFileStream RPC: files over 20 KB reach
puppet-service clients as UUID file boxes that `Message.to_file_box()` cannot open, while the
stream delivers any size byte for byte.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from bot.wechat_text import mentions_name, strip_mentions

PLATFORM = "wechat"
_LEADING_MENTIONS = re.compile(r"^(?:\s*@[^\u2005\n]{1,64}\u2005)+")
_AUDIO_FORMATS = {".sil": "silk", ".silk": "silk", ".slk": "silk", ".amr": "amr", ".mp3": "mp3",
                  ".m4a": "m4a", ".aac": "m4a", ".wav": "wav", ".ogg": "ogg", ".opus": "ogg"}

Kind = Literal["text", "voice", "other"]


@dataclass(frozen=True)
class WeChatMessage:
    """One message someone else sent, in the shape the adapter needs."""

    id: str
    chat_id: str  # the room's id, or the talker's contact id in a private chat
    talker_id: str
    talker_name: str
    kind: Kind
    text: str = ""  # with the bot's @mention removed
    in_room: bool = False
    mentions_bot: bool = False

    @property
    def conversation(self) -> tuple[str, str]:
        """Whose numbered choices a typed number refers to: this person in this chat."""
        return self.chat_id, self.talker_id


class FileTooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(f"file exceeds the limit ({size} bytes read)")
        self.size = size


def message_kind(message_type: Any) -> Kind | None:
    """What the bot does with a message type: read it, say it cannot, or ignore it."""
    from wechaty_puppet import MessageType

    if message_type == MessageType.MESSAGE_TYPE_TEXT:
        return "text"
    if message_type == MessageType.MESSAGE_TYPE_AUDIO:
        return "voice"
    if message_type in (MessageType.MESSAGE_TYPE_UNSPECIFIED, MessageType.MESSAGE_TYPE_RECALLED,
                        MessageType.MESSAGE_TYPE_EMOTICON):
        return None  # system notices, recalls, stickers: nothing to answer
    return "other"


async def load_message(bot: Any, message_id: str, *, self_id: str | None,
                       self_name: str | None) -> WeChatMessage | None:
    """The message `message_id`, read through this session's puppet, or None when it is not for
    the bot to answer. (The SDK's `Contact`/`Room` entities are cached process-wide and keep the
    session they were first loaded in, so payloads are read from the current puppet instead.)"""
    payload = await bot.puppet.message_payload(message_id)
    talker_id = (payload.from_id or "").strip()
    if not talker_id or talker_id == self_id:
        return None
    kind = message_kind(payload.type)
    if kind is None:
        return None
    room_id = (payload.room_id or "").strip()
    text = payload.text or ""
    mentioned = False
    if room_id:
        names = [self_name] if self_name else []
        mentioned = bool(self_id and self_id in (payload.mention_ids or [])) or mentions_name(text, names)
        text = strip_mentions(text, names)
        if mentioned:
            text = _LEADING_MENTIONS.sub("", text).strip()
    talker = await bot.puppet.contact_payload(talker_id)
    return WeChatMessage(id=message_id, chat_id=room_id or talker_id, talker_id=talker_id,
                         talker_name=talker.name or talker_id, kind=kind,
                         text=text if kind == "text" else "", in_room=bool(room_id), mentions_bot=mentioned)


async def download_file(bot: Any, message_id: str, *, max_bytes: int) -> tuple[str, bytes]:
    """(file name, bytes) of a message's attachment; `FileTooLarge` past `max_bytes`. Gateways
    without the stream RPC get the unary MessageFile call (base64 file boxes only)."""
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError

    name, size, chunks = "", 0, []
    try:
        async for response in bot.puppet.puppet_stub.message_file_stream(id=message_id):
            chunk = response.file_box_chunk
            if chunk.name:
                name = chunk.name
            if chunk.data:
                size += len(chunk.data)
                if size > max_bytes:
                    raise FileTooLarge(size)
                chunks.append(chunk.data)
    except GRPCError as exc:
        if exc.status != Status.UNIMPLEMENTED:
            raise
        return await _download_unary(bot, message_id, max_bytes)
    return name, b"".join(chunks)


async def _download_unary(bot: Any, message_id: str, max_bytes: int) -> tuple[str, bytes]:
    box = await bot.puppet.message_file(message_id)
    data = getattr(box, "base64", None)
    if not data:
        raise ValueError(f"the gateway sent a {box.type().name} file box the bot cannot open")
    raw = base64.b64decode(data)
    if len(raw) > max_bytes:
        raise FileTooLarge(len(raw))
    return box.name or "", raw


def audio_format(name: str, data: bytes) -> str:
    """The container/codec of a WeChat voice file, by its name, else its header (SILK)."""
    from intents.transcribe.silk import is_silk

    if is_silk(data):
        return "silk"
    suffix = PurePosixPath(name or "").suffix.lower()
    return _AUDIO_FORMATS.get(suffix, "silk")
