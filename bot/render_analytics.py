"""Renderers of the analytics answers (sales_forecast, account_potential), registered in
`bot.render_results.RESULT_RENDERERS`. Facts first: the figure and its interval, then where it
comes from; an account, its score and why."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analytics.segments import WORDS

if TYPE_CHECKING:
    from bot.render_results import Fmt


def _scope(d: dict[str, Any], f: Fmt) -> str:
    if d.get("scope_narrowed"):
        return f.s("（只看得到你自己的数据）", " (your own data only)")
    return f.s("（团队）", " (team)") if d.get("scope") == "team" else f.s("（我的）", " (mine)")


def sales_forecast_text(d: dict[str, Any], f: Fmt) -> str:
    quarter = d.get("quarter", "")
    lines = [f.s(f"📈 {quarter} 成交预测", f"📈 Forecast for {quarter}") + _scope(d, f)]
    forecasts = d.get("forecasts") or []
    if not forecasts:
        lines.append(f.s("历史数据不足，还做不了预测。", "Not enough history to forecast yet."))
    for fc in forecasts:
        interval = f"{f.money(fc.get('low'))}–{f.money(fc.get('high'))}"
        lines.append(f.s(f"{f.money(fc.get('mean'))}（80%区间 {interval}）",
                         f"{f.money(fc.get('mean'))} (80% range {interval})"))
        pipe, series = fc.get("pipeline") or {}, fc.get("series")
        basis = [f.s(f"在谈 {pipe.get('deals', 0)} 单加权 {f.money(pipe.get('expected'))}",
                     f"{pipe.get('deals', 0)} open deals weighted {f.money(pipe.get('expected'))}")]
        if series:
            basis.append(f.s(f"按{series.get('months')}个月成交趋势 {f.money(series.get('estimate'))}",
                             f"{series.get('months')}-month won trend {f.money(series.get('estimate'))}"))
        lines.append(f.s("依据：", "Based on: ") + f.sep.join(basis))
        for row in fc.get("by_rep") or []:
            span = f"{f.money(row.get('low'))}–{f.money(row.get('high'))}"
            lines.append(f"• {f.name(row.get('user'))} {f.money(row.get('mean'))}"
                         + f.s(f"（{span}）· 在谈 {row.get('deals', 0)} 单", f" ({span}) · {row.get('deals', 0)} open"))
    return "\n".join(lines)


def reason_words(reasons: list[dict[str, Any]], lang: str) -> list[str]:
    index = 0 if lang == "zh" else 1
    return [WORDS[(r["feature"], bool(r["high"]))][index] for r in reasons
            if (r.get("feature"), bool(r.get("high"))) in WORDS]


def account_potential_text(d: dict[str, Any], f: Fmt) -> str:
    lines = [f.s("🎯 最值得重点跟进的客户", "🎯 Accounts with the most potential") + _scope(d, f)]
    items = d.get("items") or []
    if not items:
        lines.append(f.s("没有数据。", "Nothing to show."))
    for item in items:
        why = f.sep.join(reason_words(item.get("reasons") or [], f.lang))
        segment = (item.get("segment") or {}).get(f.lang)
        owner = f" ({f.name(item.get('owner'))})" if item.get("owner") else ""
        line = f"{item.get('rank')}. {f.name(item.get('account'))} · {item.get('score')}{f.s('分', '')}{owner}"
        if why:
            line += f" — {why}"
        if segment:
            line += f.s(f"［{segment}］", f" [{segment}]")
        lines.append(line)
    if not (d.get("model") or {}).get("learned"):
        lines.append(f.s("（历史数据少，按活跃度和在谈金额打分）", "(little history: scored on activity and open pipeline)"))
    return "\n".join(lines)
