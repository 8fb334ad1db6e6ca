"""The WeCom (企业微信) self-built app adapter: `salesbot run --platform wecom`.

    WeCom ─▶ POST /wecom/callback?msg_signature&timestamp&nonce (AES-encrypted XML)
        ─▶ CallbackCrypto: signature, age of the timestamp, decryption (else 403, logged)
        ─▶ parse_event ─▶ ReplayGuard (a key seen before: answered, not handled again)
        ─▶ answered at once with an empty 200 (WeCom waits 5 s, then posts again)
        ─▶ one worker per member (their messages in order, members in parallel):
             voice / image ─▶ media/get ─▶ Audio("amr") / Image
             ConversationLoop.handle ─▶ Outcome
             replies ─▶ message/send: text, button_interaction cards, images (media/upload)
             a press ─▶ update_template_card: the buttons become the decision
             outgoing (approval requests, decisions) ─▶ Outbox ─▶ WeComAdapter.send

Everything the bot decides is decided by the loop: linking (`绑定 CODE`), who may press which
button, whether a press is stale, what a voice note says. The adapter translates and keeps
WeCom's rules: answer within 5 s, a token refreshed when WeCom refuses it, ≤2048-byte texts,
≤6 buttons a card.

Reliability: the loop records each message id (MsgId; a press's ResponseCode), so an event
delivered twice writes once even across restarts; `stop()` stops accepting callbacks, then
handles every event already accepted. A failure is logged with its traceback and the member gets
an apology with an error id.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import OrderedDict
from typing import TYPE_CHECKING, Protocol

from aiohttp import web

from bot.adapters import Outbox
from bot.adapters.chat_order import ChatOrder
from bot.adapters.progress import WorkingNotice
from bot.adapters.running import megabytes
from bot.adapters.wecom.api import MediaTooLarge, WeComApi, WeComApiError
from bot.adapters.wecom.config import WeComConfig
from bot.adapters.wecom.crypto import CallbackCrypto, Refused
from bot.adapters.wecom.inbound import (PLATFORM, ReplayGuard, Unreadable, WeComEvent, file_name, image_mime,
                                        parse_event, to_incoming)
from bot.adapters.wecom.render import Piece, decision_name, render_reply, split_text
from bot.messages import Audio, Image, IncomingMessage, Reply
from bot.outcome import Outcome
from prompts.ui import t
from prompts.wecom import wc
from storage.config import Settings, SettingsError

if TYPE_CHECKING:
    from bot.adapters.wecom.directory import Directory
    from bot.loop import Progress

log = logging.getLogger("salesbot.wecom")

CALLBACK_PATH = "/wecom/callback"
CREDENTIALS_FIX = "check WECOM_CORP_ID and WECOM_SECRET, and that WECOM_API_BASE reaches WeCom"
MAX_CALLBACK_BYTES = 1024 * 1024


class Handles(Protocol):
    """What the adapter needs of the conversation loop."""

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None) -> Outcome: ...


class WeComAdapter:
    """The adapter contract (`bot.adapters.Adapter`) for a WeCom self-built app."""

    platform = PLATFORM

    def __init__(self, loop: Handles, config: WeComConfig, *, outbox: Outbox | None = None,
                 api: WeComApi | None = None, directory: Directory | None = None,
                 crypto: CallbackCrypto | None = None, working_notice_s: float = 4.0,
                 drain_timeout_s: float = 60.0) -> None:
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
        self.order = ChatOrder()
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
            await self._site.start()
        except BaseException:
            await self._close()
            raise
        host, port = self._runner.addresses[0][:2]  # the real port when 0 was asked
        self.callback_url = f"http://{host}:{port}{CALLBACK_PATH}"
        log.info("wecom callback serving", extra={"host": host, "port": port, "path": CALLBACK_PATH})

    async def stop(self) -> None:
        """Stop accepting callbacks, handle every event already accepted (for up to
        `drain_timeout_s`), then disconnect."""
        if self._site is not None:
            await self._site.stop()
        try:
            await asyncio.wait_for(self.idle(), self.drain_timeout_s)
        except asyncio.TimeoutError:
            log.warning("stopping with events still being handled", extra={"workers": len(self.order.tasks)})
        await self.order.cancel()
        await self._close()
        log.info("wecom adapter stopped")

    async def _close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = self._site = None
        await self.api.close()

    async def idle(self) -> None:
        """Return once no accepted event is waiting or being handled."""
        await self.order.idle()

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
        """Decrypt, check, accept; handled after the answer (WeCom allows 5 s)."""
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
        self._dispatch(event)
        return web.Response(text="")

    def _dispatch(self, event: WeComEvent) -> None:
        """A member's events one at a time, in arrival order, so a press never overtakes the
        message that made its card."""
        self.order.submit(event.user_id, lambda: self._handle_logged(event), name=f"wecom-{event.key}")

    async def _handle_logged(self, event: WeComEvent) -> None:
        try:
            await self._handle(event)
        except Exception:
            error_id = uuid.uuid4().hex[:10]
            log.exception("wecom event failed", extra={"key": event.key, "error_id": error_id})
            with contextlib.suppress(Exception):
                await self._say(event.user_id, t(self.config.default_language, "apology", error_id=error_id))

    # --- handling ------------------------------------------------------------------------

    async def _handle(self, event: WeComEvent) -> None:
        incoming = await self._incoming(event)
        if not isinstance(incoming, IncomingMessage):
            if incoming:
                await self._say(event.user_id, incoming)
            return
        lang = self.config.default_language
        notice = WorkingNotice(lambda: self._say(event.user_id, t(lang, "working")), self.working_notice_s)
        try:
            outcome = await self.loop.handle(incoming, progress=notice)
        finally:
            await notice.cancel()
        if outcome.duplicate:
            log.info("wecom event already handled", extra={"key": event.key})
            return
        await self.deliver(event.user_id, outcome, press=press_context(event))

    async def _incoming(self, event: WeComEvent) -> IncomingMessage | str | None:
        """The message for the loop, or what to answer instead (None: nothing)."""
        if event.kind == "enter":
            return await self._entered(event)
        if event.kind == "other":
            return wc(self.config.default_language, "unsupported")
        if self.directory is not None and self.directory.auto_link:
            await self.directory.linked(event.user_id)
        audio, images = None, ()
        if event.kind == "voice":
            audio = await self._voice(event)
            if isinstance(audio, str):
                return audio
        elif event.kind == "image":
            images = await self._image(event)
            if isinstance(images, str):
                return images
        return to_incoming(event, audio=audio, images=images)

    async def deliver(self, user_id: str, outcome: Outcome, *, press: dict[str, str] | None = None) -> None:
        """Show `outcome`'s replies to the member (the pressed card, when `press` says which,
        shows the decision) and send its messages for other users."""
        for reply in outcome.replies:
            if press and reply.replaces_card:
                await self._decide_card(user_id, press, reply)
            await self._show(user_id, reply)
        await self.outbox.deliver(outcome.outgoing)

    async def _entered(self, event: WeComEvent) -> str | None:
        """The member opened the app: an unlinked member is told how to link, once."""
        if self.directory is None or event.user_id in self._greeted or await self.directory.linked(event.user_id):
            return None
        self._greeted[event.user_id] = None
        while len(self._greeted) > 10_000:
            self._greeted.popitem(last=False)
        return t(self.config.default_language, "not_linked")

    async def _voice(self, event: WeComEvent) -> Audio | str:
        got = await self._download(event, self.config.max_voice_bytes)
        if isinstance(got, str):
            return got
        data, _, _ = got
        return Audio(data=data, format="amr")  # WeCom stores voice messages as AMR

    async def _image(self, event: WeComEvent) -> tuple[Image, ...] | str:
        got = await self._download(event, self.config.max_image_bytes, too_large="image_too_large")
        if isinstance(got, str):
            return got
        data, content_type, disposition = got
        return (Image(data=data, mime=image_mime(content_type, data), name=file_name(disposition or "")),)

    async def _download(self, event: WeComEvent, limit: int, *, too_large: str = "voice_too_large"):
        lang = self.config.default_language
        try:
            data, content_type, disposition = await self.api.get_media(event.media_id, max_bytes=limit)
        except MediaTooLarge as exc:
            return wc(lang, too_large, mb=megabytes(exc.size), limit=megabytes(limit))
        except (WeComApiError, OSError, asyncio.TimeoutError) as exc:
            log.warning("wecom media download failed", extra={"key": event.key, "error": repr(exc)[:300]})
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
