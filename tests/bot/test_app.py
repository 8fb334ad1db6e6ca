from bot.app import DIRECTORY_TTL_S, build_app
from storage.config import Settings
from storage.db import session_scope
from storage.models import Account
from tests.fakes.engines import ScriptedEngine


def test_directory_is_reused_until_names_change(crm_sqlite, clock, monkeypatch):
    import bot.app as app_module

    app = build_app(Settings(_env_file=None, database_url=str(crm_sqlite.url)), clock=clock,
                    engine=ScriptedEngine(), db=crm_sqlite, run_migrations=False)
    now = [1000.0]
    monkeypatch.setattr(app_module.time, "monotonic", lambda: now[0])
    first = app.directory()
    now[0] += DIRECTORY_TTL_S + 1
    assert app.directory() is first  # expired, but nothing changed: same snapshot, same name index
    with session_scope(crm_sqlite) as s:
        s.add(Account(name="星河科技", owner_id=1))
    assert app.directory() is first  # within the TTL another process's write is not looked for
    now[0] += DIRECTORY_TTL_S + 1
    fresh = app.directory()
    assert fresh is not first and any(e.name == "星河科技" for e in fresh.accounts)
