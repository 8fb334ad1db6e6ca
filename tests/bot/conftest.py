from __future__ import annotations

import itertools

import pytest

from bot.app import build_app
from bot.identity import link
from bot.loop import ConversationLoop
from bot.messages import IncomingMessage
from storage.config import Settings
from storage.db import session_scope
from tests.fakes.engines import ScriptedEngine

_ids = itertools.count(1)


@pytest.fixture
def engine_script() -> ScriptedEngine:
    return ScriptedEngine()


@pytest.fixture
def app(crm, clock, engine_script):
    settings = Settings(_env_file=None, database_url=str(crm.url))
    application = build_app(settings, clock=clock, engine=engine_script, db=crm, run_migrations=False)
    with session_scope(crm) as session:
        for user_id in (1, 2, 3, 4, 5):
            link(user_id, "test", f"u{user_id}", chat_id=f"chat{user_id}", session=session, now=clock())
    return application


@pytest.fixture
def loop(app) -> ConversationLoop:
    return ConversationLoop(app)


def message(user_id: int | str, text: str = "", *, choice: str | None = None, message_id: str | None = None,
            **kwargs) -> IncomingMessage:
    uid = str(user_id)
    return IncomingMessage(platform="test", chat_id=kwargs.pop("chat_id", f"chat{uid}"),
                           external_user_id=kwargs.pop("external_user_id", f"u{uid}"),
                           message_id=message_id or f"m{next(_ids)}", text=text, choice=choice, **kwargs)
