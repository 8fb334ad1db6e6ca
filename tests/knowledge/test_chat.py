"""The real `salesbot` program on an imported history: rebuild the index, then ask for advice in
the console chat. The answer cites past deals and nothing a library prints reaches the chat."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.eval.imported import fixture, relevant

BIN = Path(sys.executable).parent / "salesbot"
NOISE = re.compile(r"Loading weights|it/s\]|\d+%\|[█ ]|Warning|warn\(|Traceback", re.I)


def run(args, env, stdin=None, timeout=600):
    return subprocess.run([str(BIN), *args], input=stdin, capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture
def imported_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "ENGINE", "DATABASE_URL", "TQDM"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'crm.db'}", KNOWLEDGE_DIR=str(tmp_path / "kb"),
               LOG_LEVEL="WARNING", HF_HUB_OFFLINE="1")
    path = tmp_path / "history.json"
    path.write_text(json.dumps(fixture(), ensure_ascii=False), encoding="utf-8")
    done = run(["import", str(path)], env)
    assert done.returncode == 0, done.stderr
    done = run(["knowledge", "rebuild"], env)
    assert done.returncode == 0 and "indexed 26 deals" in done.stdout, done.stderr
    return env


def cited(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"#(\d+)", text)}


def test_advice_in_the_console_chat_cites_past_deals_and_prints_no_library_noise(imported_env):
    done = run(["chat", "--as", "2"], imported_env, stdin="how do I handle Alpine's price objection?\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert cited(done.stdout) & set(relevant("price")), done.stdout
    assert not NOISE.search(done.stdout) and not NOISE.search(done.stderr), done.stdout + done.stderr
    done = run(["chat", "--as", "1"], imported_env, stdin="星河这单怎么推进\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert cited(done.stdout) & set(relevant("security")), done.stdout
    assert not NOISE.search(done.stdout + done.stderr)


def test_the_command_line_suggestion_on_the_imported_history(imported_env):
    done = run(["suggest", "--as", "1", "--account", "博远", "--question", "客户想先试用再决定"], imported_env)
    assert done.returncode == 0, done.stderr
    assert cited(done.stdout) & set(relevant("poc")) and not NOISE.search(done.stderr), done.stdout
