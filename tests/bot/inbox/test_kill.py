"""Fault injection: a bot process is killed with SIGKILL in the middle of a message's transaction
(or after its commit, before its replies went out); a new process answers every message exactly
once and nothing is written twice. The real Telegram adapter polls the fake Bot API server; the
database is SQLite or PostgreSQL."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.identity import link
from storage.db import session_scope
from storage.models import Draft, InboxMessage, Visit
from tests.bot.telegram.conftest import NAMES, TG, api  # noqa: F401 (the fake Bot API fixture)

ROOT = Path(__file__).resolve().parents[3]
NOTES = {1: "今天拜访了蓝鲸李总，聊了扩容方案", 4: "Visited Globex today, talked about renewal"}
ROUNDS = 3

pytestmark = pytest.mark.slow


def start_bot(api, crm, marks: Path, *, pause_in: str | None = None) -> subprocess.Popen:
    args = [sys.executable, "-m", "tests.bot.inbox.bot_process", "--db", crm.url.render_as_string(hide_password=False),
            "--api", api.base_url, "--token", api.token, "--marks", str(marks), "--lease", "2"]
    if pause_in:
        # one worker task: the paused message is the only one in flight when the kill lands (a
        # reply another task had just handed to Telegram would be sent again: at-least-once)
        args += ["--pause-in", pause_in, "--pause", "0.6", "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def wait_for_marks(marks: Path, stage: str, count: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while True:
            lines = marks.read_text().splitlines() if marks.exists() else []
            if sum(1 for line in lines if line.split()[1] == stage) >= count:
                return
            if proc.poll() is not None:
                raise AssertionError(f"bot process exited: {proc.stderr.read().decode()[-2000:]}")
            await asyncio.sleep(0.02)


@pytest.mark.parametrize("stage", ["transaction", "handled"])
async def test_sigkill_loses_nothing_and_doubles_nothing(api, crm, clock, tmp_path, stage):
    with session_scope(crm) as session:
        for user_id in NOTES:
            link(user_id, "telegram", str(TG[user_id]), chat_id=str(TG[user_id]), session=session, now=clock())
        visits_before = session.exec(select(func.count()).select_from(Visit)).one()
    people = {uid: api.user(TG[uid], NAMES[uid], language_code="en" if uid == 4 else "zh") for uid in NOTES}
    marks = tmp_path / "marks.txt"
    first = start_bot(api, crm, marks, pause_in=stage)
    try:
        await wait_for_marks(marks, "started", 1, first)
        for _ in range(ROUNDS):
            for uid, person in people.items():
                person.send(NOTES[uid])
                person.send("1")
        # killed while its third message sits in `stage`: two were answered, one is in flight
        await wait_for_marks(marks, stage, 3, first)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    with session_scope(crm) as session:
        handled_before = session.exec(select(func.count()).select_from(InboxMessage)
                                      .where(InboxMessage.state == "replied")).one()
    assert handled_before < 2 * ROUNDS * len(NOTES)  # the kill left work for the next process

    second = start_bot(api, crm, marks)
    try:
        expected = 2 * ROUNDS
        await api.wait_for(lambda: all(len(api.bot_messages(TG[uid])) >= expected for uid in NOTES), timeout=180)
        await asyncio.sleep(2.5)  # a lease's length: anything sent twice would have arrived by now
        for uid in NOTES:
            texts = [m["text"] for m in api.bot_messages(TG[uid])]
            assert len(texts) == expected, texts
            saved = "✅ Saved" if uid == 4 else "✅ 已保存"
            assert [text.startswith(saved) for text in texts] == [False, True] * ROUNDS, texts
        with session_scope(crm) as session:
            assert session.exec(select(func.count()).select_from(Draft)).one() == ROUNDS * len(NOTES)
            assert session.exec(select(func.count()).select_from(Visit)).one() == visits_before + ROUNDS * len(NOTES)
            states = session.exec(select(InboxMessage.state)).all()
            assert states == ["replied"] * (2 * ROUNDS * len(NOTES))
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            second.kill()
