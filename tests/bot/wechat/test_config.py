"""WECHATY_* settings, endpoints, the SDK shims, and `salesbot run --platform wechat`."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from grpclib.const import Status
from grpclib.exceptions import GRPCError, StreamTerminatedError

from bot.adapters.wechat.config import WeChatConfig
from bot.adapters.wechat.gateway import Endpoint, is_connection_error, is_refusal
from prompts.ui import t
from storage.config import Settings, SettingsError
from tests.bot.wechat.conftest import ROOT


SALESBOT = Path(sys.executable).parent / "salesbot"  # the installed console script


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_config_from_settings():
    config = WeChatConfig.from_settings(settings(wechaty_puppet_service_token="puppet_paimon_abc",
                                                 wechaty_puppet_service_endpoint="10.0.0.5:8788",
                                                 default_language="en", voice_max_bytes=2048))
    assert (config.endpoint, config.token) == (Endpoint("10.0.0.5", 8788), "puppet_paimon_abc")
    assert (config.default_language, config.max_voice_bytes) == ("en", 2048)


@pytest.mark.parametrize("values, variable", [
    ({}, "WECHATY_PUPPET_SERVICE_TOKEN"),
    ({"wechaty_puppet_service_token": "CHANGE_ME", "wechaty_puppet_service_endpoint": "127.0.0.1:8788"},
     "WECHATY_PUPPET_SERVICE_TOKEN"),
    ({"wechaty_puppet_service_token": "tok"}, "WECHATY_PUPPET_SERVICE_ENDPOINT"),
    ({"wechaty_puppet_service_token": "tok", "wechaty_puppet_service_endpoint": "gateway.example"},
     "WECHATY_PUPPET_SERVICE_ENDPOINT"),
    ({"wechaty_puppet_service_token": "tok", "wechaty_puppet_service_endpoint": "127.0.0.1:99999"},
     "WECHATY_PUPPET_SERVICE_ENDPOINT"),
])
def test_bad_settings_name_the_variable(values, variable):
    with pytest.raises(SettingsError, match=variable):
        WeChatConfig.from_settings(settings(**values))


@pytest.mark.parametrize("text, endpoint", [
    ("127.0.0.1:8788", Endpoint("127.0.0.1", 8788)),
    (" gateway.internal:443 ", Endpoint("gateway.internal", 443)),
    ("grpc://10.1.2.3:8080", Endpoint("10.1.2.3", 8080)),
    ("[::1]:8788", Endpoint("::1", 8788)),
])
def test_endpoints(text, endpoint):
    assert Endpoint.parse(text) == endpoint
    assert Endpoint.parse(str(endpoint)) == endpoint


@pytest.mark.parametrize("text", ["", "8788", "host:", ":8788", "host:port", "host:0"])
def test_bad_endpoints(text):
    with pytest.raises(ValueError, match="host:port"):
        Endpoint.parse(text)


def test_connection_errors_are_told_from_refusals():
    assert is_connection_error(ConnectionRefusedError(111, "refused"))
    assert is_connection_error(StreamTerminatedError("Connection lost"))
    assert is_connection_error(GRPCError(Status.UNAVAILABLE, "down"))
    assert is_connection_error(asyncio.TimeoutError())
    assert not is_connection_error(GRPCError(Status.UNKNOWN, "Error: no id"))
    assert not is_connection_error(ValueError("bad"))
    assert is_refusal(GRPCError(Status.UNAUTHENTICATED, "Invalid Wechaty TOKEN"))
    assert not is_refusal(GRPCError(Status.UNAVAILABLE, "down"))


def test_the_sdk_imports_with_its_shims_and_keeps_quiet():
    import logging

    import urllib3

    from bot.adapters.wechat.compat import load_wechaty

    wechaty = load_wechaty()
    assert load_wechaty() is wechaty
    assert urllib3.get_host("http://127.0.0.1:8788/x") == ("http", "127.0.0.1", 8788)
    options = wechaty.WechatyOptions()
    assert hash(options.puppet_options) is not None
    sdk_logger = logging.getLogger("PuppetService")
    assert sdk_logger.propagate and not sdk_logger.handlers and sdk_logger.level == logging.ERROR


def test_cli_reports_missing_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WECHATY")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", WECHATY_PUPPET_SERVICE_ENDPOINT="127.0.0.1:1")
    done = subprocess.run([str(SALESBOT), "run", "--platform", "wechat"], cwd=tmp_path,
                          env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "WECHATY_PUPPET_SERVICE_TOKEN is not set" in done.stderr


async def test_cli_runs_the_bot_until_sigterm(gateway, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WECHATY")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", WECHATY_PUPPET_SERVICE_TOKEN=gateway.token,
               WECHATY_PUPPET_SERVICE_ENDPOINT=gateway.endpoint, LOG_FORMAT="json", PYTHONPATH=str(ROOT))
    log_file = (tmp_path / "bot.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        str(SALESBOT), "run", "--platform", "wechat", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=log_file)
    try:
        await gateway.contact("wxid_cli_stranger", "路人")
        before = 0
        for _ in range(300):  # the bot answers once it is connected: keep asking until it does
            await gateway.say("wxid_cli_stranger", "你好")
            try:
                await gateway.wait_for(lambda: len(gateway.messages_to("wxid_cli_stranger")) > before, 0.3)
                break
            except asyncio.TimeoutError:
                assert proc.returncode is None, (tmp_path / "bot.log").read_text()[-2000:]
        assert [m["text"] for m in gateway.messages_to("wxid_cli_stranger")][:1] == [t("zh", "not_linked")]
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 30)
        log_file.close()
    assert code == 0
    assert '"wechat adapter stopped"' in (tmp_path / "bot.log").read_text()
