"""The bot keeps the index in step after a confirmed visit and shows the hint; the command line
rebuilds the index and prints the chat's answer."""
from __future__ import annotations

import pytest

from bot.app import build_app
from bot.cli import main
from bot.identity import link
from bot.knowledge_sync import touched_deals
from bot.loop import ConversationLoop
from bot.messages import IncomingMessage
from knowledge import service
from storage.db import session_scope
from tests.fakes.engines import ScriptedEngine
from tools.base import ToolResult


def test_touched_deals_are_the_visits_and_updates_deals():
    results = [ToolResult("log_visit", {"opportunity": {"id": 7}}), ToolResult("log_visit", {"opportunity": None}),
               ToolResult("update_opportunity", {"opportunity": {"id": 9}}), ToolResult("create_quote", {"id": 3})]
    assert touched_deals(results) == {7, 9}


def _say(loop, text: str, n: int, choice: str | None = None):
    return loop.handle_sync(IncomingMessage(platform="test", chat_id="c1", external_user_id="u1",
                                            message_id=f"m{n}", text=text, choice=choice))


def test_a_confirmed_visit_is_indexed_after_commit_and_gets_a_hint(fresh, clock):
    settings, engine = fresh
    script = ScriptedEngine()
    script.add("拜访蓝海", [{"name": "log_visit", "args": {"account": "蓝海数据", "summary": "和黄磊聊了雪豹项目的需求"}}])
    app = build_app(settings, clock=clock, engine=script, db=engine, run_migrations=False)
    with session_scope(engine) as session:
        link(1, "test", "u1", chat_id="c1", session=session, now=clock())
    loop = ConversationLoop(app)
    card = _say(loop, "拜访蓝海", 1).replies[-1]
    confirm = next(c.id for c in card.choices if c.id.endswith(":confirm"))
    reply = _say(loop, "", 2, choice=confirm).replies[-1].text
    assert reply.splitlines()[-1].startswith("💡 相似的赢单在评估阶段做了现场演示后推进了 [#")
    service.wait_idle()
    hits = service.require(settings).retriever("bm25").search("雪豹", None, 3)
    assert [h.deal_id for h in hits] == [104]


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    from storage.config import Settings
    from storage.db import make_engine, migrate
    from storage.fixture import import_fixture
    from tests.knowledge.data import FIXTURE

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        import_fixture(FIXTURE, session=session)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "kb"))
    monkeypatch.chdir(tmp_path)
    yield Settings(_env_file=None, database_url=url, knowledge_dir=str(tmp_path / "kb"))
    service.forget_open()


