"""Shared fixtures: real databases (SQLite, and PostgreSQL when it can be started), the eval
fixture loaded into them, a fixed clock, and a guard that fails any real network call."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from storage.config import Settings
from storage.db import make_engine, migrate, session_scope
from storage.fixture import import_fixture

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
FIXTURE_PATH = Path(os.environ.get("SALESBOT_FIXTURE", SHARED_EVAL / "fixture.json"))
if not FIXTURE_PATH.exists():
    FIXTURE_PATH = ROOT / "tests" / "data" / "fixture.json"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The eval's reference "now": Wednesday 2026-11-25 10:00 in Shanghai.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)


# --- no network ---------------------------------------------------------------------------

_real_connect = socket.socket.connect
_real_create_connection = socket.create_connection


def _is_local(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode()
    return isinstance(host, str) and (host in ("localhost", "::1", "") or host.startswith("127.")
                                      or host.startswith("/"))


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Any connection to a non-loopback address fails the test (LLM providers, Telegram, hubs)."""

    def guarded_connect(self, address):
        if self.family == socket.AF_UNIX or _is_local(address):
            return _real_connect(self, address)
        raise NetworkBlocked(f"test tried to reach {address!r}")

    def guarded_create_connection(address, *args, **kwargs):
        if _is_local(address):
            return _real_create_connection(address, *args, **kwargs)
        raise NetworkBlocked(f"test tried to reach {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    for var in ("LLM_MODEL", "LLM_API_KEY", "LLM_BASE_URL", "OPENAI_API_KEY", "DATABASE_URL", "ENGINE"):
        monkeypatch.delenv(var, raising=False)


# --- databases ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_url():
    """A throwaway PostgreSQL started by scripts/pg.sh (or SALESBOT_TEST_PG_URL if given)."""
    given = os.environ.get("SALESBOT_TEST_PG_URL")
    if given:
        yield given
        return
    if os.environ.get("SALESBOT_SKIP_PG") == "1":
        pytest.skip("SALESBOT_SKIP_PG=1")
    workdir = tempfile.mkdtemp(prefix="salesbot-pg-")
    try:
        out = subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "start", workdir],
                             check=True, capture_output=True, text=True, timeout=300)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL could not be started: {exc}")
    try:
        yield out.stdout.strip().splitlines()[-1]
    finally:
        try:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", workdir],
                           capture_output=True, timeout=300)
        except subprocess.TimeoutExpired:
            import warnings

            warnings.warn(f"PostgreSQL in {workdir} did not stop within 300 s; remove it by hand")


@pytest.fixture(scope="session")
def pg_schema_url(pg_url) -> str:
    """One PostgreSQL database migrated once for the session; tests empty it instead of making new
    databases (CREATE DATABASE copies megabytes each time and the run slows down)."""
    engine = make_engine(pg_url)
    migrate(engine)
    engine.dispose()
    return pg_url


def _empty_pg(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
        tables = [name for name in sa.inspect(conn).get_table_names() if name != "alembic_version"]
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    """An empty, migrated database: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        migrate(eng)
    else:
        url = request.getfixturevalue("pg_schema_url")
        _empty_pg(url)
        eng = make_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    """SQLite only, for tests about logic that does not depend on the database."""
    eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def fixture_data() -> dict:
    return json.loads(FIXTURE_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def crm(engine, fixture_data):
    """The eval fixture's CRM state in a fresh database (SQLite and PostgreSQL)."""
    with session_scope(engine) as session:
        import_fixture(fixture_data, session=session)
    return engine


@pytest.fixture
def crm_sqlite(sqlite_engine, fixture_data):
    with session_scope(sqlite_engine) as session:
        import_fixture(fixture_data, session=session)
    return sqlite_engine


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'settings.db'}")


class FakeClock:
    """A clock tests move by hand; nothing sleeps through real time."""

    def __init__(self, start: datetime = NOW) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> None:
        from datetime import timedelta

        self.current = self.current + timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def directory_reads(monkeypatch) -> list[int]:
    """Counts every full read of the name directory a tool context makes (`tools.resolve`)."""
    import tools.resolve as resolve

    reads: list[int] = []
    real = resolve.load_directory

    def counted(*, session):
        reads.append(1)
        return real(session=session)

    monkeypatch.setattr(resolve, "load_directory", counted)
    return reads
