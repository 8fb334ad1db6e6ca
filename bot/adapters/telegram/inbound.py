"""Telegram updates → `IncomingMessage`: who wrote, where, whether the bot was addressed.

Pure functions over PTB objects, so the rules (groups, mentions, commands, ids) are unit-tested
without a server. Nothing here trusts callback data: it is passed on as `choice`, and the loop
checks it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import CallbackQuery, Chat, Message, MessageEntity

from bot.messages import Audio, Image, IncomingMessage
from bot.text_input import safe_text
from prompts.telegram import COMMAND_PHRASES
from prompts.ui import lang_of

PLATFORM = "telegram"
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,32}))?(?=\s|$)")


@dataclass(frozen=True)
class BotIdentity:
    id: int
    username: str


@dataclass(frozen=True)
class Addressed:
    """A message's text with the bot's own @mention and /command@bot suffix removed."""

    text: str
    mentions_bot: bool  # @bot, a text mention of it, a reply to one of its messages
    command: str | None  # "help" for "/help" or "/help@this_bot"
    for_other_bot: bool  # "/help@another_bot": not ours to answer


def is_group_chat(chat: Chat) -> bool:
    return chat.type in (Chat.GROUP, Chat.SUPERGROUP)


def addressed(message: Message, bot: BotIdentity) -> Addressed:
    raw = message.text or message.caption or ""
    handle = "@" + bot.username.casefold()
    mentions = bool(message.reply_to_message and message.reply_to_message.from_user
                    and message.reply_to_message.from_user.id == bot.id)
    spans: list[tuple[int, int]] = []
    entities = (message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]) if message.text
                else message.parse_caption_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]))
    for entity, text in entities.items():
        if (entity.type == MessageEntity.MENTION and text.casefold() == handle) or \
                (entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id):
            mentions = True
            if entity.type == MessageEntity.MENTION:
                start = raw.find(text)
                if start >= 0:
                    spans.append((start, start + len(text)))
    text = raw
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    command, for_other = None, False
    match = _COMMAND.match(text.strip())
    if match:
        target = match.group(2)
        if target and target.casefold() != bot.username.casefold():
            for_other = True
        else:
            command = match.group(1).lower()
            stripped = text.strip()
            text = "/" + match.group(1) + stripped[match.end():]
    return Addressed(text=text.strip(" \t\n,，:："), mentions_bot=mentions, command=command,
                     for_other_bot=for_other)


def command_text(address: Addressed, language_hint: str | None) -> str:
    """The text the loop sees: menu commands it does not read literally become their phrase."""
    if address.command in COMMAND_PHRASES and address.text.strip() == "/" + address.command:
        return COMMAND_PHRASES[address.command][lang_of(language_hint)]
    return address.text


def message_to_incoming(message: Message, bot: BotIdentity, *, audio: Audio | None = None,
                        images: tuple[Image, ...] = ()) -> IncomingMessage:
    user = message.from_user
    assert user is not None
    address = addressed(message, bot)
    group = is_group_chat(message.chat)
    return IncomingMessage(
        platform=PLATFORM, chat_id=str(message.chat.id), external_user_id=str(user.id),
        message_id=str(message.message_id), text=safe_text(command_text(address, user.language_code)),
        audio=audio, images=images, is_group=group, mentions_bot=address.mentions_bot or address.command is not None,
        language_hint=safe_text(user.language_code) or None, display_name=safe_text(user.full_name))


def callback_to_incoming(query: CallbackQuery) -> IncomingMessage:
    """A button press. Its id is the callback query's (one per press, the same when Telegram
    delivers the update again), so a press handled twice is handled once."""
    user = query.from_user
    message = query.message
    chat = message.chat if message is not None else None
    return IncomingMessage(
        platform=PLATFORM, chat_id=str(chat.id if chat is not None else user.id),
        external_user_id=str(user.id), message_id=f"cb:{safe_text(query.id)}", choice=safe_text(query.data),
        is_group=chat is not None and is_group_chat(chat), language_hint=safe_text(user.language_code) or None,
        display_name=safe_text(user.full_name))


AUDIO_FORMATS = {"audio/ogg": "ogg", "audio/opus": "ogg", "audio/mpeg": "mp3", "audio/mp3": "mp3",
                 "audio/mp4": "m4a", "audio/m4a": "m4a", "audio/x-m4a": "m4a", "audio/aac": "m4a",
                 "audio/wav": "wav", "audio/x-wav": "wav", "audio/amr": "amr"}


def audio_format(mime_type: str | None, default: str = "ogg") -> str:
    return AUDIO_FORMATS.get((mime_type or "").split(";")[0].strip().lower(), default)
