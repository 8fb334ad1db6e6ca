"""The quarterly value report in chat on the quarter's first workday, and the digest's approval
timing line, on the CRM of test_jobs (every number known)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from bot.scheduler.jobs import first_workday
from storage.db import session_scope
from storage.models import Quote, QuoteStatus, Role
from tests.bot.scheduler.conftest import local, tick
from tests.bot.scheduler.test_jobs import PNG, make_world_scheduler, out, sched, world  # noqa: F401


def test_first_workday_skips_weekends_and_new_year():
    assert first_workday(date(2027, 1, 1)) == date(2027, 1, 4)   # Friday the 1st is a holiday
    assert first_workday(date(2026, 10, 1)) == date(2026, 10, 1)
    assert first_workday(date(2027, 5, 1)) == date(2027, 5, 3)   # a Saturday


def test_value_report_on_the_first_workday_to_managers_and_admins(world, clock, sched, out):
    clock.current = local("2027-01-01", "10:00")
    tick(sched)
    assert not [r for r in out.sent if r[1].text.startswith("📑")]
    clock.current = local("2027-01-04", "08:59")
    tick(sched)
    assert not [r for r in out.sent if r[1].text.startswith("📑")]
    clock.current = local("2027-01-04", "09:00")
    tick(sched)
    [mia] = [r for r in out.to("mia") if r.text.startswith("📑")]
    lines = mia.text.splitlines()
    assert lines[0] == "📑 2026Q4 销售管理系统价值报告"
    assert "• 成交金额（CNY）：¥300,999（上季度 ¥0，—）" in lines
    assert "• 平均成交周期（天）：12.5（上季度 —，—）" in lines  # 24 days and 1 day
    assert "• 赢单率：67%（上季度 —，—）" in lines
    assert lines[-1] == "完整报告（PDF）：salesbot report value --quarter 2026Q4 -o value.pdf"
    assert mia.image.startswith(PNG) and "成交" in mia.image_alt
    assert mia.choices[-1].id == f"p:{world.ids['mia']}:off_value"
    [root] = [r for r in out.to("root") if r.text.startswith("📑")]
    assert root.text.splitlines()[0] == "📑 2026Q4 sales system value report"
    assert not [r for r in out.to("adam") if r.text.startswith("📑")]
    clock.current = local("2027-01-05", "09:00")
    tick(sched)
    assert len([r for r in out.to("mia") if r.text.startswith("📑")]) == 1


def test_digest_reports_approval_times(world, clock, sched, out):
    with session_scope(world.db) as session:
        asked = local("2026-11-20", "10:00")
        for hours, discount in ((24, "5"), (48, "15"), (6, "15")):
            session.add(Quote(account_id=1, amount=Decimal("1000"), currency="CNY", discount_pct=Decimal(discount),
                              requested_by=world.ids["adam"], requested_at=asked, decided_at=asked + timedelta(hours=hours),
                              approver_id=world.ids["mia"], status=QuoteStatus.approved, required_role=Role.manager))
    tick(sched)
    [summary] = [r for r in out.to("mia") if r.text.startswith("📊")]
    assert "⏱ 近4周审批用时：中位 24 小时 · P90 43 小时（3 单）；最慢 折扣 10–20% 中位 27 小时" in summary.text.splitlines()
