"""合同合规率: won deals with a contract attached whose amount matches the approved quote, in the
data-health report (chat and console) and in the quarterly value report."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from analytics.quarters import Quarter
from analytics.report import render_html
from analytics.value import build_value_report
from bot.render_results import render_result
from storage.db import session_scope
from storage.models import Attachment, Opportunity, Quote, QuoteStatus, User
from storage.repos.attachments import contract_compliance
from tools.base import ToolContext
from tools.health import data_health
from tools.schemas import DataHealthArgs

Q4 = (date(2026, 10, 1), date(2027, 1, 1))


def win(session, deal_id: int, on: date) -> None:
    deal = session.get(Opportunity, deal_id)
    deal.stage, deal.closed_on = "won", on
    session.add(deal)


def attach(session, deal_id: int, amount: str, n: int, clock) -> None:
    deal = session.get(Opportunity, deal_id)
    session.add(Attachment(sha256=f"{n:064x}", mime="image/jpeg", bytes=1000, account_id=deal.account_id,
                           opportunity_id=deal_id, uploaded_by=deal.owner_id, uploaded_at=clock(),
                           fields={"amount": amount, "currency": "CNY"}))


def approve(session, deal_id: int, amount: str, clock, discount: str = "0") -> None:
    deal = session.get(Opportunity, deal_id)
    session.add(Quote(account_id=deal.account_id, opportunity_id=deal_id, amount=Decimal(amount),
                      discount_pct=Decimal(discount), status=QuoteStatus.approved, requested_by=deal.owner_id,
                      requested_at=clock(), decided_at=clock()))


def rep_1_closes_three_deals(crm, clock) -> None:
    """王磊 (1) wins 蓝鲸 (1) with a contract at the approved quote after its 10 % discount, 青松 (2)
    with a contract 20 % under its approved quote, and 北辰 (6) without a contract."""
    with session_scope(crm) as s:
        for deal_id in (1, 2, 6):
            win(s, deal_id, date(2026, 11, 10))
        approve(s, 1, "888900", clock, discount="10")  # 800,010 after the discount: within 1 %
        attach(s, 1, "800000.00", 1, clock)
        approve(s, 2, "1200000", clock)
        attach(s, 2, "960000.00", 2, clock)


def test_compliance_counts_won_deals_with_a_matching_contract(crm, clock):
    rep_1_closes_three_deals(crm, clock)
    with session_scope(crm) as s:
        found = contract_compliance(*Q4, session=s, owner_ids={1})
    assert (found.won, found.with_contract, found.compliant) == (3, 2, 1)
    assert (found.missing, found.mismatched) == ((6,), (2,))
    assert abs(found.rate - 1 / 3) < 1e-9


def test_a_won_deal_without_an_approved_quote_counts_as_compliant_with_a_contract(crm, clock):
    with session_scope(crm) as s:
        win(s, 6, date(2026, 11, 12))
        attach(s, 6, "2000000.00", 3, clock)
    with session_scope(crm) as s:
        found = contract_compliance(*Q4, session=s, owner_ids={1})
    assert (found.won, found.compliant, found.rate) == (1, 1, 1.0)
    with session_scope(crm) as s:
        assert contract_compliance(date(2026, 7, 1), date(2026, 10, 1), session=s, owner_ids={1}).rate is None


def test_data_health_shows_the_quarters_compliance(crm, clock, settings):
    rep_1_closes_three_deals(crm, clock)
    with session_scope(crm) as s:
        ctx = ToolContext(user=s.get(User, 1), session=s, settings=settings, clock=clock)
        result = data_health(ctx, DataHealthArgs())
        cc = result.data["contract_compliance"]
        assert (cc["won"], cc["with_contract"], cc["compliant"]) == (3, 2, 1)
        assert [d["name"] for d in cc["missing"]] == ["产线质检"] and [d["name"] for d in cc["mismatched"]] == ["GMP 合规系统"]
        text = render_result(result, "zh")
    assert "📄 本季度合同合规率 33%（成交 3 单，附合同 2，金额与报价一致 1）；缺合同：产线质检" in text


def test_the_value_report_has_contract_compliance(crm, clock):
    rep_1_closes_three_deals(crm, clock)
    with session_scope(crm) as s:
        report = build_value_report(session=s, quarter=Quarter(2026, 4), tz=ZoneInfo("Asia/Shanghai"),
                                    today=date(2026, 11, 25))
    metric = next(m for m in report.quality if m.key == "contract_compliance")
    assert metric.unit == "pct" and abs(metric.current - 1 / 3) < 1e-9
    assert metric.previous == 0.0  # 渠道订货平台, won in September, has no contract
    assert "合同合规率" in render_html(report, "zh") and "Contract compliance" in render_html(report, "en")
