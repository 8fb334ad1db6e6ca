"""Customer numbers: given on first save from the configured format, unique, numbered for existing
accounts by the migration, and refused at start when the format cannot make a number."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from storage import customer_codes
from storage.config import SettingsError, load_settings
from storage.db import alembic_config, make_engine, session_scope
from storage.models import Account


@pytest.fixture
def code_format():
    yield customer_codes.configure
    customer_codes.configure(customer_codes.DEFAULT_FORMAT)


def test_a_new_account_gets_its_number_in_the_same_flush(engine):
    with session_scope(engine) as session:
        account = Account(name="远航物流")
        session.add(account)
        session.flush()
        assert account.customer_code == f"C{account.id:06d}"
    with Session(engine) as session:
        assert session.exec(select(Account.customer_code)).one() == f"C{account.id:06d}"


def test_the_format_is_configurable_and_a_given_number_never_changes(engine, code_format):
    code_format("KH-{year}-{seq:05d}")
    with session_scope(engine) as session:
        account = Account(name="嘉禾农业", created_at=datetime(2025, 3, 1, tzinfo=timezone.utc))
        kept = Account(name="蓝鲸数据", customer_code="LEGACY-7")  # imported with its own number
        session.add_all([account, kept])
        session.flush()
        assert account.customer_code == f"KH-2025-{account.id:05d}"
        assert kept.customer_code == "LEGACY-7"
    code_format("X{seq}")
    with Session(engine) as session:
        assert session.get(Account, account.id).customer_code == f"KH-2025-{account.id:05d}"


def test_numbers_are_unique(engine):
    with session_scope(engine) as session:
        session.add(Account(name="甲", customer_code="C1"))
    with pytest.raises(sa.exc.IntegrityError), session_scope(engine) as session:
        session.add(Account(name="乙", customer_code="C1"))


@pytest.mark.parametrize("bad", ["C", "C{n:06d}", "C{seq:06x", "{seq}" + "x" * 60])
def test_a_format_that_cannot_make_a_number_fails_at_start_naming_the_variable(bad, monkeypatch):
    monkeypatch.setenv("CUSTOMER_CODE_FORMAT", bad)
    with pytest.raises(SettingsError) as err:
        load_settings(_env_file=None)
    assert str(err.value).startswith("CUSTOMER_CODE_FORMAT:") and "\n" not in str(err.value)


def test_the_migration_numbers_accounts_that_existed_before_it(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = alembic_config(str(eng.url))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004_web_console")
    with eng.begin() as conn:
        conn.execute(sa.text("INSERT INTO account (id, name, aliases, created_at, updated_at) VALUES "
                             "(7, '青松制药', '[]', '2024-05-01 00:00:00.000000', '2024-05-01 00:00:00.000000')"))
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with Session(eng) as session:
        assert session.get(Account, 7).customer_code == "C000007"
