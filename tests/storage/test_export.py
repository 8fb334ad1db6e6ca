"""Exports for BI/ERP tools: parseable JSONL and CSV, right rows and fields, exact money (contract
attachments included)."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from storage.db import session_scope
from storage.demo import load_demo
from storage.export import COLUMNS, KINDS, ExportError, export_rows, write_export
from storage.models import (
    Account, Attachment, Contact, Lead, LeadEvent, Opportunity, Quote, Reminder, User, Visit, VisitContact,
)

MODELS = {"visits": Visit, "opportunities": Opportunity, "quotes": Quote, "reminders": Reminder,
          "accounts": Account, "contacts": Contact, "attachments": Attachment,
          "leads": Lead}
DATE_COLUMNS = {"occurred_on", "next_step_due", "expected_close", "closed_on", "signed_on"}
TIME_COLUMNS = {"created_at", "updated_at", "requested_at", "decided_at", "due_at", "delivered_at", "uploaded_at"}


@pytest.fixture
def crm_plus(crm):
    """The eval fixture plus a reminder, a deal with cents and a lead, so every kind has rows to check."""
    with session_scope(crm) as s:
        s.add(Reminder(user_id=1, account_id=1, text="回访李总", timezone="Asia/Shanghai",
                       due_at=datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))))
        s.add(Opportunity(account_id=12, name="Odd figure", amount=Decimal("1234567.89"), currency="USD",
                          owner_id=4))
        s.add(Attachment(sha256="ab" * 32, mime="image/jpeg", bytes=52000, pages=1, name="IMG_1187.jpg",
                         account_id=1, opportunity_id=1, uploaded_by=1,
                         uploaded_at=datetime(2026, 11, 25, 2, 0, tzinfo=ZoneInfo("UTC")),
                         fields={"contract_no": "LJ-2026-1187", "amount": "800000.00", "currency": "CNY",
                                 "signed_on": "2026-11-20"}))
        lead = Lead(company="远航物流", company_key="远航物流", sources=["展会", "官网"], owner_id=1, status="assigned",
                    assigned_at=datetime(2026, 11, 25, 2, 0, tzinfo=ZoneInfo("UTC")))
        s.add(lead)
        s.flush()
        s.add(LeadEvent(lead_id=lead.id, at=lead.assigned_at, action="assigned", from_status="new",
                        to_status="assigned", owner_id=1))
    return crm


def _jsonl(kind: str, engine) -> list[dict]:
    out = io.StringIO()
    with session_scope(engine) as s:
        written = write_export(kind, "jsonl", out, session=s)
    lines = out.getvalue().splitlines()
    assert written == len(lines)
    return [json.loads(line) for line in lines]


def _csv(kind: str, engine) -> tuple[list[str], list[dict]]:
    out = io.StringIO(newline="")
    with session_scope(engine) as s:
        written = write_export(kind, "csv", out, session=s)
    reader = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    rows = list(reader)
    assert written == len(rows)
    return list(reader.fieldnames or []), rows


def _count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize("kind", KINDS)
def test_jsonl_has_one_typed_record_per_row(crm_plus, kind):
    rows = _jsonl(kind, crm_plus)
    assert len(rows) == _count(crm_plus, MODELS[kind]) > 0
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    for row in rows:
        assert tuple(row) == COLUMNS[kind]
        for column in DATE_COLUMNS & row.keys():
            if row[column] is not None:
                date.fromisoformat(row[column])
        for column in TIME_COLUMNS & row.keys():
            if row[column] is not None:
                assert datetime.fromisoformat(row[column]).utcoffset() is not None


@pytest.mark.parametrize("kind", KINDS)
def test_csv_has_a_header_and_one_line_per_row(crm_plus, kind):
    header, rows = _csv(kind, crm_plus)
    assert tuple(header) == COLUMNS[kind]
    assert len(rows) == _count(crm_plus, MODELS[kind])
    assert [int(r["id"]) for r in rows] == [r["id"] for r in _jsonl(kind, crm_plus)]


def test_names_sit_next_to_ids(crm_plus):
    with session_scope(crm_plus) as s:
        users = {u.id: u.name for u in s.exec(select(User)).all()}
        accounts = {a.id: a.name for a in s.exec(select(Account)).all()}
        opportunities = {o.id: o.name for o in s.exec(select(Opportunity)).all()}
        attendees = {}
        for link, name in s.exec(select(VisitContact, Contact.name).join(Contact)).all():
            attendees.setdefault(link.visit_id, []).append(name)
    for visit in _jsonl("visits", crm_plus):
        assert visit["account_name"] == accounts[visit["account_id"]]
        assert visit["rep_name"] == users[visit["rep_id"]]
        assert visit["opportunity_name"] == opportunities.get(visit["opportunity_id"])
        assert sorted(visit["contacts"]) == sorted(attendees.get(visit["id"], []))
    for quote in _jsonl("quotes", crm_plus):
        assert quote["requested_by_name"] == users[quote["requested_by"]]
        assert quote["account_name"] == accounts[quote["account_id"]]
    for opp in _jsonl("opportunities", crm_plus):
        assert opp["owner_name"] == users[opp["owner_id"]]
    reminder = _jsonl("reminders", crm_plus)[0]
    assert (reminder["user_name"], reminder["account_name"]) == (users[1], accounts[1])
    assert reminder["due_at"] == "2026-11-26T01:00:00+00:00"


def test_lists_are_lists_in_jsonl_and_joined_in_csv(crm_plus):
    by_id = {r["id"]: r for r in _jsonl("accounts", crm_plus)}
    _, rows = _csv("accounts", crm_plus)
    several = [r for r in rows if len(by_id[int(r["id"])]["contacts"]) > 1]
    assert several
    for row in several:
        record = by_id[int(row["id"])]
        assert row["contacts"] == "; ".join(record["contacts"])
        assert row["aliases"] == "; ".join(record["aliases"])


def test_amounts_and_discounts_round_trip_exactly(crm_plus):
    with session_scope(crm_plus) as s:
        amounts = {o.id: o.amount for o in s.exec(select(Opportunity)).all()}
        discounts = {q.id: (q.amount, Decimal(str(q.discount_pct))) for q in s.exec(select(Quote)).all()}
    assert Decimal("1234567.89") in amounts.values()
    for row in _jsonl("opportunities", crm_plus):
        assert isinstance(row["amount"], str | None)
        assert (Decimal(row["amount"]) if row["amount"] else None) == amounts[row["id"]]
    _, rows = _csv("opportunities", crm_plus)
    assert {int(r["id"]): Decimal(r["amount"]) for r in rows if r["amount"]} == {
        k: v for k, v in amounts.items() if v is not None}
    for row in _jsonl("quotes", crm_plus):
        assert (Decimal(row["amount"]), Decimal(row["discount_pct"])) == discounts[row["id"]]
        assert row["currency"] in ("CNY", "USD", "EUR")


def test_csv_file_is_utf8_and_keeps_chinese(crm_plus, tmp_path):
    path = tmp_path / "accounts.csv"
    with path.open("w", encoding="utf-8", newline="") as out, session_scope(crm_plus) as s:
        write_export("accounts", "csv", out, session=s)
    text = path.read_bytes().decode("utf-8")
    assert "蓝鲸数据" in text and text.startswith("id,customer_code,name,aliases")


def test_csv_defuses_formulas_but_keeps_phone_numbers(crm_sqlite):
    with session_scope(crm_sqlite) as s:
        account = s.get(Account, 12)
        account.phone = "+1 415 555 0100"
        s.add(Visit(account_id=12, rep_id=4, occurred_on=date(2026, 11, 20),
                    summary='=HYPERLINK("http://evil.example","x")', next_step="-call back"))
    _, visits = _csv("visits", crm_sqlite)
    _, accounts = _csv("accounts", crm_sqlite)
    risky = visits[-1]
    assert risky["summary"].startswith("'=") and risky["next_step"] == "'-call back"
    assert next(a for a in accounts if a["id"] == "12")["phone"] == "+1 415 555 0100"
    assert _jsonl("visits", crm_sqlite)[-1]["summary"].startswith("=HYPERLINK")


def test_bad_kind_or_format_is_refused_before_writing(crm_sqlite):
    out = io.StringIO()
    with session_scope(crm_sqlite) as s:
        with pytest.raises(ExportError, match="unknown export kind 'deals'"):
            write_export("deals", "csv", out, session=s)
        with pytest.raises(ExportError, match="unknown export format 'xlsx'"):
            write_export("visits", "xlsx", out, session=s)
        with pytest.raises(ExportError, match="unknown export kind"):
            export_rows("deals", session=s)
    assert out.getvalue() == ""


def test_the_whole_demo_exports_across_batches(sqlite_engine):
    with session_scope(sqlite_engine) as s:
        counts = load_demo(session=s, today=date(2026, 11, 25))
    assert counts["visits"] > 500  # more than one keyset page
    for kind in KINDS:
        rows = _jsonl(kind, sqlite_engine)
        assert len(rows) == counts.get(kind, _count(sqlite_engine, MODELS[kind]))
        assert len({r["id"] for r in rows}) == len(rows)
    visits = _jsonl("visits", sqlite_engine)
    assert all(v["contacts"] and v["account_name"] and v["rep_name"] for v in visits)
