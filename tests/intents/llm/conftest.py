from __future__ import annotations

from collections.abc import Callable

import pytest

from intents.base import ParseContext, Turn, UserInfo
from intents.llm.engine import LLMEngine
from storage.names import Directory, Entry
from tests.conftest import NOW
from tests.fakes.chat_models import ScriptedChatModel
from tests.fakes.engines import ScriptedEngine
from tools.base import all_tools


@pytest.fixture(scope="session")
def directory(fixture_data) -> Directory:
    """The eval fixture's names, as `load_directory` would snapshot them (no database needed)."""
    accounts, contacts, contact_id = [], [], 0
    for a in fixture_data["accounts"]:
        accounts.append(Entry("account", a["id"], a["name"], tuple(a.get("aliases", ())), owner_id=a.get("owner_id")))
        for c in a.get("contacts", []):
            contact_id += 1
            contacts.append(Entry("contact", contact_id, c["name"], tuple(c.get("aliases", ())), account_id=a["id"]))
    users = [Entry("user", u["id"], u["name"], tuple(u.get("aliases", ()))) for u in fixture_data["users"]]
    return Directory(accounts=accounts, contacts=contacts, users=users)


@pytest.fixture
def make_ctx(directory, fixture_data) -> Callable[..., ParseContext]:
    users = {u["id"]: u for u in fixture_data["users"]}

    def make(user_id: int = 1, history: tuple[tuple[str, str], ...] = ()) -> ParseContext:
        u = users[user_id]
        team = tuple(v["name"] for v in users.values() if v.get("manager_id") == user_id)
        return ParseContext(
            user=UserInfo(id=user_id, name=u["name"], role=u["role"], language=u.get("lang", "zh"),
                          timezone="Asia/Shanghai", manager_id=u.get("manager_id"), team=team),
            now=NOW, directory=directory, default_currency="CNY",
            history=tuple(Turn(role=r, text=t) for r, t in history))

    return make


@pytest.fixture
def rules() -> ScriptedEngine:
    """Stands in for the rules engine as the fallback: answers from a table, counts its parses."""
    engine = ScriptedEngine()
    engine.name = "rules"
    return engine


@pytest.fixture
def chat() -> ScriptedChatModel:
    return ScriptedChatModel()


@pytest.fixture
def llm(chat, rules) -> LLMEngine:
    return LLMEngine(chat, tools=all_tools(), fallback=rules, model_name="scripted:test")
