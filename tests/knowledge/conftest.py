"""A small CRM (`data.py`) in SQLite, indexed in a temporary folder with the real
packaged all-MiniLM-L6-v2 (HF_HUB_OFFLINE=1 comes from the autouse fixture in tests/conftest.py)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from knowledge import service
from storage.config import Settings
from storage.db import make_engine, migrate, session_scope
from storage.fixture import import_fixture
from tests.knowledge.data import FIXTURE

pytest.importorskip("jieba")
pytest.importorskip("sentence_transformers")
# Session fixtures load the model before the per-test network guard exists: stay offline anyway.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def build(folder: Path):
    """A migrated SQLite CRM with the test deals, its settings, and a built index."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(_env_file=None, database_url=f"sqlite:///{folder / 'crm.db'}",
                        knowledge_dir=str(folder / "knowledge"))
    engine = make_engine(settings.database_url)
    migrate(engine)
    with session_scope(engine) as session:
        import_fixture(FIXTURE, session=session)
    service.rebuild(settings, engine)
    return settings, engine


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Shared by tests that only read: (settings, engine) of an indexed CRM."""
    settings, engine = build(tmp_path_factory.mktemp("knowledge-shared"))
    yield settings, engine
    engine.dispose()


@pytest.fixture
def fresh(tmp_path):
    """A CRM and index of its own, for tests that write."""
    settings, engine = build(tmp_path / "kb")
    yield settings, engine
    service.wait_idle()
    service.forget_open()
    engine.dispose()


@pytest.fixture
def kb(built):
    return service.require(built[0])
