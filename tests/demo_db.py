"""The demo CRM in a migrated SQLite file, for tests that need a realistic history."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from storage.db import make_engine, migrate, session_scope
from storage.demo import load_demo


def demo_database(folder: Path, today: date, *, link_users: tuple[int, ...] = (), now=None) -> str:
    """The URL of a new SQLite database in `folder` holding the demo as of `today`; `link_users`
    are linked on the "test" platform as u<id> in chat<id>."""
    from bot.identity import link

    url = f"sqlite:///{folder / 'demo.db'}"
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        load_demo(session=session, today=today)
        for user_id in link_users:
            link(user_id, "test", f"u{user_id}", chat_id=f"chat{user_id}", session=session, now=now)
    engine.dispose()
    return url
