"""The rules engine against the eval fixture's names, with no database: a Directory built the way
`load_directory` builds it, and a ParseContext factory at any user and time."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intents.base import Parse, ParseContext, UserInfo
from intents.rules import RulesEngine
from storage.names import Directory, Entry

SHANGHAI = ZoneInfo("Asia/Shanghai")


def directory_from(fixture: dict) -> Directory:
    accounts, contacts, contact_id = [], [], 0
    for a in fixture["accounts"]:
        accounts.append(Entry("account", a["id"], a["name"], tuple(a.get("aliases", ())), owner_id=a.get("owner_id")))
        for c in a.get("contacts", []):
            contact_id += 1
            contacts.append(Entry("contact", contact_id, c["name"], tuple(c.get("aliases", ())), account_id=a["id"]))
    users = [Entry("user", u["id"], u["name"], tuple(u.get("aliases", ()))) for u in fixture["users"]]
    deals = [Entry("opportunity", o["id"], o["name"], account_id=o["account_id"])
             for o in fixture.get("opportunities", []) if o.get("stage") not in ("won", "lost")]
    return Directory(accounts=accounts, contacts=contacts, users=users, opportunities=deals)


@pytest.fixture(scope="session")
def directory(fixture_data) -> Directory:
    return directory_from(fixture_data)


@pytest.fixture(scope="session")
def make_ctx(directory, fixture_data) -> Callable[..., ParseContext]:
    users = {u["id"]: u for u in fixture_data["users"]}

    def make(user_id: int = 1, now: str = "2026-11-25T10:00", *, within: Directory | None = None) -> ParseContext:
        u = users[user_id]
        return ParseContext(
            user=UserInfo(id=user_id, name=u["name"], role=u["role"], language=u.get("lang", "zh"),
                          timezone="Asia/Shanghai", manager_id=u.get("manager_id")),
            now=datetime.fromisoformat(now).replace(tzinfo=SHANGHAI),
            directory=within or directory, default_currency="CNY")

    return make


@pytest.fixture(scope="session")
def rules_engine() -> RulesEngine:
    return RulesEngine()


@pytest.fixture(scope="session")
def parse(rules_engine, make_ctx) -> Callable[..., Parse]:
    """parse(text, user=1, now=...) → Parse, as the rules engine answers it."""

    def run(text: str, user: int = 1, now: str = "2026-11-25T10:00", *, within: Directory | None = None) -> Parse:
        return rules_engine.parse(text, make_ctx(user, now, within=within))

    return run


@pytest.fixture(scope="session")
def calls(parse) -> Callable[..., list[dict]]:
    """calls(text, ...) → the contract's JSON calls."""

    def run(*args, **kwargs) -> list[dict]:
        return parse(*args, **kwargs).to_json()

    return run
