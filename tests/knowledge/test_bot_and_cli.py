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
