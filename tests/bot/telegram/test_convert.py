"""Telegram updates → IncomingMessage: ids, groups, mentions, commands, callback data passed on
untouched."""
from __future__ import annotations

from telegram import CallbackQuery, Message

from bot.adapters.telegram.inbound import (BotIdentity, addressed, audio_format, callback_to_incoming,
                                           message_to_incoming)
from tests.fakes.telegram_server import _entities

BOT = BotIdentity(id=999, username="salesbot_test_bot")
ALICE = {"id": 5004, "is_bot": False, "first_name": "Alice", "last_name": "Chen", "language_code": "en"}
PRIVATE = {"id": 5004, "type": "private", "first_name": "Alice"}
GROUP = {"id": -100123, "type": "supergroup", "title": "Sales"}


def msg(text: str, *, chat: dict = PRIVATE, message_id: int = 7, **extra) -> Message:
    data = {"message_id": message_id, "date": 1_700_000_000, "chat": chat, "from": ALICE, "text": text,
            **extra}
    entities = _entities(text)
    if entities:
        data["entities"] = entities
    return Message.de_json(data, None)


def test_private_text_becomes_an_incoming_message_with_the_chat_message_id():
    incoming = message_to_incoming(msg("visited Acme today"), BOT)
    assert (incoming.platform, incoming.chat_id, incoming.external_user_id, incoming.message_id) == \
           ("telegram", "5004", "5004", "7")
    assert incoming.text == "visited Acme today"
    assert not incoming.is_group and incoming.language_hint == "en" and incoming.display_name == "Alice Chen"


def test_start_with_an_invite_code_passes_through_for_the_loop_to_link():
    assert message_to_incoming(msg("/start K7PQ2MXA"), BOT).text == "/start K7PQ2MXA"


def test_group_message_without_mention_is_not_addressed():
    address = addressed(msg("今天拜访了蓝鲸", chat=GROUP), BOT)
    assert not address.mentions_bot and address.command is None


def test_group_mention_is_removed_from_the_text_and_flagged():
    incoming = message_to_incoming(msg("@salesbot_test_bot 今天拜访了蓝鲸李总", chat=GROUP), BOT)
    assert incoming.is_group and incoming.mentions_bot
    assert incoming.text == "今天拜访了蓝鲸李总"


def test_mention_after_non_bmp_characters_is_found_by_utf16_offsets():
    incoming = message_to_incoming(msg("👍👍 @SalesBot_Test_Bot 本周最活跃的客户", chat=GROUP), BOT)
    assert incoming.mentions_bot and incoming.text == "👍👍  本周最活跃的客户"


def test_mention_of_someone_else_does_not_address_the_bot():
    address = addressed(msg("@another_person 你看一下", chat=GROUP), BOT)
    assert not address.mentions_bot


def test_reply_to_the_bots_message_addresses_it():
    bots = {"message_id": 3, "date": 1_700_000_000, "chat": GROUP, "text": "哪个李总？",
            "from": {"id": BOT.id, "is_bot": True, "first_name": "Salesbot"}}
    assert addressed(msg("1", chat=GROUP, reply_to_message=bots), BOT).mentions_bot


def test_commands_for_this_bot_lose_the_suffix_and_others_are_not_ours():
    mine = addressed(msg("/help@salesbot_test_bot", chat=GROUP), BOT)
    assert mine.command == "help" and mine.text == "/help" and not mine.for_other_bot
    theirs = addressed(msg("/help@other_bot", chat=GROUP), BOT)
    assert theirs.for_other_bot and theirs.command is None


def test_menu_commands_become_the_phrase_the_loop_understands_in_the_users_language():
    assert message_to_incoming(msg("/reminders"), BOT).text == "my reminders"
    zh = Message.de_json({"message_id": 1, "date": 1, "chat": PRIVATE, "text": "/pipeline",
                          "entities": _entities("/pipeline"), "from": dict(ALICE, language_code="zh-hans")}, None)
    assert message_to_incoming(zh, BOT).text == "本季度pipeline"
    grouped = message_to_incoming(msg("/top@salesbot_test_bot", chat=GROUP), BOT)
    assert grouped.text == "top accounts this week"
    assert grouped.mentions_bot


def test_callback_data_is_passed_on_untouched_with_the_query_id_as_message_id():
    card = {"message_id": 9, "date": 1, "chat": PRIVATE, "text": "card",
            "from": {"id": BOT.id, "is_bot": True, "first_name": "Salesbot"}}
    forged = "d:1;DROP TABLE:confirm" + "x" * 30
    query = CallbackQuery.de_json({"id": "4411", "from": ALICE, "chat_instance": "ci", "data": forged,
                                   "message": card}, None)
    incoming = callback_to_incoming(query)
    assert incoming.choice == forged and incoming.text == ""
    assert (incoming.chat_id, incoming.external_user_id, incoming.message_id) == ("5004", "5004", "cb:4411")


def test_callback_on_an_inaccessible_message_answers_in_the_pressers_private_chat():
    query = CallbackQuery.de_json({"id": "1", "from": ALICE, "chat_instance": "ci", "data": "d:1:confirm"},
                                  None)
    assert callback_to_incoming(query).chat_id == "5004"


def test_audio_formats_from_mime_types():
    assert audio_format("audio/ogg") == "ogg"
    assert audio_format("audio/mpeg") == "mp3"
    assert audio_format("audio/x-m4a") == "m4a"
    assert audio_format(None, default="mp3") == "mp3"
