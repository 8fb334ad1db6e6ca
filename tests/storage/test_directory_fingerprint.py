from datetime import timedelta

from storage.db import session_scope
from storage.models import Account, Opportunity, Stage
from storage.names import directory_fingerprint


def fingerprint(engine):
    with session_scope(engine) as s:
        return directory_fingerprint(session=s)


def test_fingerprint_moves_with_every_change_a_directory_reads(crm):
    first = fingerprint(crm)
    assert fingerprint(crm) == first
    with session_scope(crm) as s:
        s.add(Account(name="星河科技", owner_id=1))
    second = fingerprint(crm)
    assert second != first
    with session_scope(crm) as s:
        account = s.get(Account, 1)
        account.aliases = [*account.aliases, "鲸鱼"]
        account.updated_at = account.updated_at + timedelta(seconds=1)
    third = fingerprint(crm)
    assert third != second
    with session_scope(crm) as s:
        deal = s.get(Opportunity, 1)
        deal.stage, deal.updated_at = Stage.won, deal.updated_at + timedelta(seconds=1)
    assert fingerprint(crm) != third
