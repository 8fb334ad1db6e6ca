"""`salesbot accounts merge|unmerge` on a real database: a dry run writes nothing, --json has the
documented shape, the round trip restores the duplicate, and a rep gets one line of refusal."""
from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from bot.cli import main
from storage.models import Account, Contact, Opportunity


@pytest.fixture
def cli_db(app, monkeypatch):
    if app.db.dialect.name != "sqlite":
        pytest.skip("the command line reads DATABASE_URL; the SQLite run covers it")
    monkeypatch.setenv("DATABASE_URL", app.db.url.render_as_string(hide_password=False))
    with Session(app.db) as session:
        dup = Account(name="青松制药有限公司", owner_id=1, region="上海")
        session.add(dup)
        session.flush()
        session.add_all([Contact(account_id=dup.id, name="钱经理"), Opportunity(account_id=dup.id, name="二期", owner_id=1)])
        session.commit()
        return app.db, dup.id, dup.customer_code


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_dry_run_then_merge_then_unmerge(cli_db, capsys):
    db, dup_id, code = cli_db
    assert main(["accounts", "merge", "青松", code, "--as", "张伟", "--dry-run", "--json"]) == 0
    preview = _json(capsys)
    assert preview["merge_id"] is None and preview["moved"]["contacts"] == 1 and preview["moved"]["opportunities"] == 1
    assert set(preview) >= {"merge_id", "moved", "conflicts"}
    assert {"field": "region", "keep": "苏州", "merge": "上海"} in preview["conflicts"]
    with Session(db) as session:
        assert session.get(Account, dup_id).merged_into_id is None  # nothing written

    assert main(["accounts", "merge", "3", str(dup_id), "--as", "3", "--json"]) == 0
    done = _json(capsys)
    assert done["moved"] == preview["moved"] and done["merge_id"] > 0
    with Session(db) as session:
        kept = session.get(Account, 3)
        assert session.get(Account, dup_id).merged_into_id == 3 and code in kept.aliases and kept.region == "苏州"

    assert main(["accounts", "unmerge", str(done["merge_id"]), "--as", "3"]) == 0
    assert "C0000" in capsys.readouterr().out
    with Session(db) as session:
        assert session.get(Account, dup_id).merged_into_id is None
        assert session.exec(select(Opportunity).where(Opportunity.account_id == dup_id)).one().name == "二期"


def test_a_rep_is_refused_in_one_line(cli_db, capsys):
    _, dup_id, _ = cli_db
    assert main(["accounts", "merge", "3", str(dup_id), "--as", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("salesbot: ") and "经理" in err and "\n" not in err


def test_text_output_names_both_accounts_and_what_moved(cli_db, capsys):
    _, dup_id, code = cli_db
    assert main(["accounts", "merge", "3", str(dup_id), "--as", "3", "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "青松制药有限公司" in text and code in text and "商机 1" in text
