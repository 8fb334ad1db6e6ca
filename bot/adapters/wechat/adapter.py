"""The WeChat adapter (wechaty puppet-service): `salesbot run --platform wechat`.

    puppet-service gateway (a paid WeChat/WeCom puppet, or any wechaty gateway)
      ─▶ GatewayConnection (gateway.py): sessions, reconnects, RPCs retried after one
      ─▶ message ids, in the order the gateway sent them ─▶ loader: payload → WeChatMessage
           (the bot's own messages, recalls, system notices and stickers stop here)
      ─▶ one worker per chat (messages of a chat in order, chats in parallel):
           room message without @bot → ignored;  invite code in a room → "send it privately"
           voice → MessageFileStream → Audio(data, "silk")
           typed number → the choice it had on the last card;  同意 101 / 驳回 101 原因 → q: choices
           ConversationLoop.handle → Outcome → texts ending in numbered choices → the chat
           outgoing (approval requests, decisions) → Outbox → WeChatAdapter.send

Everything the bot decides is decided by the loop: linking (`绑定 CODE`, `/start CODE`), who may
decide which quote, what a voice note says. The adapter translates, and keeps WeChat's ways: no
buttons, @mentions in rooms, one short refusal per stranger (not one per message).

Reliability: the loop records each WeChat message id, so a message the gateway delivers twice is
handled once and answered once. A message whose payload, voice file or reply cannot go through
because the gateway dropped waits for the reconnect and goes through then (for up to
`retry_window_s`). `stop()` handles every message already received before disconnecting.
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import signal
import uuid
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from bot.adapters import Outbox
from bot.adapters.progress import WorkingNotice
from bot.adapters.running import megabytes, serve_platform
from bot.adapters.wechat.compat import load_wechaty
from bot.adapters.wechat.config import WeChatConfig
from bot.adapters.wechat.gateway import GatewayConnection, GatewayError
from bot.adapters.wechat.inbound import (PLATFORM, ChoiceMemory, Decision, FileTooLarge, WeChatMessage,
                                         audio_format, download_file, load_message, parse_decision)
from bot.adapters.wechat.render import render_reply
from bot.identity import link_code_in
from bot.messages import Audio, Image, IncomingMessage, Reply
from bot.outcome import Outcome
from prompts.ui import t
from prompts.wechat import wx
from storage.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.loop import Progress

log = logging.getLogger("salesbot.wechat")
load_wechaty()  # the SDK with its shims; without the extra, `salesbot run` says what to install



class Handles(Protocol):
    """What the adapter needs of the conversation loop."""

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None) -> Outcome: ...


class WeChatAdapter:
    """The adapter contract (`bot.adapters.Adapter`) on a wechaty puppet-service gateway."""

    platform = PLATFORM

    def __init__(self, loop: Handles, config: WeChatConfig, *, outbox: Outbox | None = None,
                 gateway: GatewayConnection | None = None, retry_window_s: float = 300.0,
                 working_notice_s: float = 4.0, drain_timeout_s: float = 60.0) -> None:
        self.loop = loop
        self.config = config
        self.outbox = outbox or Outbox()
        self.outbox.register(self)
        self.gateway = gateway or GatewayConnection(config.endpoint, config.token, on_message=self._received,
                                                    retry_window_s=retry_window_s)
        self.gateway.on_message = self._received
        self.choices = ChoiceMemory()
        self.working_notice_s = working_notice_s
        self.drain_timeout_s = drain_timeout_s
        self._intake: asyncio.Queue[str] = asyncio.Queue()
        self._loader: asyncio.Task | None = None
        self._workers: set[asyncio.Task] = set()
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._chat_waiting: dict[str, int] = {}
        self._refused: OrderedDict[str, None] = OrderedDict()

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Connect to the gateway (`GatewayError` when it refuses or cannot be reached) and start
        handling messages."""
        if self._loader is None:
            self._loader = asyncio.create_task(self._load_in_order(), name="wechat-loader")
        try:
            await self.gateway.start(timeout_s=self.config.connect_timeout_s)
        except BaseException:
            await self._cancel_loader()
            raise
        log.info("wechat adapter started", extra={"endpoint": str(self.config.endpoint)})

    async def stop(self) -> None:
        """Handle every message already received (for up to `drain_timeout_s`), then disconnect."""
        try:
            await asyncio.wait_for(self.idle(), self.drain_timeout_s)
        except asyncio.TimeoutError:
            log.warning("stopping with messages still being handled", extra={"workers": len(self._workers)})
        await self._cancel_loader()
        for task in list(self._workers):
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        await self.gateway.stop()
        log.info("wechat adapter stopped")

    async def idle(self) -> None:
        """Return once no received message is waiting or being handled."""
        while True:
            await self._intake.join()
            if not self._workers:
                return
            await asyncio.gather(*list(self._workers), return_exceptions=True)

    async def serve(self, stop: asyncio.Event | None = None) -> None:
        """Run until SIGINT/SIGTERM (or `stop` is set), then stop gracefully."""
        stop = stop or asyncio.Event()
        running = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                running.add_signal_handler(sig, stop.set)
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()

    async def _cancel_loader(self) -> None:
        task, self._loader = self._loader, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # --- the adapter contract: messages the loop addresses to other users ----------------

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver a proactive message (an approval request, a decision) to a private chat. Rooms
        are refused: what the loop sends unasked is about one person's records."""
        if "@" in chat_id:
            raise PermissionError(f"refusing to post an unrequested message in room {chat_id}")
        await self._show(chat_id, reply, conversation=(chat_id, chat_id))

    # --- incoming ------------------------------------------------------------------------

    def _received(self, message_id: str) -> None:
        self._intake.put_nowait(message_id)

    async def _load_in_order(self) -> None:
        """Read each message's payload in arrival order and hand it to its chat's worker; a payload
        that cannot be read now (the gateway dropped) is read after the reconnect."""
        while True:
            message_id = await self._intake.get()
            try:
                message = await self.gateway.call(
                    lambda bot: load_message(bot, message_id, self_id=self.gateway.self_id,
                                             self_name=self.gateway.self_name),
                    what="read message")
            except GatewayError as exc:
                log.error("message lost: the gateway was gone too long", extra={"message_id": message_id,
                                                                                  "error": str(exc)})
            except Exception:
                log.exception("message could not be read", extra={"message_id": message_id})
            else:
                if message is not None:
                    self._dispatch(message)
            finally:
                self._intake.task_done()

    def _dispatch(self, message: WeChatMessage) -> None:
        task = asyncio.create_task(self._in_chat_order(message), name=f"wechat-{message.id}")
        self._workers.add(task)
        task.add_done_callback(self._workers.discard)

    async def _in_chat_order(self, message: WeChatMessage) -> None:
        """Messages of one chat one at a time, in arrival order (asyncio locks wake waiters
        first-in first-out), so a typed "1" never overtakes the message that made its card."""
        key = message.chat_id
        self._chat_waiting[key] = self._chat_waiting.get(key, 0) + 1
        lock = self._chat_locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                await self._handle(message)
        except GatewayError as exc:
            log.error("reply lost: the gateway was gone too long", extra={"message_id": message.id,
                                                                            "error": str(exc)})
        except Exception:
            error_id = uuid.uuid4().hex[:10]
            log.exception("wechat message failed", extra={"message_id": message.id, "error_id": error_id})
            with contextlib.suppress(Exception):
                await self._say(message, t(self.config.default_language, "apology", error_id=error_id))
        finally:
            self._chat_waiting[key] -= 1
            if not self._chat_waiting[key]:
                del self._chat_waiting[key]
                self._chat_locks.pop(key, None)

    async def _handle(self, message: WeChatMessage) -> None:
        if message.in_room and not message.mentions_bot:
            return  # rooms: only what is addressed to the bot
        lang = self.config.default_language
        if message.kind == "other":
            if not message.in_room:
                await self._say(message, wx(lang, "unsupported"))
            return
        if message.in_room and link_code_in(message.text):
            await self._say(message, wx(lang, "link_in_private"))
            return
        audio = None
        if message.kind == "voice":
            audio = await self._voice(message)
            if isinstance(audio, str):
                await self._say(message, audio)
                return
        images: tuple[Image, ...] = ()
        if message.kind == "image":
            image = await self._image(message)
            if isinstance(image, str):
                await self._say(message, image)
                return
            images = (image,)
        decision = parse_decision(message.text) if message.text else None
        choice = decision.choice if decision else self.choices.pick(message.conversation, message.text)
        incoming = IncomingMessage(
            platform=PLATFORM, chat_id=message.chat_id, external_user_id=message.talker_id,
            message_id=message.id, text=message.text, audio=audio, images=images, choice=choice,
            is_group=message.in_room,
            mentions_bot=message.mentions_bot, display_name=message.talker_name)
        outcome = await self._run_loop(message, incoming)
        if decision is not None and decision.action == "reject" and decision.reason:
            outcome = await self._give_reason(message, incoming, decision, outcome)
        await self._deliver(message, outcome)

    async def _run_loop(self, message: WeChatMessage, incoming: IncomingMessage) -> Outcome:
        notice = WorkingNotice(lambda: self._say(message, t(self.config.default_language, "working")),
                               self.working_notice_s)
        try:
            return await self.loop.handle(incoming, progress=notice)
        finally:
            await notice.cancel()

    async def _give_reason(self, message: WeChatMessage, incoming: IncomingMessage, decision: Decision,
                           pressed: Outcome) -> Outcome:
        """`驳回 101 原因`: the reject choice asks for a reason; answer it at once with the reason
        typed after the id, as a second message of its own id (so each step is handled once)."""
        if not pressed.duplicate and not any(r.kind == "question" for r in pressed.replies):
            return pressed  # refused, stale, not theirs: say so and stop
        reason = IncomingMessage(
            platform=PLATFORM, chat_id=incoming.chat_id, external_user_id=incoming.external_user_id,
            message_id=f"{incoming.message_id}#reason", text=decision.reason, is_group=incoming.is_group,
            mentions_bot=incoming.mentions_bot, display_name=incoming.display_name)
        answered = await self._run_loop(message, reason)
        answered.outgoing[:0] = pressed.outgoing
        return answered

    async def _voice(self, message: WeChatMessage) -> Audio | str:
        """The voice message's audio, or what to tell the sender when it cannot be had."""
        got = await self._download(message, self.config.max_voice_bytes, "voice")
        if isinstance(got, str):
            return got
        name, data = got
        return Audio(data=data, format=audio_format(name, data))

    async def _image(self, message: WeChatMessage) -> Image | str:
        """The picture's bytes, or what to tell the sender when it cannot be had. What it is is
        decided later from the content."""
        got = await self._download(message, self.config.max_image_bytes, "file")
        if isinstance(got, str):
            return got
        name, data = got
        return Image(data=data, mime="application/octet-stream", name=name or None)

    async def _download(self, message: WeChatMessage, limit: int, what: str) -> tuple[str, bytes] | str:
        """(file name, bytes) of the message's file, or what to tell the sender (`{what}_too_large`,
        `{what}_download_failed`) when it is over `limit` or cannot be had."""
        lang = self.config.default_language
        try:
            name, data = await self.gateway.call(
                lambda bot: download_file(bot, message.id, max_bytes=limit), what=f"download {what}",
                timeout_s=120.0)
        except FileTooLarge as exc:
            return wx(lang, f"{what}_too_large", mb=megabytes(exc.size), limit=megabytes(limit))
        except GatewayError:
            raise
        except Exception as exc:
            log.warning(f"{what} download failed", extra={"message_id": message.id, "error": repr(exc)[:300]})
            return wx(lang, f"{what}_download_failed")
        if not data:
            return wx(lang, f"{what}_download_failed")
        return name, data

    # --- outgoing ------------------------------------------------------------------------

    async def _deliver(self, message: WeChatMessage, outcome: Outcome) -> None:
        if outcome.duplicate:
            log.info("message delivered again; already handled", extra={"message_id": message.id})
            return
        replies = outcome.replies
        if replies and not outcome.sender_linked and all(r.kind == "notice" for r in replies):
            if message.talker_id in self._refused:
                replies = []  # one refusal per stranger, not one per message
            else:
                self._refused[message.talker_id] = None
                while len(self._refused) > 10_000:
                    self._refused.popitem(last=False)
        for reply in replies:
            await self._show(message.chat_id, reply, conversation=message.conversation,
                             mention=message if message.in_room else None)
        await self.outbox.deliver(outcome.outgoing)

    async def _say(self, message: WeChatMessage, text: str) -> None:
        await self._show(message.chat_id, Reply(text=text), conversation=message.conversation,
                         mention=message if message.in_room else None)

    async def _show(self, chat_id: str, reply: Reply, *, conversation: tuple[str, str],
                    mention: WeChatMessage | None = None) -> None:
        """Send one reply: its image (or its alt text), then its text with numbered choices; from
        now on a typed number in this conversation presses one of these choices."""
        self.choices.shown(conversation, reply.choices)
        pieces = render_reply(reply)
        if reply.image and not await self._send_image(chat_id, reply.image) and reply.image_alt:
            pieces.insert(0, reply.image_alt)
        mention_ids = [mention.talker_id] if mention else None
        for i, piece in enumerate(pieces):
            text = f"@{mention.talker_name}\u2005{piece}" if mention and i == 0 else piece
            await self.gateway.call(
                lambda bot, text=text: bot.puppet.message_send_text(chat_id, text, mention_ids), what="send text")

    async def _send_image(self, chat_id: str, png: bytes) -> bool:
        from wechaty_puppet import FileBox

        box = FileBox.from_base64(base64.b64encode(png), name="chart.png")
        try:
            await self.gateway.call(lambda bot: bot.puppet.message_send_file(chat_id, box), what="send image")
        except GatewayError:
            raise
        except Exception as exc:
            log.warning("image could not be sent; sending its text", extra={"error": repr(exc)[:300]})
            return False
        return True


def run_wechat(settings: Settings) -> int:
    """`salesbot run --platform wechat`: check the settings, open the app, serve until stopped."""
    from bot.cli import CliError

    try:
        config = WeChatConfig.from_settings(settings)
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    try:
        serve_platform(settings, PLATFORM, lambda loop: WeChatAdapter(loop, config))
    except GatewayError as exc:
        raise CliError(str(exc)) from None
    return 0
