"""The WeCom (企业微信) self-built app adapter: `salesbot run --platform wecom`.

    WeCom ─▶ POST /wecom/callback?msg_signature&timestamp&nonce (AES-encrypted XML)
        ─▶ CallbackCrypto: signature, age of the timestamp, decryption (else 403, logged)
        ─▶ parse_event ─▶ ReplayGuard (a key accepted before: answered, not stored again)
        ─▶ the inbox (bot/inbox): stored, then answered with an empty 200 (WeCom waits 5 s,
           then posts again); a failure to store answers 500, so WeCom posts it again
        ─▶ inbox workers (this process or another), a member's events in order:
             voice / image ─▶ media/get by the stored media id ─▶ Audio("amr") / Image
             ConversationLoop.handle ─▶ Outcome (stored with its writes)
             replies ─▶ message/send: text, button_interaction cards, images (media/upload)
             a press ─▶ update_template_card: the buttons become the decision
             outgoing (approval requests, decisions) ─▶ Outbox ─▶ WeComAdapter.send

Everything the bot decides is decided by the loop: linking (`绑定 CODE`), who may press which
button, whether a press is stale, what a voice note says. The adapter translates and keeps
WeCom's rules: answer within 5 s, a token refreshed when WeCom refuses it, ≤2048-byte texts,
≤6 buttons a card.

Media: the callback stores the voice note's or image's media id, not its bytes; an inbox worker
fetches it (media/get, within `max_voice_bytes` / `max_image_bytes`) just before the loop. A
download inside the callback could take longer than WeCom's 5 s (a slow media/get, a large
image), and WeCom would post the event again while it is still being stored; a media id stays
valid for three days, far longer than a message waits in the inbox, even across a restart. A
fetch that fails or is over the limit is answered with a short notice, as before.

Reliability: an event is answered 200 only once the inbox committed it, so a crash after that
loses nothing (a new process's workers take it); the inbox and the loop key it by its MsgId (a
press's ResponseCode), so an event delivered twice is stored once and writes once even across
restarts. `stop()` stops accepting callbacks, then answers what was accepted (for up to
`drain_timeout_s`); what is left stays in the inbox for the next start. A failure is logged with
its traceback and the member gets an apology with an error id.
"""
from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from aiohttp import web

from bot.adapters import Outbox
from bot.adapters.progress import WorkingNotice
from bot.adapters.running import AdapterLoop, megabytes
from bot.adapters.wecom.api import MediaTooLarge, WeComApi, WeComApiError
from bot.adapters.wecom.config import WeComConfig
from bot.adapters.wecom.crypto import CallbackCrypto, Refused
from bot.adapters.wecom.inbound import (PLATFORM, ReplayGuard, Unreadable, WeComEvent, file_name, image_mime,
                                        parse_event, to_incoming)
from bot.adapters.wecom.render import Piece, decision_name, render_reply, split_text
from bot.inbox import Inbox, InboxItem
from bot.messages import Audio, Image, IncomingMessage, Reply
from bot.outcome import Outcome
from prompts.ui import t
from prompts.wecom import wc
from storage.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.adapters.wecom.directory import Directory
    from bot.app import App
    from bot.loop import BeforeCommit, Progress

log = logging.getLogger("salesbot.wecom")

CALLBACK_PATH = "/wecom/callback"
CREDENTIALS_FIX = "check WECOM_CORP_ID and WECOM_SECRET, and that WECOM_API_BASE reaches WeCom"
MAX_CALLBACK_BYTES = 1024 * 1024


class Handles(Protocol):
    """What the adapter needs of the conversation loop."""

    app: App

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None,
                     before_commit: BeforeCommit | None = None) -> Outcome: ...


