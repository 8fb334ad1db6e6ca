"""Every conversation script, played through the console adapter, the Telegram adapter (the real
PTB application against the fake Bot API server) and the Feishu adapter (against the fake open
platform), on the demo CRM."""
from __future__ import annotations

import shutil

import pytest
from sqlmodel import Session

from bot.app import build_app
from bot.identity import link
from storage.config import Settings
from storage.db import make_engine, migrate, session_scope
from storage.demo import load_demo
from storage.models import User
from tests.conversations.harness import (TODAY, Clock, ConsoleRun, FeishuRun, TelegramRun, ScriptEngine,
                                         all_scripts, play)
from tests.fakes.feishu_server import FakeFeishu
from tests.fakes.telegram_server import FakeBotApi

SCRIPTS = all_scripts()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo CRM for Friday 2026-12-04, built once; each script plays on a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with session_scope(engine) as session:
        load_demo(session=session, today=TODAY.date())
    engine.dispose()
    return path


def _app_factory(tmp_path, demo_template, script, clock):
    path = tmp_path / "chat.db"
    shutil.copy(demo_template, path)
    url = f"sqlite:///{path}"
    db = make_engine(url)
    engine = ScriptEngine(script.unsure, script.readings)

    def make_app():
        return build_app(Settings(_env_file=None, database_url=url, attachments_dir=tmp_path / "attachments"),
                         clock=clock, engine=engine, db=db, run_migrations=False, transcriber=None)
    return db, make_app


def _link(db, platform: str, user_id: int, external_id: str, chat_id: str) -> tuple[str, str]:
    with Session(db) as session:
        link(user_id, platform, external_id, chat_id=chat_id, session=session, now=TODAY)
        user = session.get(User, user_id)
        session.commit()
        return user.name, user.language


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.path.stem for s in SCRIPTS])
async def test_script_on_the_console(script, tmp_path, demo_template):
    clock = Clock()
    db, make_app = _app_factory(tmp_path, demo_template, script, clock)
    _link(db, "console", script.user, str(script.user), f"console:{script.user}")
    run = ConsoleRun(make_app, script.user, clock, files=tmp_path / "photos")
    await play(script, run)


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.path.stem for s in SCRIPTS])
async def test_script_on_telegram(script, tmp_path, demo_template):
    clock = Clock()
    db, make_app = _app_factory(tmp_path, demo_template, script, clock)
    telegram_id = 7000 + script.user
    name, lang = _link(db, "telegram", script.user, str(telegram_id), str(telegram_id))
    async with FakeBotApi() as api:
        run = TelegramRun(make_app, script.user, clock, api, telegram_id, name, lang)
        await run.start()
        try:
            await play(script, run)
        finally:
            await run.close()


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.path.stem for s in SCRIPTS])
async def test_script_on_feishu(script, tmp_path, demo_template):
    clock = Clock()
    db, make_app = _app_factory(tmp_path, demo_template, script, clock)
    open_id = f"ou_script{script.user}"
    name, _ = _link(db, "feishu", script.user, open_id, FakeFeishu.p2p_chat(open_id))
    async with FakeFeishu() as server:
        run = FeishuRun(make_app, script.user, clock, server, open_id, name)
        await run.start()
        try:
            await play(script, run)
        finally:
            await run.close()


def test_there_are_enough_scripts():
    assert len(SCRIPTS) >= 80
    assert len({s.name for s in SCRIPTS}) == len(SCRIPTS)


