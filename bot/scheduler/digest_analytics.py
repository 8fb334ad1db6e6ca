"""The digest's analytics lines: approval times of the last four weeks (median, p90, the slowest
discount band) and the team's five accounts with the most potential, those new to the top ten
this week first and marked 🆕."""
from __future__ import annotations

from datetime import timedelta

from analytics.approvals import approval_timing
from analytics.data import load_accounts, load_deals, load_visits
from analytics.segments import high_potential_this_week
from bot.render_analytics import reason_words
from bot.render_results import Fmt
from prompts.proactive import pt
from tools.base import ToolContext
from tools.permissions import scoped_reach

APPROVAL_WEEKS = 4
TOP_POTENTIAL = 5


def approval_line(ctx: ToolContext, lang: str) -> str | None:
    reach, _, _ = scoped_reach(ctx, "team")
    now = ctx.clock()
    timing = approval_timing(session=ctx.session, start=now - timedelta(weeks=APPROVAL_WEEKS), end=now, now=now,
                             requester_ids=reach.user_ids)
    if not timing.decided:
        return None
    slowest = timing.by_band[0]
    return pt(lang, "digest_approval_timing", median=f"{timing.median_hours:.0f}", p90=f"{timing.p90_hours:.0f}",
              n=timing.decided, slowest=pt(lang, "digest_slowest", band=slowest.key, hours=f"{slowest.median_hours:.0f}"))


def potential_line(ctx: ToolContext, lang: str, f: Fmt) -> str | None:
    reach, _, _ = scoped_reach(ctx, "team")
    accounts = load_accounts(session=ctx.session, tz=ctx.tz, owner_ids=reach.user_ids)
    ids = {a.id for a in accounts}
    deals = [d for d in load_deals(session=ctx.session, tz=ctx.tz) if d.account_id in ids]
    visits = load_visits(ids, session=ctx.session, tz=ctx.tz)
    picked = high_potential_this_week(accounts, deals, visits, ctx.today(), limit=TOP_POTENTIAL)
    if not picked:
        return None
    items = f.sep.join(pt(lang, "digest_potential_item", account=p.account.name, score=p.score,
                          why=f.sep.join(reason_words([{"feature": n, "high": h} for n, h in p.reasons[:2]], f.lang)))
                       + (" 🆕" if new else "") for p, new in picked)
    return pt(lang, "digest_potential", items=items)
