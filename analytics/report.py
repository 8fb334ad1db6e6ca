"""The quarterly value report as HTML and PDF (WeasyPrint), zh or en, with the digest's charts.

`render_html(report, lang)` fills `templates/value_report.html`; `render_pdf(html)` lays it out
with WeasyPrint, whose text goes through fontconfig: the stylesheet asks for Noto Sans CJK
(scripts/system-deps.sh installs it), so Chinese is set in a CJK font, embedded in the PDF.
Sections (their ids in the HTML): summary, efficiency, quality, benefit, usage, forecast,
approvals, charts.
"""
from __future__ import annotations

import base64
import logging
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from analytics.charts import ChartUnavailable, FunnelStage, funnel_png, funnel_table, trend_png, trend_table
from analytics.report_text import TEXT, rt
from analytics.value import Metric, ValueReport

log = logging.getLogger("salesbot.analytics")
SECTIONS = ("summary", "efficiency", "quality", "benefit", "usage", "leads", "forecast", "approvals", "charts")
SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "HKD": "HK$"}
TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def money(amount: float | None, currency: str | None) -> str:
    if amount is None:
        return "—"
    symbol = SYMBOLS.get(currency or "")
    return f"{symbol}{amount:,.0f}" if symbol else f"{currency} {amount:,.0f}"


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def pct_signed(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.0f}%"


def value_text(m: Metric, value: float | None) -> str:
    if value is None:
        return "—"
    if m.unit == "pct":
        return f"{value * 100:.0f}%"
    if m.unit == "money":
        return money(value, m.currency)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def change_text(m: Metric, lang: str) -> str:
    change = m.change
    if change is None:
        return "—"
    if m.unit == "pct":
        return f"{change * 100:+.1f}" + ("个百分点" if lang != "en" else " pt")
    arrow = "▲" if change > 0 else "▼" if change < 0 else ""
    return f"{arrow}{abs(change) * 100:.0f}%"


def summary_lines(report: ValueReport, lang: str, default_currency: str) -> list[str]:
    """Four facts first: won amount, win rate, approval time, active users; each with its change."""
    picks = [m for m in report.benefit if m.key == "won_amount" and m.currency == default_currency][:1]
    picks += [m for m in report.benefit if m.key == "win_rate"]
    picks += [m for m in report.efficiency if m.key == "approval_hours"]
    picks += [m for m in report.usage_metrics if m.key == "active_users"]
    sep = "：" if lang != "en" else ": "
    return [f"{label(m, lang)}{sep}{value_text(m, m.current)}（{change_text(m, lang)}）" if lang != "en"
            else f"{label(m, lang)}{sep}{value_text(m, m.current)} ({change_text(m, lang)})" for m in picks]


def label(m: Metric, lang: str) -> str:
    return rt(lang, m.key, currency=m.currency) if m.currency else rt(lang, m.key)


def charts(report: ValueReport, lang: str) -> dict[str, str | None]:
    """The funnel and the weekly trend as base64 PNGs plus their text tables (the PNGs are None,
    with the reason, when charts cannot be drawn)."""
    stages = [FunnelStage(rt(lang, stage), count, " + ".join(money(v, c) for c, v in sorted(amounts.items())))
              for stage, count, amounts in report.shape.stages]
    weeks = [m.strftime("%m-%d") for m in report.shape.weeks]
    series = {rt(lang, f"series_{k}"): v for k, v in report.shape.series.items()}
    out: dict[str, str | None] = {
        "funnel_table": funnel_table(stages, (rt(lang, "col_stage"), rt(lang, "col_deals"), rt(lang, "col_amount"))),
        "trend_table": trend_table(weeks, series, rt(lang, "col_week")),
        "funnel_png": None, "trend_png": None, "charts_error": None}
    try:
        out["funnel_png"] = base64.b64encode(funnel_png(stages, rt(lang, "chart_funnel"))).decode()
        out["trend_png"] = base64.b64encode(trend_png(weeks, series, rt(lang, "chart_trend"))).decode()
    except ChartUnavailable as exc:
        log.warning("value report charts unavailable; tables only", extra={"reason": str(exc)})
        out["charts_error"] = str(exc)
    return out


def render_html(report: ValueReport, lang: str = "zh", *, default_currency: str = "CNY") -> str:
    lang = "en" if lang == "en" else "zh"
    sep = ", " if lang == "en" else "、"
    names = report.users
    waiting = sep.join(f"#{qid} {h:.0f}h" for qid, h in report.approvals.waiting[:5])
    approvers = [replace(w, key=names.get(int(w.key), w.key) if w.key.isdigit() else w.key)
                 for w in report.approvals.by_approver]
    roles = [replace(w, key=rt(lang, f"role_{w.key}") if f"role_{w.key}" in TEXT else w.key)
             for w in report.approvals.by_role]
    return _environment().get_template("value_report.html").render(
        r=report, lang=lang, t=lambda key, **p: rt(lang, key, **p),
        label=lambda m: label(m, lang), value=value_text, change=lambda m: change_text(m, lang),
        money=money, hours=hours, pct_signed=pct_signed, partial=report.generated_on < report.quarter.end,
        summary=summary_lines(report, lang, default_currency), approvers=approvers, roles=roles, waiting=waiting,
        engines=sep.join(f"{k} {v}" for k, v in sorted(report.usage.engines.items())),
        proactive=sep.join(f"{k} {v}" for k, v in sorted(report.usage.proactive.items())),
        **charts(report, lang))


def render_pdf(html: str) -> bytes:
    """The HTML laid out as a PDF (WeasyPrint; its own warnings go to the log, not the caller)."""
    import warnings

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from weasyprint import HTML

        return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
