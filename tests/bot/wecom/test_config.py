"""WECOM_* settings: checked at start, every failure names the variable to fix."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.adapters.wecom.config import WeComConfig
from storage.config import Settings, SettingsError
from tests.fakes.wecom_server import AES_KEY

COMPLETE = {"wecom_corp_id": "ww0123456789abcdef", "wecom_agent_id": 1000002,
            "wecom_secret": SecretStr("app-secret"), "wecom_token": SecretStr("callback-token"),
            "wecom_encoding_aes_key": SecretStr(AES_KEY)}


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


@pytest.mark.parametrize("missing, variable", [
    ("wecom_corp_id", "WECOM_CORP_ID"), ("wecom_agent_id", "WECOM_AGENT_ID"), ("wecom_secret", "WECOM_SECRET"),
    ("wecom_token", "WECOM_TOKEN"), ("wecom_encoding_aes_key", "WECOM_ENCODING_AES_KEY")])
def test_each_missing_setting_is_named(missing, variable):
    values = {k: v for k, v in COMPLETE.items() if k != missing}
    with pytest.raises(SettingsError, match=f"^{variable} is not set"):
        WeComConfig.from_settings(settings(**values))


def test_a_malformed_aes_key_and_api_base_are_refused():
    with pytest.raises(SettingsError, match="WECOM_ENCODING_AES_KEY must be the 43-character"):
        WeComConfig.from_settings(settings(**{**COMPLETE, "wecom_encoding_aes_key": SecretStr("short")}))
    with pytest.raises(SettingsError, match="WECOM_API_BASE"):
        WeComConfig.from_settings(settings(**COMPLETE, wecom_api_base="qyapi.weixin.qq.com"))


def test_defaults_reach_wecoms_servers_and_serve_the_callback_on_8090():
    config = WeComConfig.from_settings(settings(**COMPLETE))
    assert (config.api_base, config.host, config.port) == ("https://qyapi.weixin.qq.com", "0.0.0.0", 8090)
    assert (config.agent_id, config.directory_link, config.max_voice_bytes) == (1000002, False, 2 * 1024 * 1024)


def test_salesbot_run_wecom_without_settings_fails_at_start_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WECOM_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'never.db'}"
    done = subprocess.run([str(Path(sys.executable).parent / "salesbot"), "run", "--platform", "wecom"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert "WECOM_CORP_ID is not set" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "never.db").exists()  # refused before touching anything
