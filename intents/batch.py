"""Batch parsing for evaluation (`salesbot parse --fixture F --batch CASES`).

The fixture is loaded once into an in-memory SQLite database, the name Directory is built once,
and each case `{"id", "now", "user", "text"}` is parsed as its user at its `now` (wall-clock in the
fixture's timezone, or the user's own). Yields `{"id", "calls"}` per case, in order.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from intents.base import IntentEngine, ParseContext, UserInfo


def parse_batch(fixture: dict, cases: Iterable[dict], engine: IntentEngine | None = None) -> Iterator[dict]:
    from sqlmodel import select

    from storage.db import make_engine, migrate, session_scope
    from storage.fixture import import_fixture
    from storage.models import User
    from storage.names import load_directory

    if engine is None:
        from intents.rules import RulesEngine

        engine = RulesEngine()
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
        yield {"id": case.get("id"), "calls": parse.to_json()}
