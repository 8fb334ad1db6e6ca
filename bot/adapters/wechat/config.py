"""WeChat settings, checked at start: `WeChatConfig.from_settings` names the variable and the fix."""
from __future__ import annotations

from dataclasses import dataclass

from bot.adapters.wechat.gateway import Endpoint
from storage.config import Settings, SettingsError

_PLACEHOLDER_TOKENS = {"CHANGE_ME", "changeme", "your-token"}


@dataclass(frozen=True)
class WeChatConfig:
    endpoint: Endpoint
    token: str
    default_language: str = "zh"
    max_voice_bytes: int = 20 * 1024 * 1024
    max_image_bytes: int = 10 * 1024 * 1024
    connect_timeout_s: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> WeChatConfig:
        """Check the WECHATY_* settings; a `SettingsError` names the variable and the fix."""
        token = settings.wechaty_puppet_service_token.get_secret_value().strip() \
            if settings.wechaty_puppet_service_token else ""
        if not token or token in _PLACEHOLDER_TOKENS:
            raise SettingsError("WECHATY_PUPPET_SERVICE_TOKEN is not set: put the token of your wechaty "
                                "puppet-service gateway in WECHATY_PUPPET_SERVICE_TOKEN (environment or "
                                ".env; see docs/wechat.md)")
        endpoint = (settings.wechaty_puppet_service_endpoint or "").strip()
        if not endpoint:
            raise SettingsError("WECHATY_PUPPET_SERVICE_ENDPOINT is not set: give the gateway's host:port, "
                                "e.g. 127.0.0.1:8788 (endpoints are not looked up online)")
        try:
            parsed = Endpoint.parse(endpoint)
        except ValueError as exc:
            raise SettingsError(f"WECHATY_PUPPET_SERVICE_ENDPOINT: {exc}") from None
        return cls(endpoint=parsed, token=token, default_language=settings.default_language,
                   max_voice_bytes=settings.voice_max_bytes, max_image_bytes=settings.attachment_max_bytes)
