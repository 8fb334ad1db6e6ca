"""WeChat messages (wechaty entities) → what the adapter works with, and files out of the gateway.

A typed number presses the choice it had in the conversation's last message (`ChoiceMemory`);
`同意 101` / `驳回 101 原因` (`approve 101` / `reject 101 reason`) decide a quote from any message.

`load_message` reads one message's payload and says what it is: text, voice, an image, something else the
bot cannot read, or nothing to answer (the bot's own messages, recalls, system notices).
`download_file` streams an attachment with the MessageFileStream RPC: files over 20 KB reach
puppet-service clients as UUID file boxes that `Message.to_file_box()` cannot open, while the
stream delivers any size byte for byte.
"""
from __future__ import annotations

import base64
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from bot.choices import Choice
from bot.messages import Choice as Option

PLATFORM = "wechat"
_LEADING_MENTIONS = re.compile(r"^(?:\s*@[^\u2005\n]{1,64}\u2005)+")
_AUDIO_FORMATS = {".sil": "silk", ".silk": "silk", ".slk": "silk", ".amr": "amr", ".mp3": "mp3",
                  ".m4a": "m4a", ".aac": "m4a", ".wav": "wav", ".ogg": "ogg", ".opus": "ogg"}

_DECISION = re.compile(
    r"^\s*(?P<verb>同意|批准|通过|approve|驳回|拒绝|reject)\s*#?\s*(?P<id>\d{1,12})(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL)
_APPROVE_VERBS = {"同意", "批准", "通过", "approve"}
_REASON_LEAD = " \t\r\n,，:：;；。.-—"
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.。、)）]?\s*$")
_MENTION_TAIL = "\u2005\u0020"
_ASCII_DIGITS = str.maketrans("０１２３４５６７８９＃", "0123456789#")  # same length: positions carry over

Kind = Literal["text", "voice", "image", "other"]


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
    if message_type == MessageType.MESSAGE_TYPE_IMAGE:
        return "image"  # a photo (a contract's page): the loop checks what it really is
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


@dataclass(frozen=True)
class Decision:
    """A manager's typed decision on a quote."""

    quote_id: int
    action: Literal["approve", "reject"]
    reason: str = ""

    @property
    def choice(self) -> str:
        return Choice("q", self.quote_id, self.action).encode()


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

    def shown(self, key: tuple[str, str], choices: tuple[Option, ...]) -> None:
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


def strip_mentions(text: str, names: list[str]) -> str:
    """Remove "@name" mentions of the bot (WeChat ends a mention with U+2005 or a space)."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = re.sub("@" + re.escape(name) + f"(?:[{_MENTION_TAIL}]|$)", " ", text)
    return re.sub(" {2,}", " ", text).strip()


def mentions_name(text: str, names: list[str]) -> bool:
    return any(n and re.search("@" + re.escape(n) + f"(?:[{_MENTION_TAIL}]|$)", text) for n in names)