class WeComAdapter:
    """The adapter contract (`bot.adapters.Adapter`) for a WeCom self-built app."""

    platform = PLATFORM

    def __init__(self, loop: Handles, config: WeComConfig, *, outbox: Outbox | None = None,
                 api: WeComApi | None = None, directory: Directory | None = None,
                 crypto: CallbackCrypto | None = None, working_notice_s: float = 4.0,
                 drain_timeout_s: float = 60.0, inbox: Inbox | None = None) -> None:
        self.loop = loop
        self.config = config
        self.outbox = outbox or Outbox()
        self.outbox.register(self)
        self.api = api or WeComApi(config.api_base, config.corp_id, config.secret, config.agent_id)
        self.directory = directory
        self.crypto = crypto or CallbackCrypto(config.token, config.encoding_aes_key, config.corp_id)
        self.replays = ReplayGuard()
        self.working_notice_s, self.drain_timeout_s = working_notice_s, drain_timeout_s
        self.callback_url: str | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        settings = loop.app.settings
        self.inbox = inbox or Inbox(loop.app.db, lease_s=settings.inbox_lease_seconds)
        self.worker = self.inbox.worker(AdapterLoop(self), platforms=[PLATFORM], deliver=self.deliver,
                                        prepare=self._prepare, progress=self._working,
                                        concurrency=settings.inbox_workers)
        self._buttons: OrderedDict[str, dict[str, str]] = OrderedDict()  # task_id → key → label
        self._greeted: OrderedDict[str, None] = OrderedDict()

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Get an access token (`WeComApiError` when the corp id or secret is wrong, or WeCom
        cannot be reached), then serve the callback URL."""
        await self.api.start()
        try:
            await self.api.token()
            app = web.Application(client_max_size=MAX_CALLBACK_BYTES)
            app.router.add_get(CALLBACK_PATH, self._verify_url)
            app.router.add_post(CALLBACK_PATH, self._callback)
            self._runner = web.AppRunner(app, access_log=None)
            await self._runner.setup()
            self._site = web.TCPSite(self._runner, self.config.host, self.config.port)
            await self.worker.start()
            await self._site.start()
        except BaseException:
            await self.worker.stop()
            await self._close()
            raise
        host, port = self._runner.addresses[0][:2]  # the real port when 0 was asked
        self.callback_url = f"http://{host}:{port}{CALLBACK_PATH}"
        log.info("wecom callback serving", extra={"host": host, "port": port, "path": CALLBACK_PATH})

    async def stop(self) -> None:
        """Stop accepting callbacks, answer every event already accepted (for up to
        `drain_timeout_s`), then disconnect; what is left stays in the inbox for the next start."""
        if self._site is not None:
            await self._site.stop()
        try:
            await self.worker.idle(self.drain_timeout_s)
        except TimeoutError:
            log.warning("wecom stopping with events left in the inbox")
        await self.worker.stop()
        await self._close()
        log.info("wecom adapter stopped")

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = self._site = None
        await self.api.close()

    async def idle(self, timeout: float = 15.0) -> None:
        """Wait until every accepted event has been handled and answered."""
        await self.worker.idle(timeout)

    # --- the adapter contract: messages the loop addresses to other users ----------------

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver a proactive message (an approval request, a reminder, a digest) to a member."""
        await self._show(chat_id, reply)

    # --- the callback URL ----------------------------------------------------------------

    async def _verify_url(self, request: web.Request) -> web.Response:
        """The GET WeCom sends when the admin saves the callback URL: answer the plain echostr."""
        q = request.query
        try:
            echo = self.crypto.verify_url(q.get("msg_signature", ""), q.get("timestamp", ""),
                                          q.get("nonce", ""), q.get("echostr", ""))
        except Refused as exc:
            log.warning("wecom url verification refused", extra={"reason": str(exc)})
            return web.Response(status=403, text="forbidden")
        log.info("wecom callback url verified")
        return web.Response(text=echo)

    async def _callback(self, request: web.Request) -> web.Response:
        """Decrypt, check, store in the inbox, then answer (WeCom allows 5 s); handled after."""
        q = request.query
        try:
            body = await request.read()
            xml = self.crypto.decrypt(body, q.get("msg_signature", ""), q.get("timestamp", ""),
                                      q.get("nonce", ""))
        except Refused as exc:
            log.warning("wecom callback refused", extra={"reason": str(exc)})
            return web.Response(status=403, text="forbidden")
        try:
            event = parse_event(xml)
        except Unreadable as exc:
            log.warning("wecom callback unreadable; ignored", extra={"reason": str(exc)})
            return web.Response(text="")
        if event is None:
            return web.Response(text="")
        if event.agent_id and event.agent_id != str(self.config.agent_id):
            log.warning("wecom callback for another app ignored", extra={"agent_id": event.agent_id})
            return web.Response(text="")
        if not self.replays.first_time(event.key):
            log.info("wecom event delivered again; already accepted", extra={"key": event.key})
            return web.Response(text="")
        try:
            await self._accept(event)
        except Exception:
            self.replays.forget(event.key)  # not stored: WeCom's next try must be taken
            log.exception("wecom event not stored; WeCom will post it again", extra={"key": event.key})
            return web.Response(status=500, text="")
        return web.Response(text="")

    async def _accept(self, event: WeComEvent) -> None:
        """The event into the inbox: what the worker needs to answer it (a press's card, a media
        id to fetch) in its context; what cannot be read is stored with its answer."""
        incoming = to_incoming(event)
        context: dict[str, Any] = {}
        answer = None
        if event.kind == "enter":
            context["enter"] = True
        elif event.kind == "other":
            answer = Outcome().say(wc(self.config.default_language, "unsupported"), kind="notice")
        elif event.kind in ("voice", "image"):
            context["media"] = {"kind": event.kind, "media_id": event.media_id}
        elif event.kind == "press":
            context["press"] = press_context(event)
        await self.inbox.accept(incoming, context, answer=answer)

    # --- handling (in the inbox workers) -------------------------------------------------

    async def _prepare(self, item: InboxItem) -> IncomingMessage | Outcome:
        """The stored message completed for the loop (its media fetched), or the answer that
        replaces the loop (a greeting, a file too large or that cannot be had)."""
        user_id = item.message.chat_id
        if item.context.get("enter"):
            greeting = await self._entered(user_id)
            return Outcome().say(greeting, kind="notice") if greeting else Outcome()
        if self.directory is not None and self.directory.auto_link:
            await self.directory.linked(user_id)
        media = item.context.get("media")
        if not media:
            return item.message
        if media["kind"] == "voice":
            audio = await self._voice(item, media["media_id"])
            return Outcome().say(audio, kind="notice") if isinstance(audio, str) else replace(item.message, audio=audio)
        images = await self._image(item, media["media_id"])
        return Outcome().say(images, kind="notice") if isinstance(images, str) else replace(item.message, images=images)

    def _working(self, item: InboxItem) -> WorkingNotice | None:
        """"Working on it…" when a message takes long (not for an app opened)."""
        if item.context.get("enter"):
            return None
        text = t(self.config.default_language, "working")
        return WorkingNotice(lambda: self._say(item.message.chat_id, text), self.working_notice_s)

    async def deliver(self, item: InboxItem, outcome: Outcome) -> None:
        """Show a handled event's outcome to the member (the inbox's `deliver`; the pressed card,
        when the context says which, shows the decision) and send its messages for other users.
        A failure raises: the inbox sends it again later."""
        if outcome.duplicate:
            log.info("wecom event already handled", extra={"key": item.message.message_id})
            return
        user_id, press = item.message.chat_id, item.context.get("press")
        for reply in outcome.replies:
            if press and reply.replaces_card:
                await self._decide_card(user_id, press, reply)
            await self._show(user_id, reply)
        await self.outbox.deliver(outcome.outgoing)

    async def _entered(self, user_id: str) -> str | None:
        """The member opened the app: an unlinked member is told how to link, once."""
        if self.directory is None or user_id in self._greeted or await self.directory.linked(user_id):
            return None
        self._greeted[user_id] = None
        while len(self._greeted) > 10_000:
            self._greeted.popitem(last=False)
        return t(self.config.default_language, "not_linked")

    async def _voice(self, item: InboxItem, media_id: str) -> Audio | str:
        got = await self._download(item, media_id, self.config.max_voice_bytes)
        if isinstance(got, str):
            return got
        data, _, _ = got
        return Audio(data=data, format="amr")  # WeCom stores voice messages as AMR

    async def _image(self, item: InboxItem, media_id: str) -> tuple[Image, ...] | str:
        got = await self._download(item, media_id, self.config.max_image_bytes, too_large="image_too_large")
        if isinstance(got, str):
            return got
        data, content_type, disposition = got
        return (Image(data=data, mime=image_mime(content_type, data), name=file_name(disposition or "")),)

    async def _download(self, item: InboxItem, media_id: str, limit: int, *, too_large: str = "voice_too_large"):
        lang = self.config.default_language
        try:
            data, content_type, disposition = await self.api.get_media(media_id, max_bytes=limit)
        except MediaTooLarge as exc:
            return wc(lang, too_large, mb=megabytes(exc.size), limit=megabytes(limit))
        except (WeComApiError, OSError, asyncio.TimeoutError) as exc:
            log.warning("wecom media download failed", extra={"key": item.message.message_id,
                                                              "error": repr(exc)[:300]})
            return wc(lang, "download_failed")
        if not data:
            return wc(lang, "download_failed")
        return data, content_type, disposition

    async def _decide_card(self, user_id: str, press: dict[str, str], reply: Reply) -> None:
        """Show the decision on the pressed card (its buttons become one grey label)."""
        label = self._buttons.get(press["task_id"], {}).get(press["button_key"]) if reply.kind != "notice" else None
        try:
            await self.api.update_card(user_id, press["response_code"], decision_name(label, reply.text))
        except WeComApiError as exc:  # a code used or older than 72 h: the message below still says it
            log.info("wecom card not updated", extra={"errcode": exc.errcode})

    # --- outgoing ------------------------------------------------------------------------

    async def _show(self, user_id: str, reply: Reply) -> None:
        for piece in render_reply(reply):
            await self._send_piece(user_id, piece)

    async def _send_piece(self, user_id: str, piece: Piece) -> None:
        if piece.msgtype == "image":
            try:
                media_id = await self.api.upload_image(piece.image or b"")
            except WeComApiError as exc:
                log.warning("wecom image upload failed; sending its text instead", extra={"errcode": exc.errcode})
                for part in split_text(piece.image_alt or ""):
                    await self.api.send(user_id, "text", {"content": part})
                return
            await self.api.send(user_id, "image", {"media_id": media_id})
            return
        if piece.msgtype == "template_card":
            self._remember_buttons(piece.content)
        await self.api.send(user_id, piece.msgtype, piece.content)

    def _remember_buttons(self, card: dict) -> None:
        self._buttons[card["task_id"]] = {b["key"]: b["text"] for b in card.get("button_list", [])}
        while len(self._buttons) > 20_000:
            self._buttons.popitem(last=False)

    async def _say(self, user_id: str, text: str) -> None:
        await self._show(user_id, Reply(text=text, kind="notice"))


