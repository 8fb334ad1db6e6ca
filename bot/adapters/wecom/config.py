"""WeCom settings, checked at start: `WeComConfig.from_settings` names the variable and the fix."""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import urlparse

from storage.config import Settings, SettingsError

_PLACEHOLDERS = {"CHANGE_ME", "changeme"}


@dataclass(frozen=True)
class WeComConfig:
    corp_id: str
    agent_id: int
    secret: str
    token: str
    encoding_aes_key: str
    api_base: str = "https://qyapi.weixin.qq.com"
    host: str = "0.0.0.0"
    port: int = 8090
    directory_link: bool = False
    default_language: str = "zh"
    max_voice_bytes: int = 2 * 1024 * 1024  # WeCom voice messages are at most 2 MB (60 s of AMR)
    max_image_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> WeComConfig:
        """Check the WECOM_* settings; a `SettingsError` names the variable and the fix."""
        where = "(environment or .env; see docs/wecom.md)"
        corp_id = (settings.wecom_corp_id or "").strip()
        if not corp_id or corp_id in _PLACEHOLDERS:
            raise SettingsError(f"WECOM_CORP_ID is not set: copy 企业ID from the WeCom admin console "
                                f"(My company → Company info) into WECOM_CORP_ID {where}")
        if settings.wecom_agent_id is None:
            raise SettingsError(f"WECOM_AGENT_ID is not set: copy the AgentId of your self-built app "
                                f"(App management → the app) into WECOM_AGENT_ID {where}")
        secrets = {}
        for name, value, fix in (
                ("WECOM_SECRET", settings.wecom_secret, "the app's Secret (App management → the app)"),
                ("WECOM_TOKEN", settings.wecom_token, "the Token of the app's API receive settings"),
                ("WECOM_ENCODING_AES_KEY", settings.wecom_encoding_aes_key,
                 "the EncodingAESKey of the app's API receive settings")):
            secret = value.get_secret_value().strip() if value else ""
            if not secret or secret in _PLACEHOLDERS:
                raise SettingsError(f"{name} is not set: put {fix} in {name} {where}")
            secrets[name] = secret
        if not aes_key_valid(secrets["WECOM_ENCODING_AES_KEY"]):
            raise SettingsError("WECOM_ENCODING_AES_KEY must be the 43-character EncodingAESKey WeCom shows "
                                "(press Random in the API receive settings and copy it again)")
        if urlparse(settings.wecom_api_base).scheme not in ("http", "https"):
            raise SettingsError("WECOM_API_BASE must be an http(s) URL like https://qyapi.weixin.qq.com")
        return cls(corp_id=corp_id, agent_id=settings.wecom_agent_id, secret=secrets["WECOM_SECRET"],
                   token=secrets["WECOM_TOKEN"], encoding_aes_key=secrets["WECOM_ENCODING_AES_KEY"],
                   api_base=settings.wecom_api_base.rstrip("/"), host=settings.wecom_host,
                   port=settings.wecom_port, directory_link=settings.wecom_directory_link,
                   default_language=settings.default_language,
                   max_voice_bytes=min(settings.voice_max_bytes, cls.max_voice_bytes),
                   max_image_bytes=settings.attachment_max_bytes)


def aes_key_valid(key: str) -> bool:
    """An EncodingAESKey is 43 base64 characters that decode (with "=") to a 32-byte AES key."""
    if len(key) != 43:
        return False
    try:
        return len(base64.b64decode(key + "=", validate=True)) == 32
    except (binascii.Error, ValueError):
        return False