def test_the_command_line_rebuilds_and_suggests(cli_env, capsys):
    assert main(["suggest", "--as", "1", "--account", "蓝海数据"]) == 0
    rules = capsys.readouterr().out
    assert rules.startswith("💡 蓝海数据") and "#101" not in rules
    assert main(["knowledge", "status"]) == 1
    assert "knowledge rebuild" in capsys.readouterr().out
    assert main(["knowledge", "rebuild"]) == 0
    assert "indexed 8 deals" in capsys.readouterr().out
    assert main(["knowledge", "rebuild", "--if-missing"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["suggest", "--as", "1", "--account", "蓝海", "--question", "客户嫌贵怎么办"]) == 0
    answer = capsys.readouterr().out
    assert answer.startswith("💡 蓝海数据「客户服务中台二期」（评估）") and "[#" in answer
    assert "三年合同" in answer  # the price objection asked about, answered from deal 102
    assert main(["suggest", "--as", "1", "--account", "不存在的公司"]) == 1
    assert capsys.readouterr().out.strip()


def test_without_an_index_the_rules_answer_says_once_how_to_build_one(built, tmp_path):
    from sqlmodel import Session

    from bot.render_results import render_result
    from storage.models import User
    from tools.base import ToolContext, get_tool

    settings, engine = built
    without = settings.model_copy(update={"knowledge_dir": str(tmp_path / "none")})
    with Session(engine) as session:
        ctx = ToolContext(user=session.get(User, 1), session=session, settings=without)
        first = get_tool("suggest_next_steps").run(ctx, {"account": "蓝海数据"})
        again = get_tool("suggest_next_steps").run(ctx, {"account": "蓝海数据"})
    assert first.data["index_note"] == "missing" and "index_note" not in again.data
    text = render_result(first, "zh")
    assert text.splitlines()[-1].startswith("ℹ️") and "salesbot knowledge rebuild" in text
    assert "salesbot knowledge rebuild" not in render_result(again, "zh")
    off = settings.model_copy(update={"knowledge_dir": str(tmp_path / "off"), "knowledge_enabled": False})
    with Session(engine) as session:
        ctx = ToolContext(user=session.get(User, 2), session=session, settings=off)
        assert "index_note" not in get_tool("suggest_next_steps").run(ctx, {"account": "Initech"}).data


def test_the_bot_builds_a_missing_index_in_the_background_when_there_are_closed_deals(cli_env):
    from bot.app import build_app
    from bot.knowledge_sync import warm_up_knowledge
    from storage.db import make_engine
    from tests.fakes.engines import ScriptedEngine

    settings = cli_env
    assert service.unavailable_reason(settings) is not None
    app = build_app(settings, engine=ScriptedEngine(), db=make_engine(settings.database_url), run_migrations=False)
    warm_up_knowledge(app, rebuild_after_s=0)
    assert service.unavailable_reason(settings) is None
    knowledge = service.require(settings)
    assert knowledge.index.count() > 8 and knowledge.index.embedder.loaded
    app.db.dispose()


def test_with_knowledge_off_the_warm_up_returns_at_once_so_the_next_start_up_task_does_not_wait(cli_env):
    import time

    from bot.app import build_app
    from bot.knowledge_sync import warm_up_knowledge
    from storage.db import make_engine
    from tests.fakes.engines import ScriptedEngine

    off = cli_env.model_copy(update={"knowledge_enabled": False})
    app = build_app(off, engine=ScriptedEngine(), db=make_engine(off.database_url), run_migrations=False)
    started = time.monotonic()
    warm_up_knowledge(app, rebuild_after_s=30)
    assert time.monotonic() - started < 5  # it would have slept the 30 s before looking for an index
    assert service.unavailable_reason(off) == "KNOWLEDGE_ENABLED is off"
    app.db.dispose()


def test_no_index_is_built_for_a_crm_without_closed_deals(tmp_path):
    from storage.config import Settings
    from storage.db import make_engine, migrate

    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'empty.db'}",
                        knowledge_dir=str(tmp_path / "kb"))
    engine = make_engine(settings.database_url)
    migrate(engine)
    assert service.rebuild_if_missing(settings, engine) is False
    assert not service.warm_up(settings)
    engine.dispose()


def test_stalled_deals_get_a_line_of_advice_in_the_morning_brief(built, tmp_path):
    from sqlmodel import Session

    from bot.scheduler.nudges import advice_for_stalled
    from storage.models import User
    from tools.base import ToolContext

    settings, engine = built
    with Session(engine) as session:
        ctx = ToolContext(user=session.get(User, 1), session=session, settings=settings)
        [line] = advice_for_stalled(ctx, [104])
        assert line.startswith("💡 蓝海数据：") and "[#" in line
        without = settings.model_copy(update={"knowledge_dir": str(tmp_path / "none")})
        ctx = ToolContext(user=session.get(User, 1), session=session, settings=without)
        assert advice_for_stalled(ctx, [104]) == []


def test_loading_the_model_prints_nothing(tmp_path):
    """A console chat shows whatever the process writes: no progress bar, no library warning."""
    import os
    import subprocess
    import sys

    code = ("from knowledge.embedder import embedder_for\n"
            "e = embedder_for('packaged:all-MiniLM-L6-v2'); e.load(); e.embed_documents(['a b c']); "
            "e.embed_query('price')\n")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("TQDM_DISABLE", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
