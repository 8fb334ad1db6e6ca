"""The Feishu / Lark adapter (a self-built app): `salesbot run --platform feishu`.

    Feishu ─▶ POST /feishu/events (FEISHU_MODE=webhook), or the long connection (websocket)
        ─▶ signature (sha256 of timestamp + nonce + encrypt key + body) checked: forged → 403
        ─▶ lark-oapi's EventDispatcherHandler: decrypts, checks the verification token, answers
           the URL-verification challenge, parses im.message.receive_v1 / card.action.trigger
        ─▶ intake: group message without @bot → ignored;  invite code in a group → "send it
           privately";  what cannot be read → "unsupported" (stored with that answer)
        ─▶ the inbox (bot/inbox): stored, then answered 200 (the card action's empty answer);
           a failure to store answers 500 (the long connection: an error), so Feishu delivers
           it again; Feishu wants an answer within 3 s
        ─▶ inbox workers (this process or another), a chat's messages and presses in order:
             audio → message resources (opus) → Audio;  image / post images / file → images
             ConversationLoop.handle → Outcome (stored with its writes) → text messages and
             cards (schema 2.0, buttons);  a press → the pressed card updated in place (PATCH)
        ─▶ outgoing (approval requests, decisions, reminders, digests): Outbox ─▶ send()

Everything the bot decides is decided by the loop: linking (`绑定 CODE`), who may press which
button, whether a press is stale, what a voice note says. The adapter translates.

Media: the event stores the message's resource keys (the stored message id and its file or
image keys), not the bytes; an inbox worker downloads them (within `max_voice_bytes` /
`max_image_bytes`) just before the loop. Downloading before the answer could exceed Feishu's 3 s
(a large file, a slow resources API) and have the event delivered again while it is being stored;
a message's resources stay downloadable long after, so a restart loses nothing either. A
download that fails or is over the limit is answered with a short notice.

Reliability: an event is answered only once the inbox committed it, so a crash after that loses
nothing (a new process's workers take it); the inbox and the loop key a message by its message id
(a press by its event id), so an event Feishu delivers twice is stored once and writes once, even
across restarts. The tenant_access_token is cached and renewed when refused (api.py). `stop()`
stops accepting events, then answers what was accepted (for up to `drain_timeout_s`); what is
left stays in the inbox for the next start.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Coroutine
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

import lark_oapi as lark
from aiohttp import web
from lark_oapi.core.utils import AESCipher
from lark_oapi.event.callback.model.p2_card_action_trigger import P2CardActionTriggerResponse

from bot.adapters import Outbox
from bot.adapters.feishu.api import FeishuApi, FeishuApiError, ResourceTooLarge
from bot.adapters.feishu.config import FeishuConfig
from bot.adapters.feishu.inbound import (PLATFORM, Press, Received, Resource, card_pressed, claimed_mime,
                                         message_received, press_to_incoming, to_incoming)
from bot.adapters.feishu.render import card, text_pieces
from bot.adapters.progress import WorkingNotice
from bot.adapters.running import AdapterLoop, megabytes, serve_platform
from bot.identity import link_code_in
from bot.inbox import Inbox, InboxItem
from bot.messages import Audio, Image, IncomingMessage, Reply
from bot.outcome import Outcome
from prompts.feishu import fs
from prompts.ui import t
from storage.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.app import App
    from bot.loop import BeforeCommit, Progress

log = logging.getLogger("salesbot.feishu")
# lark-oapi prints its own log lines to stdout; send them through ours (structured) instead
_sdk_log = logging.getLogger("Lark")
for _handler in list(_sdk_log.handlers):
    _sdk_log.removeHandler(_handler)

EVENTS_PATH = "/feishu/events"
CREDENTIALS_FIX = "check FEISHU_APP_ID and FEISHU_APP_SECRET, and FEISHU_API_BASE"
SEEN_EVENTS = 50_000  # event ids remembered for deduplication (Feishu retries within hours)
ACCEPT_TIMEOUT_S = 2.5  # the long connection's handler waits this long for the inbox (Feishu: 3 s)


class Handles(Protocol):
    """What the adapter needs of the conversation loop."""

    app: App

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None,
                     before_commit: BeforeCommit | None = None) -> Outcome: ...


class FeishuAdapter:
    """The adapter contract (`bot.adapters.Adapter`) for a Feishu / Lark app."""

    platform = PLATFORM

    def __init__(self, loop: Handles, config: FeishuConfig, *, outbox: Outbox | None = None,
                 api: FeishuApi | None = None, working_notice_s: float = 4.0,
                 drain_timeout_s: float = 60.0, inbox: Inbox | None = None) -> None:
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
        self._group_chats: set[str] = set()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._taking: list[Coroutine[Any, Any, None]] | None = None  # a webhook request's intake (`_take`)
        settings = loop.app.settings
        self.inbox = inbox or Inbox(loop.app.db, lease_s=settings.inbox_lease_seconds)
        self.worker = self.inbox.worker(AdapterLoop(self), platforms=[PLATFORM], deliver=self.deliver,
                                        prepare=self._prepare, progress=self._working,
                                        concurrency=settings.inbox_workers)
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
        await self.worker.start()
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
        """Stop accepting events, answer every one already accepted (for up to
        `drain_timeout_s`), then close the server and the HTTP client; what is left stays in the
        inbox for the next start."""
        self._accepting = False
        await self._stop_websocket()
        try:
            await self.worker.idle(self.drain_timeout_s)
        except TimeoutError:
            log.warning("feishu stopping with events left in the inbox")
        await self.worker.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.api.close()
        log.info("feishu adapter stopped")

    async def idle(self, timeout: float = 15.0) -> None:
        """Wait until every accepted event has been handled and answered."""
        await self.worker.idle(timeout)

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
        self._taking = []
        try:
            response = self.dispatcher.do(raw)  # synchronous: the handlers queue their intake here
        finally:
            taking, self._taking = self._taking, None
        try:
            for take in taking:
                await take
        except Exception:
            log.exception("feishu event not stored; Feishu will deliver it again")
            return web.json_response({"msg": "not stored"}, status=500)
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
            self._take(self._once(received.event_id, self._accept_message(received)))

    def _on_card_action(self, event) -> P2CardActionTriggerResponse:
        """Answered empty once the press is stored (Feishu allows 3 s); the card is updated when
        the loop is done."""
        press = card_pressed(event)
        if press is not None:
            self._take(self._once(press.event_id, self._accept_press(press)))
        return P2CardActionTriggerResponse({})

    def _take(self, intake: Coroutine[Any, Any, None]) -> None:
        """Store an event before the dispatcher's answer goes out. The webhook (on the main loop)
        awaits what is queued here before answering; the long connection's thread waits for it
        here, and an error (not stored) makes the SDK answer Feishu with a failure."""
        assert self._main is not None
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._main:
            assert self._taking is not None, "a dispatcher call outside a webhook request"
            self._taking.append(intake)
            return
        asyncio.run_coroutine_threadsafe(intake, self._main).result(ACCEPT_TIMEOUT_S)

    async def _once(self, event_id: str, intake: Coroutine[Any, Any, None]) -> None:
        """`intake`, unless this event id was taken before (Feishu delivers an event again when
        its answer was late); forgotten again when it could not be stored."""
        if event_id in self._seen:
            log.info("feishu event delivered again; already accepted", extra={"event_id": event_id})
            intake.close()
            return
        self._seen[event_id] = None
        while len(self._seen) > SEEN_EVENTS:
            self._seen.popitem(last=False)
        try:
            await intake
        except BaseException:
            self._seen.pop(event_id, None)
            raise

    async def _accept_message(self, received: Received) -> None:
        """A message into the inbox, with the resource keys the worker downloads; what the bot
        does not answer is not stored, what it answers at once is stored with that answer."""
        if received.is_group:
            self._group_chats.add(received.chat_id)
            if not received.mentions_bot:
                return  # groups: only what is addressed to the bot
        lang = self.config.default_language
        answer = None
        if received.kind == "other" or (received.kind in ("text", "post") and not received.text
                                        and not received.attachments):
            if received.is_group:
                return
            answer = fs(lang, "unsupported")
        elif received.is_group and link_code_in(received.text):
            answer = fs(lang, "link_in_private")
        context: dict[str, Any] = {}
        if answer is None and (received.audio or received.attachments):
            context["resources"] = {
                "audio": [received.audio.key, received.audio.kind] if received.audio else None,
                "duration_s": received.duration_s,
                "attachments": [[r.key, r.kind, r.name] for r in received.attachments]}
        await self.inbox.accept(to_incoming(received), context,
                                answer=Outcome().say(answer) if answer else None)

    async def _accept_press(self, press: Press) -> None:
        incoming = press_to_incoming(press, is_group=press.chat_id in self._group_chats)
        await self.inbox.accept(incoming, {"press": {"card_message_id": press.card_message_id,
                                                     "presser_id": press.presser_id}})

    # --- handling (in the inbox workers) ---------------------------------------------------

    async def _prepare(self, item: InboxItem) -> IncomingMessage | Outcome:
        """The stored message with its resources downloaded, or what to tell the sender instead
        (too large, cannot be had)."""
        resources = item.context.get("resources")
        if not resources:
            return item.message
        message_id = item.message.message_id
        audio = None
        if resources["audio"]:
            key, kind = resources["audio"]
            audio = await self._audio(message_id, Resource(key, kind), resources.get("duration_s"))
            if isinstance(audio, str):
                return Outcome().say(audio)
        images = await self._images(message_id, [Resource(*r) for r in resources["attachments"]])
        if isinstance(images, str):
            return Outcome().say(images)
        return replace(item.message, audio=audio, images=images)

    def _working(self, item: InboxItem) -> WorkingNotice | None:
        """"Working on it…" when a message takes long (not for a press)."""
        if "press" in item.context:
            return None
        text = t(self.config.default_language, "working")
        return WorkingNotice(lambda: self._show(item.message.chat_id, Reply(text=text)), self.working_notice_s)

    async def deliver(self, item: InboxItem, outcome: Outcome) -> None:
        """Show a handled event's outcome (the inbox's `deliver`): a message's replies in its
        chat, a press's decision on the pressed card. A failure raises: sent again later."""
        if outcome.duplicate:
            log.info("feishu event already handled", extra={"message_id": item.message.message_id})
            return
        press = item.context.get("press")
        if press is None:
            for reply in outcome.replies:
                await self._show(item.message.chat_id, reply)
        else:
            await self._show_press(item.message.chat_id, press, outcome)
        await self.outbox.deliver(outcome.outgoing)

    async def _show_press(self, chat_id: str, press: dict[str, str], outcome: Outcome) -> None:
        edited = False
        for reply in outcome.replies:
            if reply.kind == "notice" and not reply.choices:
                # A press that changed nothing (stale, someone else's card): told to the presser
                # alone; the card stays as it is.
                await self._show(press["presser_id"], reply)
                continue
            if reply.replaces_card and press["card_message_id"] and not edited:
                edited = await self._update_card(press["card_message_id"], reply)
                if edited:
                    continue
            await self._show(chat_id, reply)

    async def _audio(self, message_id: str, resource: Resource, duration_s: float | None) -> Audio | str:
        """The voice note's audio (opus in an ogg container), or what to tell the sender."""
        lang, limit = self.config.default_language, self.config.max_voice_bytes
        try:
            data, _ = await self.api.download(message_id, resource.key, "file", max_bytes=limit)
        except ResourceTooLarge as exc:
            return fs(lang, "voice_too_large", mb=megabytes(exc.size), limit=megabytes(limit))
        except (FeishuApiError, OSError) as exc:
            log.warning("voice download failed", extra={"message_id": message_id, "error": str(exc)})
            return fs(lang, "voice_download_failed")
        if not data:
            return fs(lang, "voice_download_failed")
        return Audio(data=data, format="ogg", duration_s=duration_s)

    async def _images(self, message_id: str, attachments: list[Resource]) -> tuple[Image, ...] | str:
        lang, limit = self.config.default_language, self.config.max_image_bytes
        images = []
        for resource in attachments:
            try:
                data, content_type = await self.api.download(message_id, resource.key, resource.kind,
                                                             max_bytes=limit)
            except ResourceTooLarge:
                return fs(lang, "image_too_large", limit=megabytes(limit))
            except (FeishuApiError, OSError) as exc:
                log.warning("image download failed", extra={"message_id": message_id, "error": str(exc)})
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
