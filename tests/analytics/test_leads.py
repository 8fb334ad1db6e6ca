"""Lead analytics: conversion and hours to first contact by source and by rep, counted from the
leads' own history; and the value report's leads section."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from analytics.leads import lead_funnel
from analytics.quarters import Quarter
from analytics.report import render_html
from analytics.value import build_value_report
from storage.db import session_scope
from storage.models import Lead, LeadEvent
from tests.conftest import SHANGHAI

T0 = datetime(2026, 10, 12, 2, 0, tzinfo=timezone.utc)


def _lead(session, company: str, source: str, owner: int, status: str, contact_after_h: float | None) -> None:
    lead = Lead(company=company, company_key=company, source=source, sources=[source], owner_id=owner, status=status,
                assigned_at=T0, created_at=T0, updated_at=T0)
    session.add(lead)
    session.flush()
    session.add(LeadEvent(lead_id=lead.id, at=T0, action="created", to_status="new"))
    if contact_after_h is not None:
        session.add(LeadEvent(lead_id=lead.id, at=T0 + timedelta(hours=contact_after_h), action="contacted",
                              from_status="assigned", to_status="contacted", actor_id=owner))


def test_conversion_and_first_contact_by_source_and_rep(crm):
    with session_scope(crm) as session:
        _lead(session, "甲", "官网", 1, "converted", 2)
        _lead(session, "乙", "官网", 1, "contacted", 6)
        _lead(session, "丙", "展会", 2, "assigned", None)
        _lead(session, "丁", "展会", 2, "converted", 30)
        _lead(session, "戊", "展会", 2, "disqualified", 1)
    with session_scope(crm) as session:
        funnel = lead_funnel(session=session, start=T0 - timedelta(days=1), end=T0 + timedelta(days=1))
    out = funnel.as_json()
    assert out["total"] == {"key": "all", "leads": 5, "contacted": 4, "converted": 2, "disqualified": 1,
                            "conversion": 0.4, "first_contact_hours": 4.0}
    assert out["by_source"] == [
        {"key": "展会", "leads": 3, "contacted": 2, "converted": 1, "disqualified": 1, "conversion": 0.3333,
         "first_contact_hours": 15.5},
        {"key": "官网", "leads": 2, "contacted": 2, "converted": 1, "disqualified": 0, "conversion": 0.5,
         "first_contact_hours": 4.0}]
    assert [(r["key"], r["leads"], r["converted"]) for r in out["by_rep"]] == [("李娜", 3, 1), ("王磊", 2, 1)]


def test_the_value_report_shows_the_leads(crm):
    with session_scope(crm) as session:
        _lead(session, "甲", "官网", 1, "converted", 2)
        _lead(session, "乙", "门店", 2, "contacted", 5)
    with session_scope(crm) as session:
        report = build_value_report(session=session, quarter=Quarter(2026, 4), tz=SHANGHAI,
                                    today=datetime(2026, 11, 25).date())
    conversion = next(m for m in report.benefit if m.key == "lead_conversion")
    assert conversion.current == 0.5 and conversion.previous is None
    first = next(m for m in report.efficiency if m.key == "lead_first_contact_hours")
    assert first.current == 3.5
    html = render_html(report, "zh")
    assert 'id="leads"' in html and "线索转商机率" in html and "门店" in html and "王磊" in html
    assert "Lead to deal conversion" in render_html(report, "en")
