"""`salesbot run --platform telegram` runs the scheduler beside the adapter: a reminder that fell
due while the bot was down arrives on start as a Telegram message with Done / Snooze 1h /
Tomorrow buttons, and Done works."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlmodel import Session

from storage.db import make_engine, session_scope
from storage.models import Reminder, ReminderStatus

pytest.importorskip("telegram")
from tests.fakes.telegram_server import FakeBotApi  # noqa: E402

BIN = Path(sys.executable).parent / "salesbot"


@pytest.fixture
async def api():
    async with FakeBotApi() as server:
        yield server


def _salesbot(args: list[str], env: dict) -> None:
    done = subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr


async def test_a_missed_reminder_arrives_with_buttons_on_start(api, tmp_path, fixture_data):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_URL", "LLM_", "ENGINE", "WHISPER_"))}
    env.update(DATABASE_URL=url, LOG_LEVEL="INFO", LOG_FORMAT="json", WHISPER_BACKEND="none",
               TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url, TELEGRAM_BASE_FILE_URL=api.base_file_url)
    fixture = tmp_path / "fixture.json"
    fixture.write_text(json.dumps(fixture_data, ensure_ascii=False), encoding="utf-8")
    await asyncio.to_thread(_salesbot, ["import", str(fixture)], env)
    await asyncio.to_thread(_salesbot, ["users", "link", "1", "telegram", "5001"], env)
    # whatever the hour this runs at: no quiet hours, and only the reminder speaks
    await asyncio.to_thread(_salesbot, ["users", "prefs", "1", "--quiet", "off", "--off", "morning_brief",
                                        "stale_deals", "approval_nudges"], env)
    db = make_engine(url)
    with session_scope(db) as session:
        row = Reminder(user_id=1, account_id=1, text="回访李总", due_at=datetime.now(timezone.utc) - timedelta(hours=3))
        session.add(row)
        session.flush()
        rid = row.id

    process = await asyncio.create_subprocess_exec(str(BIN), "run", "--platform", "telegram", env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        message = await api.wait_for_message(5001, containing="回访李总", timeout=90)
        buttons = [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
        assert buttons == [f"r:{rid}:done", f"r:{rid}:snooze1h", f"r:{rid}:tomorrow"]
        api.user(5001, "王磊").press(message, f"r:{rid}:done")

        def done() -> bool:
            with Session(db) as session:
                return session.get(Reminder, rid).status == ReminderStatus.done

        await api.wait_for(done, timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
        db.dispose()
    assert process.returncode == 0, stderr.decode()[-2000:]
    events = [json.loads(line)["event"] for line in stderr.decode().splitlines() if line.startswith("{")]
    assert "scheduler started" in events and "scheduler stopped" in events
    assert events.index("scheduler stopped") < events.index("telegram stopped")
    assert len([m for m in api.bot_messages(5001) if "回访李总" in (m.get("text") or "")]) == 1
