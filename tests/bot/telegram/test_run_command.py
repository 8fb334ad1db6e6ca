"""`salesbot run --platform telegram` as a real process: it connects to the Bot API server given in
TELEGRAM_BASE_URL, handles a note and a press, and stops cleanly on SIGTERM."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.bot.telegram.conftest import button

BIN = Path(sys.executable).parent / "salesbot"
NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def _salesbot(args: list[str], env: dict) -> None:
    done = subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr


async def test_the_run_command_serves_telegram_and_stops_on_sigterm(api, tmp_path, fixture_data):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_URL", "LLM_", "ENGINE", "WHISPER_"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", LOG_LEVEL="INFO", LOG_FORMAT="json",
               WHISPER_BACKEND="none", TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url,
               TELEGRAM_BASE_FILE_URL=api.base_file_url)
    fixture = tmp_path / "fixture.json"
    fixture.write_text(json.dumps(fixture_data, ensure_ascii=False), encoding="utf-8")
    await asyncio.to_thread(_salesbot, ["import", str(fixture)], env)
    await asyncio.to_thread(_salesbot, ["users", "link", "1", "telegram", "5001"], env)

    process = await asyncio.create_subprocess_exec(str(BIN), "run", "--platform", "telegram", env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        rep = api.user(5001, "王磊")
        rep.send(NOTE)
        card = await api.wait_for_message(5001, containing="确认", timeout=90)
        assert "蓝鲸数据" in card["text"]
        rep.press(card, button(card, "confirm"))
        await api.wait_for(lambda: "reply_markup" not in api.current(5001, card["message_id"]), timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    events = [json.loads(line)["event"] for line in stderr.decode().splitlines() if line.startswith("{")]
    assert "telegram polling" in events and events[-1] == "telegram stopped"
    assert api.token not in stderr.decode()  # the token never reaches the logs
