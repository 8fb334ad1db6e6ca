"""Engines and sessions.

SQLite gets WAL, a busy timeout and foreign keys on every connection; PostgreSQL is used as is.
The schema is created and upgraded only through Alembic (`migrate`), never `create_all`, so a
database made by tests is the same as one made in production.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for `url`; SQLite files get their folder created and pragmas set."""
    kwargs: dict = {"echo": echo}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        db_path = url.split("///", 1)[-1] if "///" in url else ""
        in_memory = db_path in ("", ":memory:") or "mode=memory" in url
        if in_memory:
            kwargs["poolclass"] = StaticPool
        else:
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(wal=not in_memory))
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    kwargs["pool_pre_ping"] = True
    return sa.create_engine(url, **kwargs)


def _sqlite_pragmas(*, wal: bool):
    def on_connect(dbapi_conn, _record):
        # pysqlite's own transaction handling is off so that BEGIN is ours (see below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if wal:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return on_connect


def _sqlite_begin_immediate(conn):
    # A deferred BEGIN that later writes fails with "database is locked" without waiting on
    # busy_timeout when another writer got in first; IMMEDIATE takes the write lock up front and
    # waits properly. Readers are not blocked under WAL.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (creates it on an empty database).

    A database already at the newest revision is recognized with one query, without importing
    Alembic, so starting the console stays fast."""
    if _current_revision(engine) == _head_revision():
        return
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w-]+|None)['\"]?", re.MULTILINE)


def _head_revision() -> str | None:
    """The single revision no other revision names as its parent; None if that is unclear."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        fields = dict(m.groups() for m in _REVISION.finditer(path.read_text(encoding="utf-8")))
        if "revision" not in fields:
            return None
        revisions.add(fields["revision"])
        parents.add(fields.get("down_revision"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except sa.exc.DBAPIError:
        return None
    return rows[0][0] if len(rows) == 1 else None
