"""The quarterly value report on the demo CRM: every section in HTML and PDF, in both languages,
Chinese set in the CJK font embedded in the PDF; approval timing against the quotes themselves;
the command line writes both formats."""
from __future__ import annotations

import io
import statistics
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from analytics.approvals import approval_timing, band_of, percentile
from analytics.quarters import Quarter
from analytics.report import SECTIONS, render_html, render_pdf
from analytics.report_text import rt
from analytics.value import build_value_report
from storage.db import make_engine, session_scope
from storage.models import Quote
from tests.demo_db import demo_database

TODAY = date(2026, 11, 25)  # the demo's today: 2026Q3 is the last finished quarter
TZ = ZoneInfo("Asia/Shanghai")
QUARTER = Quarter(2026, 3)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    return demo_database(tmp_path_factory.mktemp("value"), TODAY)


@pytest.fixture(scope="module")
def report(demo_url):
    engine = make_engine(demo_url)
    with session_scope(engine) as session:
        return build_value_report(session=session, quarter=QUARTER, tz=TZ, today=TODAY)


@pytest.fixture(scope="module")
def pdf_zh(report):
    return render_pdf(render_html(report, "zh"))


def test_every_section_is_in_the_html_in_both_languages(report):
    for lang in ("zh", "en"):
        html = render_html(report, lang)
        for section in SECTIONS:
            assert f'id="{section}"' in html, (lang, section)
            assert rt(lang, section) in html
        assert "data:image/png;base64," in html  # the funnel and trend charts
    assert "销售管理系统价值报告" in render_html(report, "zh")
    assert "Sales system value report" in render_html(report, "en")


def test_the_pdf_opens_has_every_section_and_sets_chinese_in_the_cjk_font(pdf_zh):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_zh))
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() for page in reader.pages)
    for section in SECTIONS:
        assert rt("zh", section) in text, section
    assert "人均拜访" in text and "赢单率" in text
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() \
                if "/DescendantFonts" in font else font.get("/FontDescriptor", {})
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    # every font in the document is a Noto CJK face and is embedded (subset), so no Chinese
    # character fell back to a Latin font or to the reader's own fonts
    assert fonts and all("CJK" in name for name in fonts), fonts
    assert all(fonts.values()), fonts
    assert any("Sans-CJK-SC" in name or "SansCJKsc" in name for name in fonts), fonts


def test_the_english_pdf_renders(report):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(render_html(report, "en"))))
    text = "".join(page.extract_text() for page in reader.pages)
    for section in SECTIONS:
        assert rt("en", section) in text, section


def test_figures_compare_with_the_previous_quarter(report):
    keys = {m.key for m in report.efficiency + report.quality + report.benefit + report.usage_metrics}
    assert {"visits_per_rep", "cycle_days", "approval_hours", "visit_completeness", "won_amount", "win_rate",
            "repeat_purchases", "active_users", "cancellation_rate"} <= keys
    won = next(m for m in report.benefit if m.key == "won_amount" and m.currency == "CNY")
    assert won.current > 0 and won.previous > 0 and won.change is not None
    assert report.forecast and report.forecast[0].currency == "CNY"
    assert report.forecast[0].forecast.low <= report.forecast[0].forecast.mean <= report.forecast[0].forecast.high
    assert report.reps == 5


def test_approval_timing_matches_the_quotes(demo_url):
    engine = make_engine(demo_url)
    with session_scope(engine) as session:
        lo = datetime.combine(QUARTER.start, time(), tzinfo=TZ)
        hi = datetime.combine(QUARTER.end, time(), tzinfo=TZ)
        timing = approval_timing(session=session, start=lo, end=hi, now=hi)
        quotes = [q for q in session.exec(select(Quote)).all() if lo <= q.requested_at < hi and q.decided_at]
    hours = [(q.decided_at - q.requested_at).total_seconds() / 3600 for q in quotes]
    assert timing.decided == len(quotes) > 3
    assert timing.median_hours == pytest.approx(statistics.median(hours))
    assert timing.p90_hours == pytest.approx(percentile(hours, 0.9))
    by_band = {w.key: w for w in timing.by_band}
    for label, wait in by_band.items():
        mine = [h for q, h in zip(quotes, hours) if band_of(q.discount_pct) == label]
        assert wait.count == len(mine) and wait.median_hours == pytest.approx(statistics.median(mine))
    assert [w.median_hours for w in timing.by_approver] == sorted((w.median_hours for w in timing.by_approver), reverse=True)


def test_percentile_interpolates():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
    assert percentile([5.0], 0.9) == 5.0


def test_the_command_line_writes_pdf_and_html(demo_url, tmp_path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "value", "--quarter", "2026Q3", "--format", "html", "-o", "v.html", "--lang", "en"]) == 0
    assert 'id="forecast"' in (tmp_path / "v.html").read_text(encoding="utf-8")
    assert main(["report", "value", "--quarter", "2026Q3", "-o", "v.pdf"]) == 0
    assert (tmp_path / "v.pdf").read_bytes().startswith(b"%PDF")
    assert "wrote v.pdf (pdf, 2026Q3, zh" in capsys.readouterr().err
    assert main(["report", "value", "--quarter", "2026-13", "-o", "x.pdf"]) == 2
    assert "--quarter" in capsys.readouterr().err
    assert main(["report", "value", "--quarter", "2030Q1", "-o", "x.pdf"]) == 2
