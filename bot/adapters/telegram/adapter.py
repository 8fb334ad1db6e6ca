"""The Telegram adapter (python-telegram-bot 22): `salesbot run --platform telegram`.

    Telegram ─▶ PTB Application (polling, or a webhook server when TELEGRAM_WEBHOOK_URL is set)
        ─▶ TelegramAdapter: rate limit, voice download, Update → IncomingMessage
        ─▶ ConversationLoop.handle ─▶ Outcome
        ─▶ replies: messages with inline keyboards; a pressed card is edited in place
        ─▶ outgoing (approval requests, decisions): Outbox ─▶ TelegramAdapter.send

Everything the bot decides is decided by the loop: linking (`/start CODE`), who may press which
button, whether a press is stale, what a voice note says. The adapter only translates, and keeps
Telegram's rules: one answer per callback query, ≤4096 characters a message, 64-byte button data,
nothing of one rep's posted in a group unless they asked there.

Reliability: updates of one chat are handled in order and different chats concurrently; the loop
records each message id (a callback query's id for presses), so an update delivered twice writes
once; `stop()` stops fetching and then drains every update already received; a failure is logged
with its traceback and the user gets an apology with an error id; outgoing requests pass PTB's
`AIORateLimiter` (Telegram's flood limits) and each user has a token bucket.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import uuid
from typing import TYPE_CHECKING, Protocol

from telegram import BotCommand, CallbackQuery, Message, ReplyParameters, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.request import HTTPXRequest
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.adapters import Outbox
from bot.adapters.telegram.config import TelegramConfig
from bot.adapters.telegram.flow import PerChatUpdateProcessor, TypingIndicator, UserRateLimiter, Verdict
from bot.adapters.telegram.inbound import (PLATFORM, BotIdentity, addressed, audio_format, callback_to_incoming,
                                           is_group_chat, message_to_incoming)
from bot.adapters.telegram.tolerant import TolerantBot
from bot.adapters.telegram.render import MAX_CAPTION, button_data, keyboard, split_text, utf16_len
from bot.identity import link_code_in
from bot.text_input import safe_text
from bot.messages import Audio, Image, IncomingMessage, Reply
from bot.outcome import Outcome
from prompts.telegram import COMMANDS, tg
from prompts.ui import t
from storage.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.loop import Progress

log = logging.getLogger("salesbot.telegram")

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
MAX_VOICE_BYTES = 20 * 1024 * 1024  # what the cloud Bot API lets a bot download
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # ATTACHMENT_MAX_BYTES's default


class Handles(Protocol):
    """What the adapter needs of the conversation loop."""

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None) -> Outcome: ...


class TelegramAdapter:
    """The adapter contract (`bot.adapters.Adapter`) on top of a PTB `Application`."""

    platform = PLATFORM

    def __init__(self, loop: Handles, config: TelegramConfig, *, outbox: Outbox | None = None,
                 flood_limiter: bool = True, user_limits: UserRateLimiter | None = None,
                 max_voice_bytes: int = MAX_VOICE_BYTES, max_image_bytes: int = MAX_IMAGE_BYTES,
                 poll_timeout: int = 30, max_concurrent_updates: int = 64) -> None:
        self.loop = loop
        self.config = config
        self.outbox = outbox or Outbox()
        self.outbox.register(self)
        self.user_limits = user_limits or UserRateLimiter()
        self.max_voice_bytes = max_voice_bytes
        self.max_image_bytes = max_image_bytes
        self.poll_timeout = poll_timeout
        self.me: BotIdentity | None = None
        bot = TolerantBot(config.token, base_url=config.base_url, base_file_url=config.base_file_url,
                          request=HTTPXRequest(connection_pool_size=256),
                          get_updates_request=HTTPXRequest(connection_pool_size=1),
                          rate_limiter=AIORateLimiter(max_retries=3) if flood_limiter else None)
        self.application = (Application.builder().bot(bot).job_queue(None)
                            .concurrent_updates(PerChatUpdateProcessor(max_concurrent_updates)).build())
        self.application.add_handler(CallbackQueryHandler(self._on_callback))
        self.application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self._on_message))
        self.application.add_error_handler(self._on_error)

    @property
    def bot(self):
        return self.application.bot

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Connect (getMe), register the command menus, then poll or serve the webhook."""
        await self.application.initialize()
        self.me = BotIdentity(self.bot.id, self.bot.username)
        await self.register_commands()
        await self.application.start()
        updater = self.application.updater
        assert updater is not None
        if self.config.webhook_url:
            await updater.start_webhook(
                listen=self.config.webhook_listen, port=self.config.webhook_port,
                url_path=self.config.webhook_path, webhook_url=self.config.webhook_url,
                secret_token=self.config.webhook_secret, allowed_updates=ALLOWED_UPDATES)
            log.info("telegram webhook serving", extra={"listen": self.config.webhook_listen,
                                                         "port": self.config.webhook_port})
        else:
            await updater.start_polling(poll_interval=0.0, timeout=self.poll_timeout,
                                        allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
            log.info("telegram polling", extra={"bot": self.me.username})

    async def stop(self) -> None:
        """Stop fetching, then handle every update already received, then disconnect."""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        log.info("telegram stopped")

    async def serve(self, stop: asyncio.Event | None = None) -> None:
        """Run until SIGINT/SIGTERM (or `stop` is set), then stop gracefully."""
        stop = stop or asyncio.Event()
        running = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                running.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
                pass
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()

    async def register_commands(self) -> None:
        """The command menu in Chinese and English (by the user's app language) and a default."""
        menus = {lang: [BotCommand(name, zh if lang == "zh" else en) for name, zh, en in COMMANDS]
                 for lang in ("zh", "en")}
        try:
            for lang, commands in menus.items():
                await self.bot.set_my_commands(commands, language_code=lang)
            await self.bot.set_my_commands(menus["zh"])
        except TelegramError as exc:  # a missing menu is cosmetic; the commands still work
            log.warning("setMyCommands failed", extra={"error": repr(exc)})

    # --- the adapter contract: messages the loop addresses to other users ----------------

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver a proactive message (an approval request, a decision) to a user's private chat.
        Group chats are refused: what the loop sends unasked is about one person's records."""
        if int(chat_id) < 0:
            raise PermissionError(f"refusing to post an unrequested message in group chat {chat_id}")
        await self._send_reply(int(chat_id), reply)

    # --- updates -------------------------------------------------------------------------

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None or message.from_user is None or message.from_user.is_bot:
            return
        if not (message.text or message.caption or message.effective_attachment):
            return  # service messages: members joining, pins, timers
        assert self.me is not None
        group = is_group_chat(message.chat)
        address = addressed(message, self.me)
        if address.for_other_bot or (group and not (address.mentions_bot or address.command)):
            return
        lang = message.from_user.language_code
        reply_to = message.message_id if group else None
        thread = message.message_thread_id if group and message.is_topic_message else None
        if group and link_code_in(address.text):
            await self._say(message.chat.id, tg(lang, "link_in_private"), reply_to=reply_to, thread=thread)
            return
        if not await self._within_limits(message.from_user.id, message.chat.id, message.message_id, lang,
                                         reply_to, thread):
            return
        audio = None
        if message.voice or message.audio:
            audio = await self._download_audio(message, lang)
            if isinstance(audio, str):
                await self._say(message.chat.id, audio, reply_to=reply_to, thread=thread)
                return
        images: tuple[Image, ...] = ()
        if message.photo or message.document:
            images = await self._download_images(message, lang)
            if isinstance(images, str):
                await self._say(message.chat.id, images, reply_to=reply_to, thread=thread)
                return
        incoming = message_to_incoming(message, self.me, audio=audio, images=images)
        typing = TypingIndicator(self.bot.send_chat_action, message.chat.id, thread_id=thread)
        try:
            outcome = await self.loop.handle(incoming, progress=typing)
        finally:
            await typing.stop()
        if outcome.duplicate:
            log.info("duplicate update ignored", extra={"update_id": update.update_id})
            return
        for reply in outcome.replies:
            await self._send_reply(message.chat.id, reply, reply_to=reply_to, thread=thread)
        await self.outbox.deliver(outcome.outgoing)

    async def _on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        if query.data is None:
            await _answer(query)
            return
        lang = query.from_user.language_code
        if self.user_limits.check(str(query.from_user.id), f"cb:{query.id}") is not Verdict.ALLOW:
            await _answer(query, t(lang, "rate_limited"), alert=True)
            return
        incoming = callback_to_incoming(query)
        outcome = await self.loop.handle(incoming)
        if outcome.duplicate:
            await _answer(query)
            return
        card = query.message if isinstance(query.message, Message) else None
        on_card = card is not None and query.data in button_data(card)
        # A press that changed nothing (stale, someone else's card) is answered to the presser
        # alone; the card stays as it is.
        refusals = [r for r in outcome.replies if r.kind == "notice" and not r.choices]
        await _answer(query, refusals[0].text if refusals else None, alert=bool(refusals))
        chat_id = int(incoming.chat_id)
        edited = False
        for reply in outcome.replies:
            if reply in refusals:
                continue
            if reply.replaces_card and on_card and not edited:
                edited = await self._edit_card(card, reply)
                if edited:
                    continue
            await self._send_reply(chat_id, reply)
        await self.outbox.deliver(outcome.outgoing)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error_id = uuid.uuid4().hex[:10]
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("telegram update failed", exc_info=context.error,
                  extra={"error_id": error_id, "update_id": update_id})
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        user = update.effective_user
        apology = t(user.language_code if user else None, "apology", error_id=error_id)
        try:
            if update.callback_query is not None:
                await _answer(update.callback_query, apology[:200], alert=True)
            else:
                await self.bot.send_message(update.effective_chat.id, apology)
        except TelegramError:
            log.warning("could not send the apology", extra={"error_id": error_id})

    # --- helpers -------------------------------------------------------------------------

    async def _within_limits(self, user_id: int, chat_id: int, message_id: int, lang: str | None,
                             reply_to: int | None, thread: int | None) -> bool:
        verdict = self.user_limits.check(str(user_id), f"{chat_id}:{message_id}")
        if verdict is Verdict.WARN:
            log.info("user rate limited", extra={"user": user_id})
            await self._say(chat_id, t(lang, "rate_limited"), reply_to=reply_to, thread=thread)
        return verdict is Verdict.ALLOW

    async def _download_audio(self, message: Message, lang: str | None) -> Audio | str:
        """The voice note's bytes, or what to tell the user when it cannot be had."""
        media = message.voice or message.audio
        assert media is not None
        limit_mb = self.max_voice_bytes // (1024 * 1024)
        if media.file_size and media.file_size > self.max_voice_bytes:
            return tg(lang, "voice_too_large", mb=round(media.file_size / 1048576, 1), limit=limit_mb)
        try:
            file = await media.get_file()
            if file.file_size and file.file_size > self.max_voice_bytes:
                return tg(lang, "voice_too_large", mb=round(file.file_size / 1048576, 1), limit=limit_mb)
            data = bytes(await file.download_as_bytearray())
        except BadRequest as exc:
            if "too big" in str(exc).lower():
                return tg(lang, "voice_too_large", mb=f">{limit_mb}", limit=limit_mb)
            log.warning("voice download failed", extra={"error": repr(exc)})
            return tg(lang, "voice_download_failed")
        except TelegramError as exc:
            log.warning("voice download failed", extra={"error": repr(exc)})
            return tg(lang, "voice_download_failed")
        if len(data) > self.max_voice_bytes:
            return tg(lang, "voice_too_large", mb=round(len(data) / 1048576, 1), limit=limit_mb)
        duration = media.to_dict().get("duration")
        fmt = "ogg" if message.voice else audio_format(media.mime_type, default="mp3")
        return Audio(data=data, format=fmt, duration_s=float(duration) if duration is not None else None)

    async def _download_images(self, message: Message, lang: str | None) -> tuple[Image, ...] | str:
        """A photo (its largest size) or a document, as sent; or what to tell the user when it cannot
        be had. What it is is decided from the content later, not from the claimed type."""
        if message.photo:
            media, mime, name = message.photo[-1], "image/jpeg", None
        else:
            media, mime, name = message.document, message.document.mime_type, message.document.file_name
        limit = self.max_image_bytes
        if media.file_size and media.file_size > limit:
            return tg(lang, "file_too_large", mb=round(media.file_size / 1048576, 1), limit=limit // 1048576)
        try:
            file = await media.get_file()
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            if "too big" in str(exc).lower():
                return tg(lang, "file_too_large", mb=f">{limit // 1048576}", limit=limit // 1048576)
            log.warning("file download failed", extra={"error": repr(exc)})
            return tg(lang, "file_download_failed")
        return (Image(data=data, mime=mime or "application/octet-stream", name=safe_text(name) if name else None),)

    async def _edit_card(self, card: Message, reply: Reply) -> bool:
        """Show `reply` in place of the pressed card; False when the card cannot be edited."""
        pieces = split_text(reply.text) or [" "]
        try:
            await self.bot.edit_message_text(chat_id=card.chat.id, message_id=card.message_id,
                                             text=pieces[0], reply_markup=keyboard(reply.choices)
                                             if len(pieces) == 1 else None)
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return True
            log.info("card could not be edited; sending instead", extra={"error": str(exc)})
            return False
        rest = Reply(text="\n".join(pieces[1:]), choices=reply.choices, image=reply.image,
                     image_alt=reply.image_alt) if len(pieces) > 1 or reply.image else None
        if rest is not None:
            await self._send_reply(card.chat.id, rest)
        return True

    async def _send_reply(self, chat_id: int, reply: Reply, *, reply_to: int | None = None,
                          thread: int | None = None) -> None:
        markup = keyboard(reply.choices)
        pieces = split_text(reply.text)
        common = {"message_thread_id": thread,
                  "reply_parameters": ReplyParameters(reply_to, allow_sending_without_reply=True)
                  if reply_to else None}
        if reply.image:
            caption_fits = len(pieces) <= 1 and utf16_len(reply.text) <= MAX_CAPTION
            caption = reply.text if caption_fits else (reply.image_alt or "")[:MAX_CAPTION] or None
            await self.bot.send_photo(chat_id, photo=reply.image, caption=caption,
                                      reply_markup=markup if caption_fits else None, **common)
            if caption_fits:
                return
        if not pieces and markup is not None:
            pieces = ["…"]
        for i, piece in enumerate(pieces):
            await self.bot.send_message(chat_id, piece, reply_markup=markup if i == len(pieces) - 1 else None,
                                        **common)

    async def _say(self, chat_id: int, text: str, *, reply_to: int | None = None,
                   thread: int | None = None) -> None:
        await self._send_reply(chat_id, Reply(text=text), reply_to=reply_to, thread=thread)


async def _answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a callback query once; a second answer (a redelivered press) fails harmlessly."""
    try:
        await query.answer(text=text[:200] if text else None, show_alert=alert)
    except (BadRequest, Forbidden) as exc:
        log.info("callback answer refused", extra={"error": str(exc)})


def run_telegram(settings: Settings) -> int:
    """`salesbot run --platform telegram`: check the settings, open the app, serve until stopped."""
    from bot.app import build_app
    from bot.cli import CliError
    from bot.loop import ConversationLoop

    try:
        config = TelegramConfig.from_settings(settings)
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    from bot.scheduler.runner import Scheduler, serve_with_scheduler

    voice_limit = min(MAX_VOICE_BYTES, getattr(settings, "voice_max_bytes", MAX_VOICE_BYTES))
    image_limit = min(MAX_IMAGE_BYTES, settings.attachment_max_bytes)
    app = build_app(settings, warm_up=True)
    adapter = TelegramAdapter(ConversationLoop(app), config, max_voice_bytes=voice_limit,
                              max_image_bytes=image_limit)
    asyncio.run(serve_with_scheduler(adapter, Scheduler(app, adapter.outbox, platforms=[PLATFORM])))
    return 0
