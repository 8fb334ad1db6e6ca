"""The WeChat adapter (wechaty puppet-service): `salesbot run --platform wechat`.

    puppet-service gateway (a paid WeChat/WeCom puppet, or any wechaty gateway)
      ─▶ GatewayConnection (gateway.py): sessions, reconnects, RPCs retried after one
      ─▶ message ids, in the order the gateway sent them ─▶ loader: payload → WeChatMessage
           (the bot's own messages, recalls, system notices and stickers stop here)
      ─▶ intake, one chat in order (chats in parallel):
           room message without @bot → ignored;  invite code in a room → "send it privately"
           voice → MessageFileStream → Audio(data, "silk")
           ─▶ the inbox (bot/inbox): stored before anything else happens to it
      ─▶ inbox workers (this process or another), a chat's messages in order:
           typed number → the choice it had on the last card;  同意 101 / 驳回 101 原因 → q: choices
           ConversationLoop.handle → Outcome (stored with its writes) → texts ending in numbered
           choices → the chat; outgoing (approval requests, decisions) → Outbox → WeChatAdapter.send

Everything the bot decides is decided by the loop: linking (`绑定 CODE`, `/start CODE`), who may
decide which quote, what a voice note says. The adapter translates, and keeps WeChat's ways: no
buttons, @mentions in rooms, one short refusal per stranger (not one per message).

Reliability: a message is stored in the inbox once read, so a crash after that loses nothing; the
inbox and the loop key it by its WeChat id, so a message the gateway delivers twice is handled once
and answered once. A payload or voice file that cannot be read because the gateway dropped waits
for the reconnect (for up to `retry_window_s`); a reply that cannot be sent is sent again later by
the inbox. `stop()` answers every message already received before disconnecting.
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import signal
import uuid
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

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
from bot.inbox import Inbox, InboxItem
from bot.messages import Audio, Image, IncomingMessage, Reply
from bot.outcome import Outcome
from prompts.ui import t
from prompts.wechat import wx
from storage.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.app import App
    from bot.loop import BeforeCommit, Progress

log = logging.getLogger("salesbot.wechat")
load_wechaty()  # the SDK with its shims; without the extra, `salesbot run` says what to install



class Handles(Protocol):
    """What the adapter needs of the conversation loop."""

    app: App

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None,
                     before_commit: BeforeCommit | None = None) -> Outcome: ...


class WeChatAdapter:
    """The adapter contract (`bot.adapters.Adapter`) on a wechaty puppet-service gateway."""

    platform = PLATFORM

    def __init__(self, loop: Handles, config: WeChatConfig, *, outbox: Outbox | None = None,
                 gateway: GatewayConnection | None = None, retry_window_s: float = 300.0,
                 working_notice_s: float = 4.0, drain_timeout_s: float = 60.0, inbox: Inbox | None = None) -> None:
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
        settings = loop.app.settings
        self.inbox = inbox or Inbox(loop.app.db, lease_s=settings.inbox_lease_seconds)
        self.worker = self.inbox.worker(_Steps(self), platforms=[PLATFORM], deliver=self.deliver,
                                        progress=self._working, concurrency=settings.inbox_workers)

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
        await self.worker.start()
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
        await self.worker.stop()
        await self.gateway.stop()
        log.info("wechat adapter stopped")

    async def idle(self) -> None:
        """Return once every received message has been stored, handled and answered."""
        while True:
            await self._intake.join()
            if not self._workers:
                break
            await asyncio.gather(*list(self._workers), return_exceptions=True)
        await self.worker.idle(timeout=self.drain_timeout_s)

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
                await self._take(message)
        except GatewayError as exc:
            log.error("message lost: the gateway was gone too long", extra={"message_id": message.id,
                                                                              "error": str(exc)})
        except Exception:
            error_id = uuid.uuid4().hex[:10]
            log.exception("wechat message not taken in", extra={"message_id": message.id, "error_id": error_id})
            with contextlib.suppress(Exception):
                await self._show(message.chat_id, Reply(t(self.config.default_language, "apology", error_id=error_id)),
                                 conversation=message.conversation, mention=message if message.in_room else None)
        finally:
            self._chat_waiting[key] -= 1
            if not self._chat_waiting[key]:
                del self._chat_waiting[key]
                self._chat_locks.pop(key, None)

    async def _take(self, message: WeChatMessage) -> None:
        """One message into the inbox, or answered at once (stored with its answer, so it is sent
        in its turn): what the bot cannot read, an invite code in a room, a voice note it cannot get."""
        if message.in_room and not message.mentions_bot:
            return  # rooms: only what is addressed to the bot
        lang = self.config.default_language
        context = {"in_room": message.in_room, "talker_name": message.talker_name}
        incoming = IncomingMessage(
            platform=PLATFORM, chat_id=message.chat_id, external_user_id=message.talker_id,
            message_id=message.id, text=message.text, is_group=message.in_room,
            mentions_bot=message.mentions_bot, display_name=message.talker_name)
        answer = None
        if message.kind == "other":
            if message.in_room:
                return
            answer = wx(lang, "unsupported")
        elif message.in_room and link_code_in(message.text):
            answer = wx(lang, "link_in_private")
        elif message.kind == "voice":
            audio = await self._voice(message)
            if isinstance(audio, str):
                answer = audio
            else:
                incoming = replace(incoming, audio=audio)
        elif message.kind == "image":
            image = await self._image(message)
            if isinstance(image, str):
                answer = image
            else:
                incoming = replace(incoming, images=(image,))
        await self.inbox.accept(incoming, context, answer=Outcome().say(answer) if answer else None)

    async def _run_loop(self, incoming: IncomingMessage, progress: Any = None,
                        before_commit: BeforeCommit | None = None) -> Outcome:
        """The message through the loop: a typed number becomes the choice it had on the last
        card; `驳回 101 原因` is the reject choice and then its reason."""
        decision = parse_decision(incoming.text) if incoming.text and incoming.audio is None else None
        conversation = (incoming.chat_id, incoming.external_user_id)
        choice = decision.choice if decision else self.choices.pick(conversation, incoming.text)
        if choice is not None:
            incoming = replace(incoming, choice=choice)
        if decision is not None and decision.action == "reject" and decision.reason:
            pressed = await self.loop.handle(incoming, progress=progress)
            return await self._give_reason(incoming, decision, pressed, progress, before_commit)
        return await self.loop.handle(incoming, progress=progress, before_commit=before_commit)

    async def _give_reason(self, incoming: IncomingMessage, decision: Decision, pressed: Outcome,
                           progress: Any, before_commit: BeforeCommit | None) -> Outcome:
        """`驳回 101 原因`: the reject choice asks for a reason; answer it at once with the reason
        typed after the id, as a second message of its own id (so each step is handled once)."""
        if not pressed.duplicate and not any(r.kind == "question" for r in pressed.replies):
            return pressed  # refused, stale, not theirs: say so and stop
        reason = IncomingMessage(
            platform=PLATFORM, chat_id=incoming.chat_id, external_user_id=incoming.external_user_id,
            message_id=f"{incoming.message_id}#reason", text=decision.reason, is_group=incoming.is_group,
            mentions_bot=incoming.mentions_bot, display_name=incoming.display_name)
        answered = await self.loop.handle(reason, progress=progress, before_commit=before_commit)
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

    async def deliver(self, item: InboxItem, outcome: Outcome) -> None:
        """Show a handled message's outcome in its chat (the inbox's `deliver`); a gateway gone
        for too long raises, and the inbox sends it again later."""
        message = item.message
        if outcome.duplicate:
            log.info("message delivered again; already handled", extra={"message_id": message.message_id})
            return
        replies = outcome.replies
        if replies and not outcome.sender_linked and all(r.kind == "notice" for r in replies):
            if message.external_user_id in self._refused:
                replies = []  # one refusal per stranger, not one per message
            else:
                self._refused[message.external_user_id] = None
                while len(self._refused) > 10_000:
                    self._refused.popitem(last=False)
        for reply in replies:
            await self._show(message.chat_id, reply, conversation=(message.chat_id, message.external_user_id),
                             mention=_mention(item))
        await self.outbox.deliver(outcome.outgoing)

    def _working(self, item: InboxItem) -> WorkingNotice:
        message = item.message
        text = t(self.config.default_language, "working")
        return WorkingNotice(lambda: self._show(message.chat_id, Reply(text=text),
                                                conversation=(message.chat_id, message.external_user_id),
                                                mention=_mention(item)), self.working_notice_s)

    async def _show(self, chat_id: str, reply: Reply, *, conversation: tuple[str, str],
                    mention: WeChatMessage | _Talker | None = None) -> None:
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


class _Steps:
    """What the inbox workers call as "the loop": the adapter's choice mapping around the loop."""

    def __init__(self, adapter: WeChatAdapter) -> None:
        self.adapter = adapter

    async def handle(self, msg: IncomingMessage, *, progress: Any = None,
                     before_commit: BeforeCommit | None = None) -> Outcome:
        return await self.adapter._run_loop(msg, progress, before_commit)


@dataclass(frozen=True)
class _Talker:
    talker_id: str
    talker_name: str


def _mention(item: InboxItem) -> _Talker | None:
    """Who to @mention when answering in a room."""
    if not item.context.get("in_room"):
        return None
    return _Talker(item.message.external_user_id, item.context.get("talker_name") or "")


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
