"""The managers' weekly digest and the monthly data star.

The digest reports last week (Monday to Sunday, the manager's timezone) for their team, from the
figures of `tools.weekly` (the same a manager gets by asking for the weekly report):
visits, new deals and stage moves, won and lost
(`pipeline_report` for last_week); this quarter's win rate, average cycle, average deal size and
weighted forecast (`pipeline_report` for this_quarter, the period those figures mean something
over); pending approvals with their age (`list_pending_approvals`); the data-health score
(`data_health`); approval times of the last four weeks and the five accounts with the most
potential, those new to the top ten this week first (`digest_analytics`); the most active accounts (`top_accounts`). Two charts go with it, the funnel of
this quarter and the trend of the last eight weeks, as images with a text table for chats
without images, or as the table alone when charts cannot be drawn.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from analytics.charts import ChartUnavailable, FunnelStage, funnel_png, funnel_table, trend_png, trend_table
from bot.digest_text import digest_lines
from bot.messages import Reply
from bot.render_results import Fmt
from bot.scheduler.compose import off_choice
from bot.scheduler.digest_analytics import approval_line, potential_line
from bot.scheduler.jobs import Built, Job
from prompts.proactive import pt
from storage.models import Stage
from storage.repos.deals import deals_owned_by, stage_history
from storage.repos.visits import visits_by_reps
from tools.base import ToolContext
from tools.health import data_star
from tools.periods import DateRange
from tools.permissions import scoped_reach
from tools.weekly import weekly_figures

log = logging.getLogger("salesbot.scheduler")
TREND_WEEKS = 8


def weekly_digest(ctx: ToolContext, job: Job) -> Built:
    lang, today = ctx.user.language, ctx.today()
    monday = today - timedelta(days=today.weekday())
    week = DateRange(monday - timedelta(days=7), monday)
    figures = weekly_figures(ctx, week, "last_week")
    f = Fmt(lang, today)
    quarter = figures["quarter"]
    lines = digest_lines(figures, lang, today,
                         after_health=[line for line in (approval_line(ctx, lang),) if line],
                         after_top=[line for line in (potential_line(ctx, lang, f),) if line])

    stages = funnel_stages(quarter, f)
    weeks, series = trend(ctx, monday, lang)
    funnel_alt = funnel_table(stages, (pt(lang, "col_stage"), pt(lang, "col_deals"), pt(lang, "col_amount")))
    trend_alt = trend_table(weeks, series, pt(lang, "col_week"))
    off = (off_choice(ctx.user, "weekly_digest"),)
    try:
        funnel_image = funnel_png(stages, pt(lang, "chart_funnel"))
        trend_image = trend_png(weeks, series, pt(lang, "chart_trend"))
    except ChartUnavailable as exc:
        log.warning("digest charts unavailable; sending tables", extra={"reason": str(exc)})
        text = "\n".join(lines + ["", pt(lang, "chart_funnel"), funnel_alt,
                                  "", pt(lang, "digest_trend_title", n=len(weeks)), trend_alt])
        return Built([Reply(text=text, choices=off)])
    return Built([
        Reply(text="\n".join(lines), image=funnel_image, image_alt=f"{pt(lang, 'chart_funnel')}\n{funnel_alt}"),
        Reply(text=pt(lang, "digest_trend_title", n=len(weeks)), image=trend_image,
              image_alt=f"{pt(lang, 'chart_trend')}\n{trend_alt}", choices=off),
    ])


def funnel_stages(quarter: dict[str, Any], f: Fmt) -> list[FunnelStage]:
    """Open deals per stage now, then this quarter's won deals."""
    stages = [FunnelStage(f.stage(s["stage"]), s["count"], f.money_list(s["totals"]) if s["totals"] else "")
              for s in quarter["stages"]]
    won = quarter["won"]
    stages.append(FunnelStage(f.stage(Stage.won.value), won["count"], f.money_list(won["totals"]) if won["totals"] else ""))
    return stages


def trend(ctx: ToolContext, this_monday: date, lang: str) -> tuple[list[str], dict[str, list[int]]]:
    """Visits, new deals and won deals per week over the `TREND_WEEKS` weeks before this one."""
    reach, _, _ = scoped_reach(ctx, "team")
    tz = ctx.tz
    mondays = [this_monday - timedelta(days=7 * i) for i in range(TREND_WEEKS, 0, -1)]
    visits = visits_by_reps(reach.user_ids, session=ctx.session)
    deals = deals_owned_by(reach.user_ids, session=ctx.session)

    def week_of(day: date) -> int | None:
        index = (day - mondays[0]).days // 7
        return index if 0 <= index < TREND_WEEKS else None

    counts = {key: [0] * TREND_WEEKS for key in ("series_visits", "series_new_deals", "series_won")}
    for v in visits:
        if (i := week_of(v.occurred_on)) is not None:
            counts["series_visits"][i] += 1
    for d in deals:
        if (i := week_of(d.created_at.astimezone(tz).date())) is not None:
            counts["series_new_deals"][i] += 1
        if Stage(d.stage) is Stage.won and d.closed_on and (i := week_of(d.closed_on)) is not None:
            counts["series_won"][i] += 1
    return [m.strftime("%m-%d") for m in mondays], {pt(lang, k): v for k, v in counts.items()}


def data_star_message(ctx: ToolContext, job: Job) -> Built:
    """Last month's ranking of the manager's reps by completeness; the first is the data star."""
    lang = ctx.user.language
    month_start = job.day or ctx.today().replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    reach, _, _ = scoped_reach(ctx, "team")
    ranking = data_star(ctx, reach, DateRange(month_start, next_month))
    if not ranking:
        return Built()
    f = Fmt(lang, ctx.today())
    month = month_start.strftime("%Y-%m") if lang == "en" else f"{month_start.month}月"
    star = ranking[0]
    lines = [pt(lang, "star_title", month=month, name=f.name(star["user"]), pct=f.pct(star["completeness"]),
                checked=star["checked"])]
    lines += [pt(lang, "star_item", rank=r["rank"], name=f.name(r["user"]), pct=f.pct(r["completeness"]),
                 complete=r["complete"], checked=r["checked"]) for r in ranking[:10]]
    return Built([Reply(text="\n".join(lines), choices=(off_choice(ctx.user, "data_star"),))])
