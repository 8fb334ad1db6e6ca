"""The Feishu / Lark adapter (a self-built app): `salesbot run --platform feishu`.

    Feishu ─▶ POST /feishu/events (FEISHU_MODE=webhook), or the long connection (websocket)
        ─▶ signature (sha256 of timestamp + nonce + encrypt key + body) checked: forged → 403
        ─▶ lark-oapi's EventDispatcherHandler: decrypts, checks the verification token, answers
           the URL-verification challenge, parses im.message.receive_v1 / card.action.trigger
        ─▶ event_id seen before → dropped; otherwise queued and answered at once (Feishu wants an
           answer within 3 s and redelivers otherwise)
        ─▶ one worker per chat (messages of a chat in order, chats in parallel):
             group message without @bot → ignored;  invite code in a group → "send it privately"
             audio → message resources (opus) → Audio;  image / post images / file → images
             ConversationLoop.handle → Outcome → text messages and cards (schema 2.0, buttons)
           a press → the loop → the pressed card updated in place (PATCH) with the decision
        ─▶ outgoing (approval requests, decisions, reminders, digests): Outbox ─▶ send()

Everything the bot decides is decided by the loop: linking (`绑定 CODE`), who may press which
button, whether a press is stale, what a voice note says. The adapter translates.

Reliability: an event Feishu delivers twice (same event_id) is queued once, and the loop records
each message id (a press's is its event id), so it writes once even across restarts. The
tenant_access_token is cached and renewed when refused (api.py). `stop()` stops accepting events,
then handles every one already accepted.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

import lark_oapi as lark
from aiohttp import web
from lark_oapi.core.utils import AESCipher
from lark_oapi.event.callback.model.p2_card_action_trigger import P2CardActionTriggerResponse

from bot.adapters import Outbox
from bot.adapters.feishu.api import FeishuApi, FeishuApiError, ResourceTooLarge
from bot.adapters.feishu.config import FeishuConfig
from bot.adapters.feishu.inbound import (PLATFORM, Press, Received, card_pressed, claimed_mime, message_received,
                                         press_to_incoming, to_incoming)
from bot.adapters.feishu.render import card, text_pieces
from bot.adapters.progress import WorkingNotice
from bot.adapters.running import megabytes, serve_platform
from bot.identity import link_code_in
from bot.messages import Audio, Image, IncomingMessage, Reply
from bot.outcome import Outcome
from prompts.feishu import fs
from prompts.ui import t
from storage.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.loop import Progress

log = logging.getLogger("salesbot.feishu")
# lark-oapi prints its own log lines to stdout; send them through ours (structured) instead
_sdk_log = logging.getLogger("Lark")
for _handler in list(_sdk_log.handlers):
    _sdk_log.removeHandler(_handler)

EVENTS_PATH = "/feishu/events"
CREDENTIALS_FIX = "check FEISHU_APP_ID and FEISHU_APP_SECRET, and FEISHU_API_BASE"
SEEN_EVENTS = 50_000  # event ids remembered for deduplication (Feishu retries within hours)


class Handles(Protocol):
    """What the adapter needs of the conversation loop."""

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None) -> Outcome: ...


class FeishuAdapter:
    """The adapter contract (`bot.adapters.Adapter`) for a Feishu / Lark app."""

    platform = PLATFORM

    def __init__(self, loop: Handles, config: FeishuConfig, *, outbox: Outbox | None = None,
                 api: FeishuApi | None = None, working_notice_s: float = 4.0,
                 drain_timeout_s: float = 60.0) -> None:
        self.loop = loop
        self.config = config
        self.outbox = outbox or Outbox()
        self.outbox.register(self)
        self.api = api or FeishuApi(config.app_id, config.app_secret, config.api_base)
        self.working_notice_s = working_notice_s
        self.drain_timeout_s = drain_timeout_s
        self.bot_open_id = ""
        self.dispatcher = (lark.EventDispatcherHandler.builder(config.encrypt_key, config.verification_token)
                           .register_p2_im_message_receive_v1(self._on_message_event)
                           .register_p2_card_action_trigger(self._on_card_action)
                           .build())
        self._cipher = AESCipher(config.encrypt_key)
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._group_chats: set[str] = set()
        self._workers: set[asyncio.Task] = set()
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._chat_waiting: dict[str, int] = {}
        self._accepting = False
        self._main: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._ws_thread: threading.Thread | None = None
        self._ws_client = None
        self._ws_loop: asyncio.AbstractEventLoop | None = None
        self.port: int | None = None

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Check the credentials (the bot's identity), then serve /feishu/events or open the long
        connection. `FeishuApiError` when Feishu refuses the app id or secret."""
        self._main = asyncio.get_running_loop()
        info = await self.api.bot_info()
        self.bot_open_id = info.open_id
        self._accepting = True
        if self.config.mode == "websocket":
            self._start_websocket()
            log.info("feishu long connection started", extra={"bot": info.name})
            return
        server = web.Application(client_max_size=1024 * 1024)
        server.router.add_post(EVENTS_PATH, self._http_events)
        self._runner = web.AppRunner(server, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.host, self.config.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1] if site._server else self.config.port
        log.info("feishu events serving", extra={"host": self.config.host, "port": self.port,
                                                 "path": EVENTS_PATH, "bot": info.name})

    async def stop(self) -> None:
        """Stop accepting events, handle every one already accepted (for up to
        `drain_timeout_s`), then close the server and the HTTP client."""
        self._accepting = False
        await self._stop_websocket()
        try:
            await asyncio.wait_for(self.idle(), self.drain_timeout_s)
        except asyncio.TimeoutError:
            log.warning("stopping with events still being handled", extra={"workers": len(self._workers)})
            for task in list(self._workers):
                task.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.api.close()
        log.info("feishu adapter stopped")

    async def idle(self) -> None:
        """Return once no accepted event is waiting or being handled."""
        while self._workers:
            await asyncio.gather(*list(self._workers), return_exceptions=True)

    def _start_websocket(self) -> None:
        """lark-oapi's long-connection client runs on an event loop of its own (its methods use
        the module's `loop`), in a thread made here. Events reach the same dispatcher, without the
        webhook's signature (the connection itself is authenticated with the app secret)."""
        from lark_oapi.ws import client as ws_module

        ws_loop = self._ws_loop = asyncio.new_event_loop()

        def unhandled(running: asyncio.AbstractEventLoop, context: dict) -> None:
            if self._accepting:  # at shutdown the closed connection ends the SDK's tasks
                log.warning("feishu long connection: %s", context.get("message"),
                            extra={"error": repr(context.get("exception"))[:300]})

        def run() -> None:
            asyncio.set_event_loop(ws_loop)
            ws_loop.set_exception_handler(unhandled)
            ws_module.loop = ws_loop
            try:
                self._ws_client = lark.ws.Client(
                    self.config.app_id, self.config.app_secret, event_handler=self.dispatcher,
                    domain=self.config.api_base, log_level=lark.LogLevel.WARNING)
                self._ws_client.start()
            except Exception:
                if self._accepting:
                    log.exception("feishu long connection ended")
            finally:
                pending = asyncio.all_tasks(ws_loop)
                for task in pending:
                    task.cancel()
                with contextlib.suppress(Exception):
                    ws_loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                ws_loop.close()

        self._ws_thread = threading.Thread(target=run, name="feishu-ws", daemon=True)
        self._ws_thread.start()

    async def _stop_websocket(self) -> None:
        """Close the long connection for good (no reconnect), then end its thread."""
        client, ws_loop, thread = self._ws_client, self._ws_loop, self._ws_thread
        self._ws_client = self._ws_loop = self._ws_thread = None
        if ws_loop is None or thread is None:
            return
        level = _sdk_log.level
        _sdk_log.setLevel(logging.CRITICAL)  # it reports its own closed connection as an error
        try:
            if client is not None:
                client._auto_reconnect = False
                closing = asyncio.run_coroutine_threadsafe(client._disconnect(), ws_loop)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.wrap_future(closing), 10)
            with contextlib.suppress(RuntimeError):  # already closed: the thread ended on its own
                ws_loop.call_soon_threadsafe(ws_loop.stop)
            await asyncio.to_thread(thread.join, 10)
        finally:
            _sdk_log.setLevel(level)

    # --- the adapter contract: messages the loop addresses to other users ----------------

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver a proactive message (an approval request, a reminder, a digest) to a user
        (ou_...) or their one-on-one chat. Group chats are refused: what the loop sends unasked
        is about one person's records."""
        if chat_id in self._group_chats:
            raise PermissionError(f"refusing to post an unrequested message in group chat {chat_id}")
        await self._show(chat_id, reply)

    # --- events: webhook -------------------------------------------------------------------

    async def _http_events(self, request: web.Request) -> web.Response:
        body = await request.read()
        verdict = self._authentic(request.headers, body)
        if verdict is not None:
            log.warning("feishu event refused", extra={"reason": verdict, "remote": request.remote})
            return web.json_response({"msg": "forbidden"}, status=403)
        if not self._accepting:
            return web.json_response({"msg": "shutting down"}, status=503)  # Feishu redelivers later
        raw = lark.RawRequest()
        raw.uri, raw.body = request.path, body
        raw.headers = {k: v for k, v in request.headers.items()}
        response = self.dispatcher.do(raw)
        if response.status_code != 200:
            log.warning("feishu event not handled", extra={"status": response.status_code,
                                                           "detail": (response.content or b"")[:200].decode(
                                                               "utf-8", "replace")})
            return web.json_response({"msg": "bad request"}, status=400)
        return web.Response(body=response.content, content_type="application/json")

    def _authentic(self, headers, body: bytes) -> str | None:
        """Why a request is refused (None: it is Feishu's). Every event is encrypted with the
        encrypt key and signed; only the URL-verification challenge comes unsigned, and its token
        is checked by the dispatcher."""
        try:
            encrypted = json.loads(body).get("encrypt")
        except (ValueError, AttributeError):
            return "not JSON"
        if not isinstance(encrypted, str) or not encrypted:
            return "not encrypted"
        timestamp = headers.get("X-Lark-Request-Timestamp")
        nonce = headers.get("X-Lark-Request-Nonce")
        signature = headers.get("X-Lark-Signature")
        if timestamp and nonce and signature:
            expected = hashlib.sha256((timestamp + nonce + self.config.encrypt_key).encode() + body).hexdigest()
            return None if hmac.compare_digest(expected, signature) else "bad signature"
        try:
            plain = json.loads(self._cipher.decrypt_str(encrypted))
        except Exception:
            return "cannot decrypt"
        return None if isinstance(plain, dict) and plain.get("type") == "url_verification" else "unsigned"

    # --- events: both modes (called by the dispatcher, in the server's or the ws thread) ---

    def _on_message_event(self, event) -> None:
        received = message_received(event, self.bot_open_id)
        if received is not None:
            self._from_any_thread(self._accept, received.event_id, received.chat_id, self._handle_message,
                                  received)

    def _on_card_action(self, event) -> P2CardActionTriggerResponse:
        """Answered at once and empty (Feishu allows 3 s); the card is updated when the loop is done."""
        press = card_pressed(event)
        if press is not None:
            self._from_any_thread(self._accept, press.event_id, press.chat_id, self._handle_press, press)
        return P2CardActionTriggerResponse({})

    def _from_any_thread(self, fn: Callable, *args) -> None:
        assert self._main is not None
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._main:
            fn(*args)
        else:
            self._main.call_soon_threadsafe(fn, *args)

    def _accept(self, event_id: str, chat_id: str, handler: Callable[..., Awaitable[None]], item) -> None:
        if event_id in self._seen:
            log.info("feishu event delivered again; already accepted", extra={"event_id": event_id})
            return
        self._seen[event_id] = None
        while len(self._seen) > SEEN_EVENTS:
            self._seen.popitem(last=False)
        task = asyncio.get_running_loop().create_task(self._in_chat_order(chat_id, handler, item),
                                                      name=f"feishu-{event_id}")
        self._workers.add(task)
        task.add_done_callback(self._workers.discard)

    async def _in_chat_order(self, chat_id: str, handler: Callable[..., Awaitable[None]], item) -> None:
        """Events of one chat one at a time, in arrival order (asyncio locks wake waiters
        first-in first-out), so a press never overtakes the message that made its card."""
        self._chat_waiting[chat_id] = self._chat_waiting.get(chat_id, 0) + 1
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        try:
            async with lock:
                await handler(item)
        except Exception:
            error_id = uuid.uuid4().hex[:10]
            log.exception("feishu event failed", extra={"chat_id": chat_id, "error_id": error_id})
            target = item.chat_id if isinstance(item, Received) else item.presser_id
            with contextlib.suppress(Exception):
                await self._show(target, Reply(text=t(self.config.default_language, "apology", error_id=error_id)))
        finally:
            self._chat_waiting[chat_id] -= 1
            if not self._chat_waiting[chat_id]:
                del self._chat_waiting[chat_id]
                self._chat_locks.pop(chat_id, None)

    # --- handling --------------------------------------------------------------------------

    async def _handle_message(self, received: Received) -> None:
        if received.is_group:
            self._group_chats.add(received.chat_id)
            if not received.mentions_bot:
                return  # groups: only what is addressed to the bot
        lang = self.config.default_language
        if received.kind == "other" or (received.kind in ("text", "post") and not received.text
                                        and not received.attachments):
            if not received.is_group:
                await self._show(received.chat_id, Reply(text=fs(lang, "unsupported")))
            return
        if received.is_group and link_code_in(received.text):
            await self._show(received.chat_id, Reply(text=fs(lang, "link_in_private")))
            return
        audio = await self._audio(received) if received.audio else None
        if isinstance(audio, str):
            await self._show(received.chat_id, Reply(text=audio))
            return
        images = await self._images(received)
        if isinstance(images, str):
            await self._show(received.chat_id, Reply(text=images))
            return
        incoming = to_incoming(received, audio=audio, images=images)
        notice = WorkingNotice(lambda: self._show(received.chat_id, Reply(text=t(lang, "working"))),
                               self.working_notice_s)
        try:
            outcome = await self.loop.handle(incoming, progress=notice)
        finally:
            await notice.cancel()
        if outcome.duplicate:
            log.info("feishu message already handled", extra={"message_id": received.message_id})
            return
        for reply in outcome.replies:
            await self._show(received.chat_id, reply)
        await self.outbox.deliver(outcome.outgoing)

    async def _handle_press(self, press: Press) -> None:
        incoming = press_to_incoming(press, is_group=press.chat_id in self._group_chats)
        outcome = await self.loop.handle(incoming)
        if outcome.duplicate:
            return
        edited = False
        for reply in outcome.replies:
            if reply.kind == "notice" and not reply.choices:
                # A press that changed nothing (stale, someone else's card): told to the presser
                # alone; the card stays as it is.
                await self._show(press.presser_id, reply)
                continue
            if reply.replaces_card and press.card_message_id and not edited:
                edited = await self._update_card(press.card_message_id, reply)
                if edited:
                    continue
            await self._show(press.chat_id, reply)
        await self.outbox.deliver(outcome.outgoing)

    async def _audio(self, received: Received) -> Audio | str:
        """The voice note's audio (opus in an ogg container), or what to tell the sender."""
        lang, limit = self.config.default_language, self.config.max_voice_bytes
        assert received.audio is not None
        try:
            data, _ = await self.api.download(received.message_id, received.audio.key, "file", max_bytes=limit)
        except ResourceTooLarge as exc:
            return fs(lang, "voice_too_large", mb=megabytes(exc.size), limit=megabytes(limit))
        except (FeishuApiError, OSError) as exc:
            log.warning("voice download failed", extra={"message_id": received.message_id, "error": str(exc)})
            return fs(lang, "voice_download_failed")
        if not data:
            return fs(lang, "voice_download_failed")
        return Audio(data=data, format="ogg", duration_s=received.duration_s)

    async def _images(self, received: Received) -> tuple[Image, ...] | str:
        lang, limit = self.config.default_language, self.config.max_image_bytes
        images = []
        for resource in received.attachments:
            try:
                data, content_type = await self.api.download(received.message_id, resource.key, resource.kind,
                                                             max_bytes=limit)
            except ResourceTooLarge:
                return fs(lang, "image_too_large", limit=megabytes(limit))
            except (FeishuApiError, OSError) as exc:
                log.warning("image download failed", extra={"message_id": received.message_id,
                                                             "error": str(exc)})
                return fs(lang, "image_download_failed")
            images.append(Image(data=data, mime=claimed_mime(resource, content_type), name=resource.name))
        return tuple(images)

    # --- outgoing --------------------------------------------------------------------------

    async def _show(self, chat_id: str, reply: Reply) -> None:
        """Send one reply: its image (its alt text when the image cannot go), then its text; a
        reply with choices is a card with buttons."""
        pieces = text_pieces(reply)
        image_key = await self._upload(reply.image) if reply.image else None
        if reply.image and image_key is None and reply.image_alt:
            pieces.insert(0, reply.image_alt)
        if image_key is not None:
            await self.api.send(chat_id, "image", {"image_key": image_key})
        if reply.choices:
            *before, last = pieces or [""]
            for piece in before:
                await self.api.send(chat_id, "text", {"text": piece})
            await self.api.send(chat_id, "interactive", card(last, reply.choices))
            return
        for piece in pieces:
            await self.api.send(chat_id, "text", {"text": piece})

    async def _update_card(self, message_id: str, reply: Reply) -> bool:
        """Show `reply` in place of the pressed card; False when the card cannot be updated."""
        pieces = text_pieces(reply)
        if len(pieces) > 1 or reply.image:
            return False
        try:
            await self.api.update_card(message_id, card(pieces[0] if pieces else "", reply.choices))
        except FeishuApiError as exc:
            log.info("card could not be updated; sending instead", extra={"error": str(exc)})
            return False
        return True

    async def _upload(self, png: bytes) -> str | None:
        try:
            return await self.api.upload_image(png)
        except (FeishuApiError, OSError) as exc:
            log.warning("image could not be uploaded; sending its text", extra={"error": str(exc)[:300]})
            return None


def run_feishu(settings: Settings) -> int:
    """`salesbot run --platform feishu`: check the settings, open the app, serve until stopped."""
    from bot.cli import CliError

    try:
        config = FeishuConfig.from_settings(settings)
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    try:
        serve_platform(settings, PLATFORM, lambda loop: FeishuAdapter(loop, config))
    except FeishuApiError as exc:
        raise CliError(f"Feishu refused the app credentials ({exc}): {CREDENTIALS_FIX}") from None
    except OSError as exc:
        raise CliError(f"cannot reach FEISHU_API_BASE={config.api_base} or bind "
                       f"FEISHU_HOST:FEISHU_PORT={config.host}:{config.port}: {exc}") from None
    return 0
