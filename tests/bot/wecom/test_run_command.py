"""`salesbot run --platform wecom` as a real process: it gets a token from WECOM_API_BASE, serves
/wecom/callback on WECOM_HOST:WECOM_PORT, handles a note and a press from a member linked with
`salesbot users link`, and stops cleanly on SIGTERM with no secret in its logs."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

BIN = Path(sys.executable).parent / "salesbot"
NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def _salesbot(args: list[str], env: dict) -> str:
    done = subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _until_serving(url: str, process, timeout: float = 90.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    async with aiohttp.ClientSession() as client:
        while True:
            assert process.returncode is None, "salesbot exited before serving"
            try:
                async with client.get(url) as resp:  # unsigned: 403, but it is serving
                    if resp.status == 403:
                        return
            except aiohttp.ClientConnectionError:
                pass
            assert asyncio.get_running_loop().time() < deadline, "callback URL never came up"
            await asyncio.sleep(0.2)


async def test_the_run_command_serves_wecom_and_stops_on_sigterm(wecom, tmp_path, fixture_data):
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WECOM_", "DATABASE_URL", "LLM_", "ENGINE", "WHISPER_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", LOG_LEVEL="INFO", LOG_FORMAT="json",
               WHISPER_BACKEND="none", WECOM_CORP_ID=wecom.corp_id, WECOM_AGENT_ID=str(wecom.agent_id),
               WECOM_SECRET=wecom.secret, WECOM_TOKEN=wecom.token, WECOM_ENCODING_AES_KEY=wecom.aes_key,
               WECOM_API_BASE=wecom.base_url, WECOM_HOST="127.0.0.1", WECOM_PORT=str(port))
    fixture = tmp_path / "fixture.json"
    fixture.write_text(json.dumps(fixture_data, ensure_ascii=False), encoding="utf-8")
    await asyncio.to_thread(_salesbot, ["import", str(fixture)], env)
    linked = await asyncio.to_thread(_salesbot, ["users", "link", "1", "wecom", "WangLei"], env)
    assert "wecom:WangLei" in linked

    process = await asyncio.create_subprocess_exec(str(BIN), "run", "--platform", "wecom", env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        wecom.callback_url = f"http://127.0.0.1:{port}/wecom/callback"
        await _until_serving(wecom.callback_url, process)
        rep = wecom.member("WangLei", "王磊")
        assert (await rep.send_text(NOTE)).status == 200
        # the note's card; a morning brief the scheduler sends at start may come first
        card = await wecom.wait_for(lambda: next((m for m in wecom.messages("WangLei")
                                                  if m.msgtype == "template_card" and any(
                                                      b["key"].endswith(":confirm")
                                                      for b in m.content.get("button_list", []))), None),
                                    timeout=90)
        assert "蓝鲸数据" in card.text
        await rep.press(card, card.button("confirm"))
        await wecom.wait_for(lambda: card.decided, timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log[-2000:]
    events = [json.loads(line)["event"] for line in log.splitlines() if line.startswith("{")]
    assert "wecom callback serving" in events and events[-1] == "wecom adapter stopped"
    assert wecom.secret not in log and wecom.aes_key not in log and wecom.token not in log