def press_context(event: WeComEvent) -> dict[str, str] | None:
    """What `deliver` needs to update a pressed card (JSON-able, so it can be stored)."""
    if event.kind != "press" or not event.response_code:
        return None
    return {"task_id": event.task_id, "button_key": event.button_key, "response_code": event.response_code}


def run_wecom(settings: Settings) -> int:
    """`salesbot run --platform wecom`: check the settings, open the app, serve until stopped."""
    from bot.adapters.wecom.directory import Directory
    from bot.app import build_app
    from bot.cli import CliError
    from bot.loop import ConversationLoop
    from bot.scheduler.runner import Scheduler, serve_with_scheduler

    try:
        config = WeComConfig.from_settings(settings)
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    app = build_app(settings, warm_up=True)
    api = WeComApi(config.api_base, config.corp_id, config.secret, config.agent_id)
    adapter = WeComAdapter(ConversationLoop(app), config, api=api,
                           directory=Directory(app.db, api, app.clock, auto_link=config.directory_link))

    async def serve() -> None:
        try:
            await serve_with_scheduler(adapter, Scheduler(app, adapter.outbox, platforms=[PLATFORM]))
        except WeComApiError as exc:
            raise CliError(f"WeCom refused the app's credentials ({exc}): {CREDENTIALS_FIX}") from None
        except OSError as exc:
            raise CliError(f"cannot start WeCom: {exc} (check WECOM_API_BASE, WECOM_HOST and "
                           f"WECOM_PORT)") from None

    asyncio.run(serve())
    return 0
