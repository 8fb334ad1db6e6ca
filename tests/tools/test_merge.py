"""merge_accounts / unmerge_accounts: a duplicate's rows move to the account kept, one audit entry
records it, and undoing it from that entry puts everything back."""
from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa

from storage.models import Account, AuditLog, Contact, Opportunity, Quote, Reminder, Visit
from tools.base import all_tools, get_tool
from tools.resolve import find_account

DUP = 60


def _add_duplicate(runner) -> dict[str, int]:
    """A second 青松 (rep 1's account 3) with a contact, a deal, a visit, a quote and a reminder."""
    at = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    with runner.session() as session:
        session.add(Account(id=DUP, name="青松制药有限公司", aliases=["青松药业"], owner_id=1, phone="021-5555-0101"))
        session.flush()
        contact = Contact(account_id=DUP, name="钱经理")
        deal = Opportunity(account_id=DUP, name="青松二期", owner_id=1)
        session.add_all([contact, deal])
        session.flush()
        visit = Visit(account_id=DUP, rep_id=1, occurred_on=date(2026, 11, 20), summary="初次拜访")
        quote = Quote(account_id=DUP, amount=1000, requested_by=1, requested_at=at)
        reminder = Reminder(account_id=DUP, user_id=1, text="回访钱经理", due_at=at)
        session.add_all([visit, quote, reminder])
        session.flush()
        if session.get_bind().dialect.name == "postgresql":
            session.exec(sa.text("SELECT setval(pg_get_serial_sequence('account', 'id'), 100, false)"))
        return {"contacts": contact.id, "opportunities": deal.id, "visits": visit.id, "quotes": quote.id,
                "reminders": reminder.id}


MODELS = {"contacts": Contact, "opportunities": Opportunity, "visits": Visit, "quotes": Quote, "reminders": Reminder}


def _account_of(runner, kind: str, row_id: int) -> int:
    with runner.session() as session:
        return session.get(MODELS[kind], row_id).account_id


def test_merge_moves_every_row_and_can_be_undone(runner):
    moved = _add_duplicate(runner)
    result = runner.run(3, "merge_accounts", keep=3, merge=DUP)
    assert result.data["moved"] == {k: 1 for k in MODELS}
    assert result.data["aliases_added"] == ["青松制药有限公司", "青松药业"] and result.data["filled"] == ["phone"]
    for kind, row_id in moved.items():
        assert _account_of(runner, kind, row_id) == 3
    with runner.session() as session:
        kept = session.get(Account, 3)
        assert session.get(Account, DUP).merged_into_id == 3 and kept.phone == "021-5555-0101"
        assert find_account(runner.context(session, 1), "青松药业").id == 3  # the duplicate's names still resolve
    [entry] = runner.audits(AuditLog.action == "merge")
    assert entry.actor_id == 3 and entry.entity_id == DUP

    undone = runner.run(3, "unmerge_accounts", audit_id=entry.id)
    assert undone.data["returned"] == {k: 1 for k in MODELS}
    for kind, row_id in moved.items():
        assert _account_of(runner, kind, row_id) == DUP
    with runner.session() as session:
        kept = session.get(Account, 3)
        assert session.get(Account, DUP).merged_into_id is None
        assert kept.phone is None and "青松药业" not in kept.aliases and kept.aliases == ["青松"]
    assert runner.outcome(3, "unmerge_accounts", audit_id=entry.id) == "merge_already_undone"


def test_rows_changed_after_the_merge_stay_where_they_were_put(runner):
    moved = _add_duplicate(runner)
    runner.run(1, "merge_accounts", keep=3, merge=DUP)
    with runner.session() as session:
        session.get(Contact, moved["contacts"]).account_id = 1
    [entry] = runner.audits(AuditLog.action == "merge")
    assert runner.run(1, "unmerge_accounts", audit_id=entry.id).data["returned"]["contacts"] == 0
    assert _account_of(runner, "contacts", moved["contacts"]) == 1


def test_who_may_merge(runner):
    _add_duplicate(runner)
    assert runner.outcome(4, "merge_accounts", keep=3, merge=DUP) == "account_not_found"  # another team's:
    assert runner.outcome(5, "merge_accounts", keep=3, merge=DUP) == "account_not_found"  # nothing named
    assert runner.outcome(2, "merge_accounts", keep=2, merge=DUP) == "not_your_account"
    assert runner.outcome(3, "merge_accounts", keep=3, merge=3) == "merge_same_account"
    assert runner.outcome(3, "merge_accounts", keep=3, merge=999) == "account_not_found"
    assert runner.outcome(3, "unmerge_accounts", audit_id=999) == "merge_not_found"
    assert runner.outcome(7, "merge_accounts", keep=3, merge=DUP) == "ok"


def test_merge_is_not_offered_to_the_engines_but_runs_by_name():
    assert "merge_accounts" not in all_tools() and "unmerge_accounts" not in all_tools()
    assert get_tool("merge_accounts").writes and not get_tool("merge_accounts").offered
