"""Batch parsing for evaluation (`salesbot parse --fixture F --batch CASES`).

The fixture is loaded once into an in-memory SQLite database, the name Directory is built once,
and each case `{"id", "now", "user", "text"}` is parsed as its user at its `now` (wall-clock in the
fixture's timezone, or the user's own). Yields `{"id", "calls", "confidence"}` per case, in order,
plus `"asked"` (the readings offered, each a list of calls) when the engine asked instead of
guessing: no calls, and alternatives to choose from.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from intents.base import IntentEngine, ParseContext, UserInfo
from storage.names import Directory


@dataclass(frozen=True)
class LoadedFixture:
    directory: Directory
    users: dict[int, UserInfo]


def load_fixture(fixture: dict) -> LoadedFixture:
    """The fixture's names (as a Directory) and users, through a throwaway in-memory database."""
    from sqlmodel import select

    from storage.db import make_engine, migrate, session_scope
    from storage.fixture import import_fixture
    from storage.models import User
    from storage.names import load_directory

    db = make_engine("sqlite://")
    try:
        migrate(db)
        with session_scope(db) as session:
            import_fixture(fixture, session=session)
        with session_scope(db) as session:
            directory = load_directory(session=session)
            users = {u.id: UserInfo(id=u.id, name=u.name, role=str(u.role), language=u.language,
                                    timezone=u.timezone, manager_id=u.manager_id)
                     for u in session.exec(select(User)).all()}
    finally:
        db.dispose()
    return LoadedFixture(directory, users)


def parse_batch(fixture: dict, cases: Iterable[dict], engine: IntentEngine | None = None) -> Iterator[dict]:
    if engine is None:
        from intents.rules import RulesEngine

        engine = RulesEngine()
    loaded = load_fixture(fixture)
    directory, users = loaded.directory, loaded.users
    fixture_tz = fixture.get("timezone", "Asia/Shanghai")
    currency = fixture.get("default_currency", "CNY")
    for case in cases:
        user = users.get(int(case["user"]))
        if user is None:
            raise ValueError(f"case {case.get('id')!r}: no user {case['user']!r} in the fixture")
        now = datetime.fromisoformat(str(case["now"]))
        if now.tzinfo is None:
            now = now.replace(tzinfo=ZoneInfo(fixture_tz))
        now = now.astimezone(ZoneInfo(user.timezone or fixture_tz))
        ctx = ParseContext(user=user, now=now, directory=directory, default_currency=currency)
        parse = engine.parse(str(case.get("text", "")), ctx)
        row = {"id": case.get("id"), "calls": parse.to_json(), "confidence": parse.confidence}
        if not parse.calls and parse.alternatives:
            row["asked"] = [[c.to_json() for c in alt.calls] for alt in parse.alternatives]
        yield row
