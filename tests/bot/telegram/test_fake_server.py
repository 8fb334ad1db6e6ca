"""The fake Bot API server answers PTB's own Bot the way Telegram does, for what the adapter uses."""
from __future__ import annotations

import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Conflict, InvalidToken


@pytest.fixture
async def bot(api):
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as client:
        yield client


async def test_get_me_is_a_bot(bot, api):
    me = await bot.get_me()
    assert me.is_bot and me.username == api.bot["username"]


async def test_long_poll_waits_for_the_timeout_and_wakes_on_an_update(bot, api):
    started = time.monotonic()
    assert await bot.get_updates(timeout=0.3) == ()
    assert 0.25 <= time.monotonic() - started < 2
    user = api.user(1, "Li")
    user.send("hi")
    [update] = await bot.get_updates(timeout=5)
    assert update.message.text == "hi" and update.message.date.year >= 2024  # seconds, not ms
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()  # confirmed


async def test_get_updates_conflicts_while_a_webhook_is_set(bot):
    await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="abc")
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_edit_returns_the_message_and_refuses_an_identical_edit(bot, api):
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="d:1:confirm")]])
    sent = await bot.send_message(42, "card", reply_markup=markup)
    edited = await bot.edit_message_text("done", chat_id=42, message_id=sent.message_id)
    assert isinstance(edited, Message) and edited.text == "done" and edited.reply_markup is None
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("done", chat_id=42, message_id=sent.message_id)


async def test_a_callback_query_is_answered_once(bot, api):
    sent = await bot.send_message(42, "card", reply_markup=InlineKeyboardMarkup(
        [[InlineKeyboardButton("OK", callback_data="d:1:confirm")]]))
    api.user(42, "Li").press(api.current(42, sent.message_id), "d:1:confirm")
    [update] = await bot.get_updates(timeout=1)
    query = update.callback_query
    assert query.chat_instance and query.data == "d:1:confirm" and query.message.message_id == sent.message_id
    assert await query.answer("ok")
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await query.answer("again")


async def test_voice_download_and_photo_and_document_uploads(bot, api):
    api.user(42, "Li").send_voice(b"OggS-voice-bytes", duration=2)
    [update] = await bot.get_updates(timeout=1)
    file = await update.message.voice.get_file()
    assert bytes(await file.download_as_bytearray()) == b"OggS-voice-bytes"
    photo = await bot.send_photo(42, photo=b"\x89PNG fake", caption="chart")
    assert photo.caption == "chart" and api.files[photo.photo[-1].file_id].data == b"\x89PNG fake"
    document = await bot.send_document(42, document=b"a,b\n1,2\n", filename="visits.csv")
    assert api.files[document.document.file_id].data == b"a,b\n1,2\n"
    assert await bot.send_chat_action(42, "typing")


async def test_commands_are_kept_per_language(bot, api):
    from telegram import BotCommand

    await bot.set_my_commands([BotCommand("help", "帮助")], language_code="zh")
    assert [c.command for c in await bot.get_my_commands(language_code="zh")] == ["help"]
    assert await bot.get_my_commands(language_code="en") == ()


async def test_a_wrong_token_is_unauthorized(api):
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong-token-xxxxxxxxxxxx", base_url=api.base_url) as other:
            await other.get_me()
