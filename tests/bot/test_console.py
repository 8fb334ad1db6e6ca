"""Drive the real `salesbot` program: import, chat as a rep, confirm a card, check the database."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from storage.db import make_engine, session_scope
from storage.models import Opportunity, Reminder, Visit

BIN = Path(sys.executable).parent / "salesbot"


def run(args: list[str], env: dict, stdin: str | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], input=stdin, capture_output=True, text=True, env=env,
                          timeout=timeout)


@pytest.fixture
def cli_env(tmp_path, fixture_data) -> dict:
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "ENGINE", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'console.db'}"
    env["LOG_LEVEL"] = "WARNING"
    fixture = tmp_path / "fixture.json"
    fixture.write_text(json.dumps(fixture_data, ensure_ascii=False), encoding="utf-8")
    done = run(["import", str(fixture)], env)
    assert done.returncode == 0, done.stderr
    return env


def test_console_chat_logs_a_visit_after_confirmation(cli_env):
    text = "今天拜访了蓝鲸李总，聊了数据平台扩容的架构\n1\n/quit\n"
    done = run(["chat", "--as", "1"], cli_env, stdin=text)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "确认" in out and "1." in out, out
    assert "已保存" in out, out
    engine = make_engine(cli_env["DATABASE_URL"])
    with session_scope(engine) as s:
        visits = s.exec(select(Visit).where(Visit.rep_id == 1)).all()
        assert any(v.account_id == 1 and "扩容" in (v.source_text or "") for v in visits)


def test_console_chat_cancel_writes_nothing(cli_env):
    done = run(["chat", "--as", "王磊"], cli_env, stdin="提醒我明天下午3点给青松赵主任回电话\n3\n")
    assert done.returncode == 0, done.stderr
    assert "已取消" in done.stdout
    engine = make_engine(cli_env["DATABASE_URL"])
    with session_scope(engine) as s:
        assert s.exec(select(Reminder)).all() == []


def test_console_answers_reads_in_english_for_english_users(cli_env):
    done = run(["chat", "--as", "4"], cli_env, stdin="what's on my plate today\n")
    assert done.returncode == 0, done.stderr
    assert "you>" in done.stdout


def test_unknown_user_is_a_clear_error(cli_env):
    done = run(["chat", "--as", "nobody"], cli_env, stdin="")
    assert done.returncode == 2 and "no user" in done.stderr


def test_bad_setting_fails_at_start_naming_the_variable(cli_env):
    env = dict(cli_env, DEFAULT_TIMEZONE="Mars/Olympus")
    done = run(["users", "list"], env)
    assert done.returncode == 2
    assert "DEFAULT_TIMEZONE" in done.stderr and ".env.example" in done.stderr


def test_every_subcommand_has_help(cli_env):
    for cmd in (["--help"], ["chat", "--help"], ["run", "--help"], ["demo", "--help"], ["import", "--help"],
                ["users", "--help"], ["users", "invite", "--help"], ["users", "link", "--help"],
                ["export", "--help"], ["parse", "--help"], ["stats", "--help"], ["migrate", "--help"]):
        done = run(cmd, cli_env)
        assert done.returncode == 0 and "usage: salesbot" in done.stdout, cmd


def test_parse_one_message_against_the_database(cli_env):
    import json

    done = run(["parse", "提醒我周五下午3点给天衡的郑总打电话", "--as", "1"], cli_env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["engine"] == "rules"
    assert [c["name"] for c in out["calls"]] == ["create_reminder"]
    assert out["calls"][0]["args"]["account"] == "天衡能源"
    assert out["calls"][0]["args"]["due_at"].endswith("T15:00")


def test_parse_batch_prints_one_line_per_case(cli_env, tmp_path):
    import json

    from tests.conftest import FIXTURE_PATH

    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in [
        {"id": "a", "now": "2026-11-25T10:00", "user": 1, "text": "102号报价批了"},
        {"id": "b", "now": "2026-11-25T10:00", "user": 4, "text": "thanks!"},
    ]) + "\n", encoding="utf-8")
    done = run(["parse", "--fixture", str(FIXTURE_PATH), "--batch", str(cases)], cli_env)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["calls"] == [{"name": "approve_quote", "args": {"quote_id": 102}}]
    assert rows[1]["calls"] == []


def test_console_a_bare_amount_keeps_a_usd_deal_usd(cli_env):
    done = run(["chat", "--as", "4"], cli_env, stdin="Acme moved to negotiation, 260k now\n1\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert "$260,000" in done.stdout and "¥" not in done.stdout, done.stdout
    engine = make_engine(cli_env["DATABASE_URL"])
    with session_scope(engine) as s:
        deal = s.get(Opportunity, 4)
        assert (deal.currency, int(deal.amount)) == ("USD", 260000)


def test_console_a_reminder_is_ticked_off_in_words(cli_env):
    text = "提醒我明天下午3点给北辰王总回电话\n1\n给北辰王总回电话那个提醒已经办完了\n1\n/quit\n"
    done = run(["chat", "--as", "1"], cli_env, stdin=text)
    assert done.returncode == 0, done.stderr
    assert "完成提醒" in done.stdout and "提醒已完成" in done.stdout, done.stdout
    engine = make_engine(cli_env["DATABASE_URL"])
    with session_scope(engine) as s:
        (reminder,) = s.exec(select(Reminder).where(Reminder.user_id == 1)).all()
        assert reminder.status == "done"
