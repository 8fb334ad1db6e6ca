from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage.db import make_engine, migrate, session_scope
from storage.models import Account, Opportunity, ProcessedMessage, User


def test_sqlite_connections_have_wal_foreign_keys_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_migrations_are_idempotent_and_create_every_table(engine):
    migrate(engine)
    names = set(sa.inspect(engine).get_table_names())
    assert {"user", "account", "contact", "visit", "opportunity", "stagechange", "quote", "approvalrule",
            "reminder", "auditlog", "processedmessage", "draft", "chatidentity", "alembic_version"} <= names


def test_money_is_exact_and_datetimes_come_back_aware(engine):
    at = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    with session_scope(engine) as s:
        u = User(name="r", created_at=at)
        s.add(u)
        s.flush()
        a = Account(name="A", owner_id=u.id)
        s.add(a)
        s.flush()
        s.add(Opportunity(account_id=a.id, name="d", owner_id=u.id, amount=Decimal("1234567.89")))
    with session_scope(engine) as s:
        opp = s.exec(select(Opportunity)).one()
        assert opp.amount == Decimal("1234567.89")
        user = s.exec(select(User)).one()
        assert user.created_at == at and user.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(engine):
    with pytest.raises(Exception):
        with session_scope(engine) as s:
            s.add(User(name="r", created_at=datetime(2026, 1, 1)))


def test_stage_outside_the_five_is_refused_by_the_database(engine):
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            u = User(name="r")
            s.add(u)
            s.flush()
            a = Account(name="A", owner_id=u.id)
            s.add(a)
            s.flush()
            s.execute(sa.text("INSERT INTO opportunity (account_id, name, stage, currency, owner_id, created_at, updated_at) "
                              "VALUES (:a, 'x', 'closing', 'CNY', :u, :t, :t)"),
                      {"a": a.id, "u": u.id, "t": datetime(2026, 1, 1)})


def test_processed_message_is_unique_per_platform_chat_and_id(engine):
    with session_scope(engine) as s:
        s.add(ProcessedMessage(platform="telegram", chat_id="1", message_id="5"))
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            s.add(ProcessedMessage(platform="telegram", chat_id="1", message_id="5"))
    with session_scope(engine) as s:
        s.add(ProcessedMessage(platform="telegram", chat_id="2", message_id="5"))


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            s.add(Account(name="orphan", owner_id=424242))


def test_the_quick_head_check_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    from storage.db import _head_revision, alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert _head_revision() == script.get_current_head()


def test_an_up_to_date_database_is_recognized_without_alembic(engine):
    from storage.db import _current_revision, _head_revision

    assert _current_revision(engine) == _head_revision()
