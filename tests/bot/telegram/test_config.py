"""TELEGRAM_* settings: checked at start, every failure names the variable to fix."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.adapters.telegram.config import TelegramConfig
from storage.config import Settings, SettingsError

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijkl"


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_missing_token_names_telegram_bot_token():
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN is not set"):
        TelegramConfig.from_settings(settings())


def test_malformed_token_is_refused():
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN does not look like"):
        TelegramConfig.from_settings(settings(telegram_bot_token=SecretStr("not-a-token")))


def test_polling_by_default_with_telegrams_servers():
    config = TelegramConfig.from_settings(settings(telegram_bot_token=SecretStr(TOKEN)))
    assert config.webhook_url is None and config.webhook_secret is None
    assert config.base_url == "https://api.telegram.org/bot"
    assert config.base_file_url == "https://api.telegram.org/file/bot"


def test_webhook_needs_a_well_formed_secret():
    base = {"telegram_bot_token": SecretStr(TOKEN), "telegram_webhook_url": "https://bot.example.com/tg/hook"}
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET is not set"):
        TelegramConfig.from_settings(settings(**base))
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET may only contain"):
        TelegramConfig.from_settings(settings(**base, telegram_webhook_secret=SecretStr("has spaces!")))
    config = TelegramConfig.from_settings(settings(**base, telegram_webhook_secret=SecretStr("s3cret_-X"),
                                                   telegram_webhook_port=9443))
    assert (config.webhook_path, config.webhook_secret, config.webhook_port) == ("tg/hook", "s3cret_-X", 9443)


def test_self_hosted_bot_api_server_urls_are_used_as_given():
    config = TelegramConfig.from_settings(settings(
        telegram_bot_token=SecretStr(TOKEN), telegram_base_url="http://127.0.0.1:8081/bot",
        telegram_base_file_url="http://127.0.0.1:8081/file/bot"))
    assert config.base_url == "http://127.0.0.1:8081/bot"
    with pytest.raises(SettingsError, match="TELEGRAM_BASE_URL"):
        TelegramConfig.from_settings(settings(telegram_bot_token=SecretStr(TOKEN), telegram_base_url="api/bot"))


def test_salesbot_run_telegram_without_a_token_fails_at_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'never.db'}"
    done = subprocess.run([str(Path(sys.executable).parent / "salesbot"), "run", "--platform", "telegram"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr
    assert not (tmp_path / "never.db").exists()  # refused before touching anything
