"""Token usage and latency of every parse are stored as EngineCall rows and shown by `salesbot stats`."""
from __future__ import annotations

from sqlmodel import select

from bot.app import build_app
from bot.cli import main
from bot.identity import link
from bot.loop import ConversationLoop
from bot.messages import IncomingMessage
from bot.stats import engine_stats
from intents.llm.engine import LLMEngine
from storage.config import Settings
from storage.db import session_scope
from storage.models import EngineCall
from tests.fakes.chat_models import ScriptedChatModel, ai_calls
from tools.base import all_tools


def test_engine_calls_are_recorded_and_summarized(crm_sqlite, clock, rules, monkeypatch, capsys):
    rules.add("本季度pipeline", [{"name": "pipeline_report", "args": {"period": "this_quarter"}}])
    chat = ScriptedChatModel(script=[
        ai_calls(("list_reminders", {"period": "today"}), prompt_tokens=2000, completion_tokens=100),
        TimeoutError("read timed out"),
    ])
    engine = LLMEngine(chat, tools=all_tools(), fallback=rules, model_name="openai:gpt-4o-mini")
    settings = Settings(_env_file=None, database_url=str(crm_sqlite.url), engine="llm")
    loop = ConversationLoop(build_app(settings, clock=clock, engine=engine, db=crm_sqlite, run_migrations=False))
    with session_scope(crm_sqlite) as session:
        link(3, "test", "u3", chat_id="chat3", session=session, now=clock())
    for n, text in enumerate(["今天有什么提醒", "本季度pipeline"]):
        loop.handle_sync(IncomingMessage(platform="test", chat_id="chat3", external_user_id="u3",
                                         message_id=f"m{n}", text=text))

    with session_scope(crm_sqlite) as session:
        rows = session.exec(select(EngineCall).order_by(EngineCall.id)).all()
        assert [(r.engine, r.model, r.ok, r.fallback_reason, r.prompt_tokens, r.completion_tokens) for r in rows] == [
            ("llm", "openai:gpt-4o-mini", True, None, 2000, 100),
            ("rules", "openai:gpt-4o-mini", False, "timeout", None, None),
        ]
        assert all(r.latency_ms >= 0 and r.user_id == 3 for r in rows)
        report = engine_stats(session=session, days=7, now=clock())
    assert "last 7 days: 2 parses" in report
    llm_row = next(line for line in report.splitlines() if line.startswith("llm "))
    assert llm_row.split()[1] == "1" and llm_row.split()[-2:] == ["2000", "100"]
    rules_row = next(line for line in report.splitlines() if line.startswith("rules "))
    assert rules_row.split()[4] == "1"
    assert "model openai:gpt-4o-mini: 2 parses, 1 answered" in report and "fallbacks: timeout 1" in report

    monkeypatch.setenv("DATABASE_URL", str(crm_sqlite.url))
    assert main(["stats", "--days", "36500"]) == 0
    assert "fallbacks: timeout 1" in capsys.readouterr().out
