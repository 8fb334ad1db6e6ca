"""The value report's "duplicates found": duplicate-account pairs (the data-health finder) among the
accounts that existed, and were not yet merged away, at the quarter's end."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from analytics.quarters import Quarter
from analytics.report import render_html
from analytics.report_text import rt
from analytics.value import build_value_report
from storage.db import session_scope
from storage.models import Role
from tests.tools.builders import CrmBuilder

TZ = ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def test_a_known_duplicate_pair_is_reported_as_one_found(engine):
    with session_scope(engine) as session:
        build = CrmBuilder(session)
        rep = build.user("Adam", manager=build.user("Mia", Role.manager))
        build.account("星海科技有限公司", rep, created_at=at("2026-08-03"), updated_at=at("2026-08-03"))
        build.account("星海科技", rep, created_at=at("2026-10-12"), updated_at=at("2026-10-12"))
        build.account("Northstar Labs", rep, created_at=at("2026-08-03"), updated_at=at("2026-08-03"))
        kept = build.account("Acme Corporation", rep, created_at=at("2026-07-01"), updated_at=at("2026-07-01"))
        # a duplicate merged in Q4: still a pair at Q3's end, gone by Q4's
        build.account("Acme Corp", rep, created_at=at("2026-07-02"), updated_at=at("2026-11-02"),
                      merged_into_id=kept.id)
    with session_scope(engine) as session:
        report = build_value_report(session=session, quarter=Quarter(2026, 4), tz=TZ, today=date(2026, 11, 25))
    found = next(m for m in report.quality if m.key == "duplicates_found")
    assert (found.current, found.previous) == (1, 1)
    merged = next(m for m in report.quality if m.key == "duplicates_merged")
    assert (merged.current, merged.previous) == (1, 0)
    for lang in ("zh", "en"):
        assert rt(lang, "duplicates_found") in render_html(report, lang)
