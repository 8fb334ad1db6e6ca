"""Feishu settings, checked at start: `FeishuConfig.from_settings` names the variable and the fix."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlparse

from storage.config import Settings, SettingsError

_PLACEHOLDERS = {"", "CHANGE_ME", "cli_CHANGE_ME", "changeme"}
_WHERE = {
    "FEISHU_APP_ID": "the App ID (cli_...) from the app's Credentials & Basic Info page",
    "FEISHU_APP_SECRET": "the App Secret from the app's Credentials & Basic Info page",
    "FEISHU_VERIFICATION_TOKEN": "the Verification Token from Events & Callbacks > Encryption strategy",
    "FEISHU_ENCRYPT_KEY": "the Encrypt Key from Events & Callbacks > Encryption strategy (set one there "
                          "if it is empty: events are then encrypted and signed)",
}


@dataclass(frozen=True)
class FeishuConfig:
    app_id: str
    app_secret: str
    verification_token: str
    encrypt_key: str
    api_base: str = "https://open.feishu.cn"
    mode: Literal["webhook", "websocket"] = "webhook"
    host: str = "0.0.0.0"
    port: int = 8090
    default_language: str = "zh"
    max_voice_bytes: int = 20 * 1024 * 1024
    max_image_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> FeishuConfig:
        """Check the FEISHU_* settings; a `SettingsError` names the variable and the fix."""
        values = {
            "FEISHU_APP_ID": (settings.feishu_app_id or "").strip(),
            "FEISHU_APP_SECRET": _secret(settings.feishu_app_secret),
            "FEISHU_VERIFICATION_TOKEN": _secret(settings.feishu_verification_token),
            "FEISHU_ENCRYPT_KEY": _secret(settings.feishu_encrypt_key),
        }
        for name, value in values.items():
            if value in _PLACEHOLDERS:
                raise SettingsError(f"{name} is not set: put {_WHERE[name]} in {name} "
                                    "(environment or .env; see docs/feishu.md)")
        base = settings.feishu_api_base.strip().rstrip("/")
        if urlparse(base).scheme not in ("http", "https") or not urlparse(base).netloc:
            raise SettingsError("FEISHU_API_BASE must be an http(s) URL like https://open.feishu.cn "
                                "(https://open.larksuite.com for Lark)")
        return cls(app_id=values["FEISHU_APP_ID"], app_secret=values["FEISHU_APP_SECRET"],
                   verification_token=values["FEISHU_VERIFICATION_TOKEN"],
                   encrypt_key=values["FEISHU_ENCRYPT_KEY"], api_base=base, mode=settings.feishu_mode,
                   host=settings.feishu_host, port=settings.feishu_port,
                   default_language=settings.default_language, max_voice_bytes=settings.voice_max_bytes,
                   max_image_bytes=settings.attachment_max_bytes)


def _secret(value) -> str:
    return value.get_secret_value().strip() if value is not None else ""
