"""The weekly digest's text lines from `tools.weekly.weekly_figures`: one wording for the Monday
digest and for "上周的周报发我一下"."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.render_results import Fmt
from prompts.proactive import pt


def digest_lines(fig: dict[str, Any], lang: str, today: date | None, *,
                 after_health: Sequence[str] = (), after_top: Sequence[str] = ()) -> list[str]:
    """The digest's lines; the scheduled digest adds its analytics lines where they belong."""
    f = Fmt(lang, today)
    week, quarter = fig["week"], fig["quarter"]
    start, last = date.fromisoformat(fig["range"]["start"]), date.fromisoformat(fig["range"]["end"])
    lines = [pt(lang, "digest_title", start=f.day(start), end=f.day(last)),
             pt(lang, "digest_activity", **fig["numbers"]),
             pt(lang, "digest_closed_amount" if week["won"]["totals"] else "digest_closed",
                won=week["won"]["count"], lost=week["lost"]["count"], total=f.money_list(week["won"]["totals"])),
             pt(lang, "digest_quarter", win_rate=f.pct(quarter["win_rate"]),
                cycle=pt(lang, "digest_days", n=quarter["avg_cycle_days"]) if quarter["avg_cycle_days"] is not None else "—",
                size=f.money_list(quarter["avg_deal_size"]) if quarter["avg_deal_size"] else "—"),
             pt(lang, "digest_forecast", weighted=f.money_list(quarter["forecast"]["weighted_open"]),
                n=quarter["forecast"]["expected_deals"], won=f.money_list(quarter["forecast"]["won"]))]
    approvals = fig["approvals"]
    if approvals:
        items = f.sep.join(pt(lang, "digest_approval_item", id=q["id"], account=f.name(q["account"]),
                              days=q["waiting_days"]) for q in approvals[:5])
        lines.append(pt(lang, "digest_approvals", n=len(approvals), items=items))
    else:
        lines.append(pt(lang, "digest_no_approvals"))
    lines.append(pt(lang, "digest_health", score=fig["health"]))
    lines += list(after_health)
    if fig["top"]:
        lines.append(pt(lang, "digest_top", items=f.sep.join(
            pt(lang, "digest_top_item", account=f.name(i["account"]), visits=i["visits"]) for i in fig["top"])))
    return lines + list(after_top)
