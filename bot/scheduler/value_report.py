"""The quarterly value report in chat: on the quarter's first workday, managers and admins get the
headline figures of last quarter against the one before, the forecast check and the features
nobody used, with the funnel chart; the full PDF comes from `salesbot report value`."""
from __future__ import annotations

import logging

from analytics.charts import ChartUnavailable, FunnelStage, funnel_png, funnel_table
from analytics.quarters import Quarter
from analytics.report import change_text, label, money, pct_signed, value_text
from analytics.report_text import rt
from analytics.value import build_value_report
from bot.messages import Reply
from bot.scheduler.compose import off_choice
from bot.scheduler.jobs import Built, Job
from prompts.proactive import pt
from tools.base import ToolContext

log = logging.getLogger("salesbot.scheduler")
HEADLINES = ("won_amount", "win_rate", "cycle_days", "approval_hours", "visit_completeness", "active_users",
             "cancellation_rate")


def value_report_message(ctx: ToolContext, job: Job) -> Built:
    lang = "en" if ctx.user.language == "en" else "zh"
    quarter = Quarter.of(job.day) if job.day else Quarter.of(ctx.today()).previous()
    report = build_value_report(session=ctx.session, quarter=quarter, tz=ctx.tz, today=ctx.today())
    metrics = report.efficiency + report.quality + report.benefit + report.usage_metrics
    lines = [pt(lang, "value_title", quarter=quarter)]
    for key in HEADLINES:
        for m in metrics:
            if m.key == key and (m.currency in (None, ctx.settings.default_currency)) and m.current is not None:
                lines.append(pt(lang, "value_line", label=label(m, lang), value=value_text(m, m.current),
                                previous=value_text(m, m.previous), change=change_text(m, lang)))
    for check in report.forecast[:1]:
        lines.append(pt(lang, "value_forecast", forecast=money(check.forecast.mean, check.currency),
                        actual=money(check.actual, check.currency), error=pct_signed(check.error)))
    never = report.usage.never_used
    if never:
        lines.append(pt(lang, "value_never_used", items=", ".join(never[:8]) + ("…" if len(never) > 8 else "")))
    lines.append(pt(lang, "value_full", quarter=quarter))
    stages = [FunnelStage(rt(lang, stage), count, " + ".join(money(v, c) for c, v in sorted(amounts.items())))
              for stage, count, amounts in report.shape.stages]
    alt = funnel_table(stages, (rt(lang, "col_stage"), rt(lang, "col_deals"), rt(lang, "col_amount")))
    off = (off_choice(ctx.user, "value_report"),)
    try:
        image = funnel_png(stages, rt(lang, "chart_funnel"))
    except ChartUnavailable as exc:
        log.warning("value report chart unavailable; sending the table", extra={"reason": str(exc)})
        return Built([Reply(text="\n".join(lines + ["", alt]), choices=off)])
    return Built([Reply(text="\n".join(lines), image=image, image_alt=f"{rt(lang, 'chart_funnel')}\n{alt}",
                        choices=off)])
