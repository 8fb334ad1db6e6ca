"""Running tools the way the bot does: one transaction per call, the acting user from the DB,
the fixed clock, settings without any .env."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from storage.config import Settings
from storage.db import session_scope
from storage.models import AuditLog, Role, User
from tools.base import ToolContext, ToolError, ToolResult, get_tool

ADMIN_ID = 7
COUNTED = ("account", "contact", "opportunity", "stagechange", "visit", "visitcontact", "quote",
           "reminder", "auditlog")


class ToolRunner:
    """Runs tools against a real database as a given user, each call in its own transaction."""

    def __init__(self, engine: sa.Engine, clock, settings: Settings) -> None:
        self.engine, self.clock, self.settings = engine, clock, settings

    def run(self, user_id: int, name: str, **args: Any) -> ToolResult:
        with session_scope(self.engine) as session:
            ctx = self.context(session, user_id)
            return get_tool(name).run(ctx, args)

    def outcome(self, user_id: int, name: str, **args: Any) -> str:
        """'ok' or the ToolError code; nothing is kept either way (the transaction is rolled back)."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                get_tool(name).run(self.context(session, user_id), args)
                return "ok"
            except ToolError as err:
                return err.code
            finally:
                session.rollback()

    def context(self, session: Session, user_id: int, source: str | None = None) -> ToolContext:
        user = session.get(User, user_id)
        return ToolContext(user=user, session=session, settings=self.settings, clock=self.clock,
                           source_message=source)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.engine) as session:
            yield session

    def all(self, model: type[SQLModel], *where) -> list:
        with session_scope(self.engine) as session:
            return list(session.exec(select(model).where(*where)).all())

    def audits(self, *where) -> list[AuditLog]:
        return sorted(self.all(AuditLog, *where), key=lambda a: a.id)

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in COUNTED}


@pytest.fixture
def tool_settings() -> Settings:
    return Settings(_env_file=None)


@pytest.fixture
def crm_admin(crm):
    """The eval fixture plus an admin (the fixture itself has none)."""
    with session_scope(crm) as session:
        session.add(User(id=ADMIN_ID, name="Grace Hopper", aliases=["Grace"], role=Role.admin,
                         language="en", timezone="Asia/Shanghai"))
        session.flush()
        if session.get_bind().dialect.name == "postgresql":
            session.exec(sa.text("SELECT setval(pg_get_serial_sequence('\"user\"', 'id'), 100, false)"))
    return crm


@pytest.fixture
def runner(crm_admin, clock, tool_settings) -> ToolRunner:
    return ToolRunner(crm_admin, clock, tool_settings)
