"""merge_accounts / unmerge_accounts: a duplicate's rows move to the account kept, the same person's
contacts become one, one audit entry records it, and undoing it from that entry puts everything back
as it was (every column but the `updated_at` sync stamps)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa

from storage.models import (
    Account, Attachment, AuditLog, Contact, Lead, Opportunity, Quote, Reminder, Visit, VisitContact,
)
from tools.base import all_tools, get_tool
from tools.resolve import find_account

DUP = 60


def _add_duplicate(runner) -> dict[str, int]:
    """A second 青松 (rep 1's account 3) with a contact, a deal, a visit, a quote, a reminder and a
    contract file."""
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
        attachment = Attachment(sha256="cd" * 32, mime="image/jpeg", bytes=1000, account_id=DUP,
                                opportunity_id=deal.id, uploaded_by=1, uploaded_at=at)
        lead = Lead(company="青松制药有限公司", contact="钱经理", account_id=DUP, contact_id=contact.id, source="官网")
        session.add_all([visit, quote, reminder, attachment, lead])
        session.flush()
        if session.get_bind().dialect.name == "postgresql":
            session.exec(sa.text("SELECT setval(pg_get_serial_sequence('account', 'id'), 100, false)"))
        return {"contacts": contact.id, "opportunities": deal.id, "visits": visit.id, "quotes": quote.id,
                "reminders": reminder.id, "attachments": attachment.id, "leads": lead.id}


MODELS = {"contacts": Contact, "opportunities": Opportunity, "visits": Visit, "quotes": Quote, "reminders": Reminder,
          "attachments": Attachment, "leads": Lead}


def _account_of(runner, kind: str, row_id: int) -> int:
    with runner.session() as session:
        return session.get(MODELS[kind], row_id).account_id


def _snapshot(runner) -> dict[str, list[dict]]:
    """Every row of every table a merge touches, without the sync stamps."""
    out = {}
    with runner.session() as session:
        for model in (Account, Contact, Visit, VisitContact, Opportunity, Quote, Reminder, Lead):
            rows = session.execute(sa.select(model.__table__)).mappings().all()
            out[model.__name__] = sorted(({k: v for k, v in r.items() if k != "updated_at"} for r in rows), key=repr)
    return out


def test_merge_moves_every_row_and_can_be_undone(runner):
    moved = _add_duplicate(runner)
    result = runner.run(3, "merge_accounts", keep=3, merge=DUP)
    assert result.data["moved"] == {k: 1 for k in MODELS}
    assert result.data["aliases_added"] == ["青松制药有限公司", "青松药业", f"C{DUP:06d}"]
    assert result.data["filled"] == ["phone"] and result.data["merge_id"] > 0
    for kind, row_id in moved.items():
        assert _account_of(runner, kind, row_id) == 3
    with runner.session() as session:
        kept = session.get(Account, 3)
        assert session.get(Account, DUP).merged_into_id == 3 and kept.phone == "021-5555-0101"
        assert find_account(runner.context(session, 1), "青松药业").id == 3  # the duplicate's names still resolve
    [entry] = runner.audits(AuditLog.action == "merge")
    assert entry.actor_id == 3 and entry.entity_id == DUP and entry.id == result.data["merge_id"]

    undone = runner.run(3, "unmerge_accounts", audit_id=entry.id)
    assert undone.data["returned"] == {k: 1 for k in MODELS}
    for kind, row_id in moved.items():
        assert _account_of(runner, kind, row_id) == DUP
    with runner.session() as session:
        kept = session.get(Account, 3)
        assert session.get(Account, DUP).merged_into_id is None
        assert kept.phone is None and "青松药业" not in kept.aliases and kept.aliases == ["青松"]
    assert runner.outcome(3, "unmerge_accounts", audit_id=entry.id) == "merge_already_undone"


def test_the_same_person_becomes_one_contact_and_the_round_trip_restores_every_row(runner):
    """青松's 赵主任 is also the duplicate's contact (with a phone the kept one lacks and a title that
    differs): after the merge one 赵主任 carries both visits; unmerging restores the exact rows."""
    _add_duplicate(runner)
    with runner.session() as session:
        zhao = session.exec(sa.select(Contact).where(Contact.account_id == 3)).scalars().first()
        zhao.title = "主任"
        twin = Contact(account_id=DUP, name=zhao.name, aliases=["老赵"], title="副主任", phone="13900001111")
        session.add_all([zhao, twin])
        session.flush()
        visit = Visit(account_id=DUP, rep_id=1, occurred_on=date(2026, 11, 21), summary="和赵主任过方案")
        session.add(visit)
        session.flush()
        session.add(VisitContact(visit_id=visit.id, contact_id=twin.id))
        session.add(Lead(company="青松制药", contact=twin.name, account_id=DUP, contact_id=twin.id, source="展会"))
        zhao_id, twin_id, visit_id = zhao.id, twin.id, visit.id
    before = _snapshot(runner)
    result = runner.run(3, "merge_accounts", keep="青松", merge=f"C{DUP:06d}")
    assert result.data["contacts_merged"] == [{"name": "赵主任", "into": "赵主任"}] or \
        result.data["contacts_merged"][0]["into"] == result.data["contacts_merged"][0]["name"]
    assert {"field": "contact.title", "contact": result.data["contacts_merged"][0]["into"], "keep": "主任",
            "merge": "副主任"} in result.data["conflicts"]
    with runner.session() as session:
        assert session.get(Contact, twin_id) is None
        kept = session.get(Contact, zhao_id)
        assert kept.phone == "13900001111" and "老赵" in kept.aliases and kept.title == "主任"
        assert session.get(VisitContact, (visit_id, zhao_id)) is not None
    runner.run(3, "unmerge_accounts", audit_id=result.data["merge_id"])
    assert _snapshot(runner) == before


def test_conflicting_fields_are_listed_and_the_kept_value_stays(runner):
    _add_duplicate(runner)
    with runner.session() as session:
        session.get(Account, 3).phone = "021-6666-0000"
        session.get(Account, DUP).industry = "医疗"
        session.get(Account, 3).industry = "医药"
    result = runner.run(3, "merge_accounts", keep=3, merge=DUP)
    assert {"field": "industry", "keep": "医药", "merge": "医疗"} in result.data["conflicts"]
    assert {"field": "phone", "keep": "021-6666-0000", "merge": "021-5555-0101"} in result.data["conflicts"]
    with runner.session() as session:
        assert session.get(Account, 3).industry == "医药"


def test_when_the_user_did_not_say_which_stays_the_one_with_more_history_does(runner):
    _add_duplicate(runner)
    result = runner.run(3, "merge_accounts", keep=DUP, merge=3, pick_keep=True)
    assert result.data["kept"]["id"] == 3 and result.data["merged"]["id"] == DUP


def test_rows_changed_after_the_merge_stay_where_they_were_put(runner):
    moved = _add_duplicate(runner)
    runner.run(3, "merge_accounts", keep=3, merge=DUP)
    with runner.session() as session:
        session.get(Contact, moved["contacts"]).account_id = 1
    [entry] = runner.audits(AuditLog.action == "merge")
    assert runner.run(3, "unmerge_accounts", audit_id=entry.id).data["returned"]["contacts"] == 0
    assert _account_of(runner, "contacts", moved["contacts"]) == 1


def test_who_may_merge(runner):
    _add_duplicate(runner)
    assert runner.outcome(1, "merge_accounts", keep=3, merge=DUP) == "merge_needs_manager"  # a rep, own accounts
    assert runner.outcome(4, "merge_accounts", keep=3, merge=DUP) == "merge_needs_manager"
    assert runner.outcome(5, "merge_accounts", keep=3, merge=DUP) == "account_not_found"  # another team's: nothing named
    assert runner.outcome(3, "merge_accounts", keep=3, merge=3) == "merge_same_account"
    assert runner.outcome(3, "merge_accounts", keep=3, merge=999) == "account_not_found"
    assert runner.outcome(3, "unmerge_accounts", audit_id=999) == "merge_not_found"
    assert runner.outcome(7, "merge_accounts", keep=3, merge=DUP) == "ok"  # an admin
    merged = runner.run(3, "merge_accounts", keep=3, merge=DUP)
    assert runner.outcome(1, "unmerge_accounts", audit_id=merged.data["merge_id"]) == "merge_needs_manager"


def test_merge_is_not_offered_to_the_engines_but_runs_by_name():
    assert "merge_accounts" not in all_tools() and "unmerge_accounts" not in all_tools()
    assert get_tool("merge_accounts").writes and not get_tool("merge_accounts").offered
