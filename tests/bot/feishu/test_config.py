"""FEISHU_* settings: each missing secret is named with where to find it."""
from __future__ import annotations

import pytest

from bot.adapters.feishu.config import FeishuConfig
from storage.config import Settings, SettingsError

COMPLETE = dict(feishu_app_id="cli_a1b2c3", feishu_app_secret="s3cret", feishu_verification_token="vtok",
                feishu_encrypt_key="ekey")


def settings(**changes) -> Settings:
    return Settings(_env_file=None, **{**COMPLETE, **changes})


def test_complete_settings_make_a_config():
    config = FeishuConfig.from_settings(settings(feishu_api_base="https://open.larksuite.com/",
                                                 feishu_mode="websocket", feishu_port=9000))
    assert (config.app_id, config.app_secret, config.api_base, config.mode, config.port) == (
        "cli_a1b2c3", "s3cret", "https://open.larksuite.com", "websocket", 9000)
    assert (config.host, config.verification_token, config.encrypt_key) == ("0.0.0.0", "vtok", "ekey")


@pytest.mark.parametrize("field, variable", [
    ("feishu_app_id", "FEISHU_APP_ID"), ("feishu_app_secret", "FEISHU_APP_SECRET"),
    ("feishu_verification_token", "FEISHU_VERIFICATION_TOKEN"), ("feishu_encrypt_key", "FEISHU_ENCRYPT_KEY")])
@pytest.mark.parametrize("value", [None, "", "CHANGE_ME"])
def test_a_missing_value_names_its_variable(field, variable, value):
    with pytest.raises(SettingsError) as caught:
        FeishuConfig.from_settings(settings(**{field: value}))
    message = str(caught.value)
    assert message.startswith(f"{variable} is not set") and "\n" not in message


def test_a_bad_api_base_is_named():
    with pytest.raises(SettingsError, match="FEISHU_API_BASE"):
        FeishuConfig.from_settings(settings(feishu_api_base="open.feishu.cn"))
