"""The scheduler against the eval fixture (users 1–5 linked on the "test" platform as chat1…chat5),
a fake clock and adapters that record what they were given."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.adapters import Outbox
from bot.messages import Reply
from bot.scheduler.runner import Scheduler
from storage.db import session_scope
from storage.models import Reminder, ReminderStatus, Role, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADMIN_ID = 7


class RecordingAdapter:
    """The adapter contract; `fail` makes every send raise, as a platform outage would."""

    platform = "test"

    def __init__(self) -> None:
        self.sent: list[tuple[str, Reply]] = []
        self.fail = False

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_id: str, reply: Reply) -> None:
        if self.fail:
            raise ConnectionError("platform down")
        self.sent.append((chat_id, reply))

    def to(self, chat_id: str) -> list[Reply]:
        return [r for c, r in self.sent if c == chat_id]

    def reminder_ids(self) -> list[int]:
        return [int(r.choices[0].id.split(":")[1]) for _, r in self.sent
                if r.choices and r.choices[0].id.startswith("r:")]


def local(day: str, hh_mm: str = "09:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{hh_mm}").replace(tzinfo=SHANGHAI)


def add_reminder(db, user_id: int, due: datetime, text: str = "回访李总", **kw) -> int:
    with session_scope(db) as session:
        row = Reminder(user_id=user_id, text=text, due_at=due, status=ReminderStatus.pending,
                       created_at=due - timedelta(days=1), **kw)
        session.add(row)
        session.flush()
        return row.id


def reminder(db, reminder_id: int) -> Reminder:
    with Session(db) as session:
        return session.get(Reminder, reminder_id)


def set_prefs(db, user_id: int, prefs: dict) -> None:
    with session_scope(db) as session:
        user = session.get(User, user_id)
        user.preferences = prefs
        session.add(user)


def tick(scheduler: Scheduler):
    return asyncio.run(scheduler.tick())


@pytest.fixture
def adapter() -> RecordingAdapter:
    return RecordingAdapter()


@pytest.fixture
def make_scheduler(app, adapter):
    def make(worker: str = "w1", target: RecordingAdapter | None = None, **kw) -> Scheduler:
        outbox = Outbox()
        outbox.register(target or adapter)
        return Scheduler(app, outbox, platforms=["test"], worker_id=worker, **kw)

    return make


@pytest.fixture
def scheduler(make_scheduler) -> Scheduler:
    return make_scheduler()


@pytest.fixture
def with_admin(app, clock):
    """An admin linked as chat7 (the fixture has none)."""
    from bot.identity import link

    with session_scope(app.db) as session:
        session.add(User(id=ADMIN_ID, name="Grace Hopper", role=Role.admin, language="en"))
        session.flush()
        link(ADMIN_ID, "test", "u7", chat_id="chat7", session=session, now=clock())
    return ADMIN_ID


def quiet_everyone_off(db) -> None:
    """Fixture users get no quiet hours, so a test about something else is not held back."""
    with session_scope(db) as session:
        for user in session.exec(select(User)).all():
            user.preferences = {**(user.preferences or {}), "quiet_hours": "off"}
            session.add(user)
