"""`salesbot run --platform feishu` as a real process: a missing secret fails at start with one
line naming it; with the settings it serves /feishu/events on FEISHU_HOST:FEISHU_PORT, talks to
FEISHU_API_BASE, handles a note and a press, and stops cleanly on SIGTERM. Also
`salesbot users link USER feishu OPEN_ID`."""
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

from tests.bot.feishu.conftest import button

BIN = Path(sys.executable).parent / "salesbot"
NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FEISHU_", "DATABASE_URL", "LLM_", "ENGINE", "WHISPER_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", LOG_LEVEL="INFO", LOG_FORMAT="json",
               WHISPER_BACKEND="none", **extra)
    return env


def _salesbot(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_missing_secret_fails_at_start_naming_the_variable(tmp_path):
    env = _env(tmp_path, FEISHU_APP_ID="cli_a1b2c3", FEISHU_VERIFICATION_TOKEN="v", FEISHU_ENCRYPT_KEY="k")
    done = _salesbot(["run", "--platform", "feishu"], env)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("salesbot: FEISHU_APP_SECRET is not set") and "Traceback" not in done.stderr


async def test_the_run_command_serves_feishu_and_stops_on_sigterm(server, tmp_path, fixture_data):
    port = _free_port()
    env = _env(tmp_path, FEISHU_APP_ID=server.app_id, FEISHU_APP_SECRET=server.app_secret,
               FEISHU_VERIFICATION_TOKEN=server.verification_token, FEISHU_ENCRYPT_KEY=server.encrypt_key,
               FEISHU_API_BASE=server.base_url, FEISHU_HOST="127.0.0.1", FEISHU_PORT=str(port))
    fixture = tmp_path / "fixture.json"
    fixture.write_text(json.dumps(fixture_data, ensure_ascii=False), encoding="utf-8")
    assert (await asyncio.to_thread(_salesbot, ["import", str(fixture)], env)).returncode == 0
    linked = await asyncio.to_thread(_salesbot, ["users", "link", "1", "feishu", "ou_user1"], env)
    assert linked.returncode == 0 and "feishu:ou_user1" in linked.stdout
    server.events_url = f"http://127.0.0.1:{port}/feishu/events"

    process = await asyncio.create_subprocess_exec(str(BIN), "run", "--platform", "feishu", env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        rep = server.user("ou_user1", "王磊")
        for _ in range(900):  # until the server listens (start-up loads the app)
            try:
                status, _ = await rep.send(NOTE, event_id="ev_run_note")
                break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        assert status == 200
        # the note's card; a morning brief the scheduler sends at start may come first
        card = await server.wait_for(lambda: next((m for m in server.bot_messages(rep.p2p_chat)
                                                   if any(c.endswith(":confirm") for c in m.choices)), None),
                                     timeout=90)
        assert "蓝鲸数据" in card.text
        await rep.press(card, button(card, "confirm"))
        await server.wait_for(lambda: card.updated_at is not None, timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log[-2000:]
    events = [json.loads(line)["event"] for line in log.splitlines() if line.startswith("{")]
    assert "feishu events serving" in events and events[-1] == "feishu adapter stopped"
    assert server.app_secret not in log and server.encrypt_key not in log  # no secrets in the logs
