"""The webhook server: Telegram's POSTs into the inbox, answered 200 only once stored.

PTB's own server answers 200 as soon as an update is queued in memory (a crash loses it) and 400
to an update it cannot parse (Telegram then retries it forever and delivers nothing after it).
Here: a wrong or missing secret is 403; a body that is not an update the library can read is
logged once and answered 200 (skipped); a readable one is answered 200 after the inbox stored
it, or 503 when the database is unreachable, so that Telegram delivers it again.
"""
from __future__ import annotations

import hmac
import json
import logging
from typing import TYPE_CHECKING

import tornado.httpserver
import tornado.web

from bot.adapters.telegram.config import TelegramConfig
from bot.adapters.telegram.tolerant import readable_update

if TYPE_CHECKING:
    from bot.adapters.telegram.adapter import TelegramAdapter

log = logging.getLogger("salesbot.telegram")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _Updates(tornado.web.RequestHandler):
    def initialize(self, adapter: TelegramAdapter, secret: str | None) -> None:
        self.adapter, self.secret = adapter, secret

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if self.secret and not hmac.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook request with a wrong secret refused", extra={"remote": self.request.remote_ip})
            self.set_status(403)
            return
        try:
            data = json.loads(self.request.body or b"null")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            log.error("webhook body that is not an update skipped", extra={"bytes": len(self.request.body or b"")})
            return
        update = readable_update(data, self.adapter.bot)
        if update is None:
            return
        if not await self.adapter.take(update):
            self.set_status(503)


class WebhookServer:
    """Serves `config.webhook_path` on `webhook_listen:webhook_port` on the running event loop."""

    def __init__(self, adapter: TelegramAdapter, config: TelegramConfig) -> None:
        path = "/" + config.webhook_path if config.webhook_path else "/"
        app = tornado.web.Application([(path, _Updates, {"adapter": adapter, "secret": config.webhook_secret})])
        self.server = tornado.httpserver.HTTPServer(app, xheaders=True)
        self.config = config

    async def start(self) -> None:
        self.server.listen(self.config.webhook_port, address=self.config.webhook_listen)

    async def stop(self) -> None:
        self.server.stop()
        await self.server.close_all_connections()
