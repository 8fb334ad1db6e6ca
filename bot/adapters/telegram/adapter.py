"""The Telegram adapter (python-telegram-bot 22): `salesbot run --platform telegram`.

    Telegram ─▶ polling (getUpdates) or the webhook server (TELEGRAM_WEBHOOK_URL)
        ─▶ intake: rate limit, voice download, Update → IncomingMessage ─▶ the inbox (bot/inbox)
           only then is the update acknowledged: the polling offset moves past it, the webhook
           answers 200
        ─▶ inbox workers ─▶ ConversationLoop.handle ─▶ Outcome (stored with what it wrote)
        ─▶ deliver: messages with inline keyboards; a pressed card is edited in place
        ─▶ outgoing (approval requests, decisions): Outbox ─▶ TelegramAdapter.send

Everything the bot decides is decided by the loop: linking (`/start CODE`), who may press which
button, whether a press is stale, what a voice note says. The adapter only translates, and keeps
Telegram's rules: one answer per callback query, ≤4096 characters a message, 64-byte button data,
nothing of one rep's posted in a group unless they asked there.

Reliability: an update is stored before Telegram is told it arrived, so a crash at any moment
loses nothing (Telegram delivers what was not acknowledged again, and the inbox keeps the rest);
updates of one chat are handled and answered in order and different chats concurrently, by the
workers of any number of processes; the loop records each message id (a callback query's id for
presses), so an update delivered twice writes once; an update the library cannot read is logged
once and skipped (polling and webhook alike); a failure is logged with its traceback and the user
gets an apology with an error id; outgoing requests pass PTB's `AIORateLimiter` (Telegram's flood
limits) and each user has a token bucket.
"""
from __future__ import annotations

import asyncio
import logging
import signal
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.exc import SQLAlchemyError
from telegram import BotCommand, CallbackQuery, Message, ReplyParameters, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError
from telegram.request import HTTPXRequest
from telegram.ext import AIORateLimiter

from bot.adapters import Outbox
from bot.adapters.telegram.config import TelegramConfig
from bot.adapters.telegram.flow import TypingIndicator, UserRateLimiter, Verdict
from bot.adapters.telegram.inbound import (PLATFORM, BotIdentity, addressed, audio_format, callback_to_incoming,
                                           is_group_chat, message_to_incoming)
from bot.adapters.telegram.tolerant import TolerantBot
from bot.adapters.telegram.render import MAX_CAPTION, button_data, keyboard, split_text, utf16_len
from bot.identity import link_code_in
from bot.inbox import Inbox, InboxItem
from bot.messages import Audio, Image, IncomingMessage, Reply
from bot.text_input import safe_text
from bot.outcome import Outcome
from prompts.telegram import COMMANDS, tg
from prompts.ui import t
from storage.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.app import App
    from bot.loop import BeforeCommit, Progress

log = logging.getLogger("salesbot.telegram")

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
MAX_VOICE_BYTES = 20 * 1024 * 1024  # what the cloud Bot API lets a bot download
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # ATTACHMENT_MAX_BYTES's default


class Handles(Protocol):
    """What the adapter needs of the conversation loop."""

    app: App

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None,
                     before_commit: BeforeCommit | None = None) -> Outcome: ...


