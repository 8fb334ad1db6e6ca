"""Telegram settings, checked at start: `TelegramConfig.from_settings` names the variable and the fix."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from storage.config import Settings, SettingsError

_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{10,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramConfig:
        """Check the TELEGRAM_* settings; a `SettingsError` names the variable and the fix."""
        token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
        if not token:
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its "
                                "token in TELEGRAM_BOT_TOKEN (environment or .env; see .env.example)")
        if not _TOKEN.match(token):
            raise SettingsError("TELEGRAM_BOT_TOKEN does not look like a bot token (123456:ABC-...); "
                                "copy it again from @BotFather")
        for name, url in (("TELEGRAM_BASE_URL", settings.telegram_base_url),
                          ("TELEGRAM_BASE_FILE_URL", settings.telegram_base_file_url)):
            if urlparse(url).scheme not in ("http", "https"):
                raise SettingsError(f"{name} must be an http(s) URL like https://api.telegram.org/bot")
        webhook_url = (settings.telegram_webhook_url or "").strip() or None
        secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else None
        if webhook_url:
            if urlparse(webhook_url).scheme not in ("http", "https"):
                raise SettingsError("TELEGRAM_WEBHOOK_URL must be the public https:// URL Telegram posts to")
            if not secret:
                raise SettingsError("TELEGRAM_WEBHOOK_SECRET is not set: webhook mode needs a secret "
                                    "(1-256 of A-Z a-z 0-9 _ -), e.g. from `openssl rand -hex 32`")
            if not _SECRET.match(secret):
                raise SettingsError("TELEGRAM_WEBHOOK_SECRET may only contain A-Z a-z 0-9 _ - "
                                    "(1-256 characters)")
        return cls(token=token, base_url=settings.telegram_base_url,
                   base_file_url=settings.telegram_base_file_url, webhook_url=webhook_url,
                   webhook_secret=secret if webhook_url else None,
                   webhook_listen=settings.telegram_webhook_listen, webhook_port=settings.telegram_webhook_port)

    @property
    def webhook_path(self) -> str:
        return urlparse(self.webhook_url or "").path.strip("/")