class TelegramAdapter:
    """The adapter contract (`bot.adapters.Adapter`): intake into the inbox, workers, delivery."""

    platform = PLATFORM

    def __init__(self, loop: Handles, config: TelegramConfig, *, outbox: Outbox | None = None,
                 flood_limiter: bool = True, user_limits: UserRateLimiter | None = None,
                 max_voice_bytes: int = MAX_VOICE_BYTES, max_image_bytes: int = MAX_IMAGE_BYTES,
                 poll_timeout: int = 30, workers: int | None = None,
                 inbox: Inbox | None = None, intake: bool = True, drain_s: float = 10.0) -> None:
        self.loop = loop
        self.config = config
        self.outbox = outbox or Outbox()
        self.outbox.register(self)
        self.user_limits = user_limits or UserRateLimiter()
        self.max_voice_bytes = max_voice_bytes
        self.max_image_bytes = max_image_bytes
        self.poll_timeout = poll_timeout
        self.intake, self.drain_s = intake, drain_s
        self.me: BotIdentity | None = None
        settings = loop.app.settings
        self.inbox = inbox or Inbox(loop.app.db, lease_s=settings.inbox_lease_seconds)
        self.worker = self.inbox.worker(loop, platforms=[PLATFORM], deliver=self.deliver, progress=self.typing,
                                        concurrency=workers or settings.inbox_workers)
        self.bot = TolerantBot(config.token, base_url=config.base_url, base_file_url=config.base_file_url,
                               request=HTTPXRequest(connection_pool_size=256),
                               get_updates_request=HTTPXRequest(connection_pool_size=1),
                               rate_limiter=AIORateLimiter(max_retries=3) if flood_limiter else None)
        self._poller: asyncio.Task | None = None
        self._webhook = None

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Connect (getMe), register the command menus, start the inbox workers, then poll or
        serve the webhook (with `intake=False`, a process that only works the inbox)."""
        await self.bot.initialize()
        self.me = BotIdentity(self.bot.id, self.bot.username)
        await self.worker.start()
        if not self.intake:
            log.info("telegram inbox worker only", extra={"bot": self.me.username})
            return
        await self.register_commands()
        if self.config.webhook_url:
            from bot.adapters.telegram.webhook import WebhookServer

            self._webhook = WebhookServer(self, self.config)
            await self._webhook.start()
            await self.bot.set_webhook(self.config.webhook_url, secret_token=self.config.webhook_secret,
                                       allowed_updates=ALLOWED_UPDATES)
            log.info("telegram webhook serving", extra={"listen": self.config.webhook_listen,
                                                         "port": self.config.webhook_port})
        else:
            await self.bot.delete_webhook(drop_pending_updates=False)
            self._poller = asyncio.create_task(self._poll(), name="telegram-poll")
            log.info("telegram polling", extra={"bot": self.me.username})

    async def stop(self) -> None:
        """Stop taking updates, answer what was received (up to `drain_s`), then disconnect.
        Whatever is left stays in the inbox for the next start or another process."""
        if self._poller is not None:
            self._poller.cancel()
            await asyncio.gather(self._poller, return_exceptions=True)
            self._poller = None
        if self._webhook is not None:
            await self._webhook.stop()
            self._webhook = None
        try:
            await self.worker.idle(self.drain_s)
        except TimeoutError:
            log.warning("telegram stopping with messages left in the inbox")
        await self.worker.stop()
        await self.bot.shutdown()
        log.info("telegram stopped")

    async def idle(self, timeout: float = 15.0) -> None:
        """Wait until every stored message has been handled and answered."""
        await self.worker.idle(timeout)

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

    # --- intake: updates into the inbox --------------------------------------------------

    async def _poll(self) -> None:
        """getUpdates in a loop; the offset (what Telegram forgets) moves only past updates the
        inbox holds, or that were deliberately skipped."""
        offset, backoff = None, 1.0
        while True:
            try:
                updates = await self.bot.get_updates(offset=offset, timeout=self.poll_timeout,
                                                     allowed_updates=ALLOWED_UPDATES)
            except InvalidToken:
                log.critical("telegram refused the bot token; polling stopped")
                return
            except TelegramError as exc:
                log.warning("getUpdates failed", extra={"error": repr(exc), "retry_s": backoff})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if not updates:
                backoff = 1.0
                continue
            stored_up_to = await self.take_in(updates)
            if stored_up_to is not None:
                offset = stored_up_to + 1
            if stored_up_to != updates[-1].update_id:  # the database refused one: try it again
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
            else:
                backoff = 1.0

    async def take_in(self, updates: list[Update]) -> int | None:
        """Store a batch, chats concurrently and each chat in order; the highest update id below
        which every update is stored (or skipped), None when the first one could not be."""
        chats: dict[Any, list[Update]] = defaultdict(list)
        for update in updates:
            chats[_chat_key(update)].append(update)
        failed: list[int] = []

        async def one_chat(batch: list[Update]) -> None:
            for update in batch:
                if not await self.take(update):
                    failed.append(update.update_id)
                    return

        await asyncio.gather(*(one_chat(batch) for batch in chats.values()))
        if not failed:
            return updates[-1].update_id
        first_failed = min(failed)
        done = [u.update_id for u in updates if u.update_id < first_failed]
        return done[-1] if done else None

    async def take(self, update: Update) -> bool:
        """One update into the inbox (or answered at once: over the rate limit, a voice note too
        large). False only when it could not be stored (the database is unreachable) and must be
        fetched again; an update that fails for any other reason is logged and skipped."""
        try:
            if update.callback_query is not None:
                await self._take_press(update.callback_query)
            elif update.message is not None:
                await self._take_message(update.message)
            return True
        except SQLAlchemyError as exc:
            log.error("telegram update not stored; it will be fetched again",
                      extra={"update_id": update.update_id, "error": repr(exc)})
            return False
        except Exception:
            log.exception("telegram update skipped", extra={"update_id": update.update_id})
            return True

    async def _take_message(self, message: Message) -> None:
        if message.from_user is None or message.from_user.is_bot:
            return
        if not (message.text or message.caption or message.effective_attachment):
            return  # service messages: members joining, pins, timers
        assert self.me is not None
        group = is_group_chat(message.chat)
        address = addressed(message, self.me)
        if address.for_other_bot or (group and not (address.mentions_bot or address.command)):
            return
        lang = message.from_user.language_code
        context = {"reply_to": message.message_id if group else None,
                   "thread": message.message_thread_id if group and message.is_topic_message else None}
        incoming = message_to_incoming(message, self.me)
        if group and link_code_in(address.text):
            await self.inbox.accept(incoming, context, answer=Outcome().say(tg(lang, "link_in_private")))
            return
        verdict = self.user_limits.check(str(message.from_user.id), f"{message.chat.id}:{message.message_id}")
        if verdict is not Verdict.ALLOW:
            if verdict is Verdict.WARN:
                log.info("user rate limited", extra={"user": message.from_user.id})
            answer = Outcome().say(t(lang, "rate_limited")) if verdict is Verdict.WARN else Outcome()
            await self.inbox.accept(incoming, context, answer=answer)
            return
        audio, images = None, ()
        if message.voice or message.audio:
            audio = await self._download_audio(message, lang)
            if isinstance(audio, str):
                await self.inbox.accept(incoming, context, answer=Outcome().say(audio))
                return
        if message.photo or message.document:
            images = await self._download_images(message, lang)
            if isinstance(images, str):
                await self.inbox.accept(incoming, context, answer=Outcome().say(images))
                return
        if audio is not None or images:
            incoming = message_to_incoming(message, self.me, audio=audio, images=images)
        await self.inbox.accept(incoming, context)

    async def _take_press(self, query: CallbackQuery) -> None:
        incoming = callback_to_incoming(query)
        card = query.message if isinstance(query.message, Message) else None
        context = {"query_id": query.id,
                   "card": [card.chat.id, card.message_id] if card is not None else None,
                   "on_card": card is not None and query.data is not None and query.data in button_data(card)}
        if query.data is None:
            await self.inbox.accept(incoming, context, answer=Outcome())
            return
        lang = query.from_user.language_code
        if self.user_limits.check(str(query.from_user.id), f"cb:{query.id}") is not Verdict.ALLOW:
            await self.inbox.accept(incoming, context, answer=Outcome().say(t(lang, "rate_limited"), kind="notice"))
            return
        await self.inbox.accept(incoming, context)

    # --- delivery: what the workers send -------------------------------------------------

    def typing(self, item: InboxItem) -> TypingIndicator | None:
        """A message's typing indicator while it is handled (not for button presses)."""
        if item.context.get("query_id") is not None:
            return None
        return TypingIndicator(self.bot.send_chat_action, int(item.message.chat_id),
                               thread_id=item.context.get("thread"))

    async def deliver(self, item: InboxItem, outcome: Outcome) -> None:
        """Show a handled message's outcome. Telegram refusing for good (the user blocked the bot,
        the chat is gone) is logged and counts as delivered; anything else raises, to be retried."""
        try:
            if item.context.get("query_id") is not None:
                await self._answer_press(item, outcome)
            elif not outcome.duplicate:
                for reply in outcome.replies:
                    await self._send_reply(int(item.message.chat_id), reply, reply_to=item.context.get("reply_to"),
                                           thread=item.context.get("thread"))
        except (Forbidden, BadRequest) as exc:
            log.warning("telegram refused the reply", extra={"inbox_id": item.id, "error": repr(exc)})
        await self.outbox.deliver(outcome.outgoing)

    async def _answer_press(self, item: InboxItem, outcome: Outcome) -> None:
        query_id = item.context["query_id"]
        if outcome.duplicate:
            await self._answer(query_id)
            return
        # A press that changed nothing (stale, someone else's card) is answered to the presser
        # alone; the card stays as it is.
        refusals = [r for r in outcome.replies if r.kind == "notice" and not r.choices]
        await self._answer(query_id, refusals[0].text if refusals else None, alert=bool(refusals))
        card = item.context.get("card")
        edited = False
        for reply in outcome.replies:
            if reply in refusals:
                continue
            if reply.replaces_card and item.context.get("on_card") and card and not edited:
                edited = await self._edit_card(card[0], card[1], reply)
                if edited:
                    continue
            await self._send_reply(int(item.message.chat_id), reply)

    async def _answer(self, query_id: str, text: str | None = None, *, alert: bool = False) -> None:
        """Answer a callback query once; a second answer (a redelivered press, a press answered
        after a restart) fails harmlessly."""
        try:
            await self.bot.answer_callback_query(query_id, text=text[:200] if text else None, show_alert=alert)
        except (BadRequest, Forbidden) as exc:
            log.info("callback answer refused", extra={"error": str(exc)})

    # --- helpers -------------------------------------------------------------------------

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

    async def _edit_card(self, chat_id: int, message_id: int, reply: Reply) -> bool:
        """Show `reply` in place of the pressed card; False when the card cannot be edited."""
        pieces = split_text(reply.text) or [" "]
        try:
            await self.bot.edit_message_text(chat_id=chat_id, message_id=message_id,
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
            await self._send_reply(chat_id, rest)
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



def _chat_key(update: Update) -> Any:
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return f"user:{user.id}" if user is not None else f"update:{update.update_id}"


def run_telegram(settings: Settings, *, intake: bool = True) -> int:
    """`salesbot run --platform telegram [--workers-only]`: check the settings, open the app,
    serve until stopped."""
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
                              max_image_bytes=image_limit, intake=intake,
                              flood_limiter=settings.telegram_flood_limiter)
    asyncio.run(serve_with_scheduler(adapter, Scheduler(app, adapter.outbox, platforms=[PLATFORM])))
    return 0
