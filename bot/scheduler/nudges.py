"""The morning brief, stale-deal nudges and approval nudges, built from the tools' own reports
(`list_reminders`, `data_health`, `list_pending_approvals`) as the user they are for."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.cards import quote_choices
from bot.messages import Reply
from bot.render_results import Fmt, _quote_line
from bot.scheduler.compose import off_choice
from bot.scheduler.jobs import Built, Job, approvers_of
from prompts.proactive import pt
from storage.models import Account, JobRun, Opportunity, Quote, QuoteStatus, Stage, User
from storage.repos.deals import deals_owned_by
from storage.repos.users import users_by_id
from tools.base import ToolContext, get_tool
from tools.health import stale_deals
from tools.values import quote_summary

log = logging.getLogger("salesbot.scheduler")
CLOSE_SOON_DAYS = 7
BRIEF_ITEMS = 8
BRIEF_ADVICE = 2  # stalled deals that get a line of advice from similar past deals


def run_tool(ctx: ToolContext, name: str, **args: Any) -> dict[str, Any]:
    return get_tool(name).run(ctx, args).data


def morning_brief(ctx: ToolContext, job: Job) -> Built:
    """Today's reminders (and overdue ones), deals that need action, the rep's quotes still waiting."""
    user, lang, today = ctx.user, ctx.user.language, ctx.today()
    f = Fmt(lang, today)
    reminders = run_tool(ctx, "list_reminders")["reminders"]
    due_today = [r for r in reminders if r["due_at"][:10] == today.isoformat() and not r["overdue"]]
    overdue = [r for r in reminders if r["overdue"]]
    deals, stalled = deals_needing_action(ctx, f)
    waiting = run_tool(ctx, "list_pending_approvals")["my_requests"]
    if not (due_today or overdue or deals or waiting):
        return Built()
    weekday = today.strftime("%a") if lang == "en" else "周" + "一二三四五六日"[today.weekday()]
    lines = [pt(lang, "brief_title", name=user.name, day=f"{f.day(today)} {weekday}")]
    for key, items, when in (("brief_reminders", due_today, lambda due: due[11:16]),
                             ("brief_overdue", overdue, f.moment)):
        if items:
            lines.append(pt(lang, key, n=len(items)))
            lines += [f"• {when(r['due_at'])} {r['text']}" + (f" · {f.name(r['account'])}" if r.get("account") else "")
                      for r in items[:BRIEF_ITEMS]]
    if deals:
        lines.append(pt(lang, "brief_deals", n=len(deals)))
        lines += [f"• {line}" for line in deals[:BRIEF_ITEMS]]
        lines += advice_for_stalled(ctx, stalled[:BRIEF_ADVICE])
    if waiting:
        lines.append(pt(lang, "brief_quotes", n=len(waiting)))
        lines += [f"• {_quote_line(q, f)} · {q['waiting_days']}{f.s('天', 'd')}" for q in waiting[:BRIEF_ITEMS]]
    return Built([Reply(text="\n".join(lines), choices=(off_choice(user, "morning_brief"),))])


def deals_needing_action(ctx: ToolContext, f: Fmt) -> tuple[list[str], list[int]]:
    """One line per open deal of the user that is stale, past or near its close date, or missing
    what its stage needs (the checks of `data_health`); and the ids of the stale ones."""
    lang, today = ctx.user.language, ctx.today()
    health = run_tool(ctx, "data_health", scope="mine")
    reasons: dict[int, list[str]] = {}
    for item in health["stale_deals"]:
        reasons.setdefault(item["deal"]["id"], []).append(pt(lang, "why_stale", days=item["days_idle"]))
    for rep in health["reps"]:
        for issue in rep["issues"]:
            if issue["kind"] == "deal_incomplete":
                missing = f.sep.join(pt(lang, f"field_{m}") for m in issue["missing"])
                reasons.setdefault(issue["deal"]["id"], []).append(pt(lang, "why_incomplete", missing=missing))
    deals = {d.id: d for d in deals_owned_by([ctx.user.id], session=ctx.session) if not Stage(d.stage).is_closed}
    for deal in deals.values():
        if deal.expected_close is None:
            continue
        if deal.expected_close < today:
            reasons.setdefault(deal.id, []).append(pt(lang, "why_close_passed", day=f.day(deal.expected_close)))
        elif deal.expected_close <= today + timedelta(days=CLOSE_SOON_DAYS):
            reasons.setdefault(deal.id, []).append(pt(lang, "why_close_soon", day=f.day(deal.expected_close)))
    lines = []
    for deal_id, why in reasons.items():
        deal = deals.get(deal_id)
        if deal is None:
            continue
        account = ctx.session.get(Account, deal.account_id)
        lines.append(f"{account.name if account else '—'} {deal.name} · {f.stage(str(deal.stage))} · "
                     + f.sep.join(why))
    stalled = [item["deal"]["id"] for item in health["stale_deals"] if item["deal"]["id"] in deals]
    return lines, stalled


def advice_for_stalled(ctx: ToolContext, deal_ids: list[int]) -> list[str]:
    """For each stalled deal, the first step similar past deals suggest (one line, cited); nothing
    without an index. An optional aid: a failure is logged and the brief goes out without it."""
    from knowledge.service import knowledge_for

    knowledge = knowledge_for(ctx.settings) if deal_ids else None
    if knowledge is None:
        return []
    from knowledge.suggest import suggest
    from prompts.knowledge import cites

    lang = "en" if (ctx.user.language or "").startswith("en") else "zh"
    lines = []
    for deal_id in deal_ids:
        deal = ctx.session.get(Opportunity, deal_id)
        try:
            found = suggest(knowledge, session=ctx.session, account_id=deal.account_id, deal_id=deal_id,
                            lang=lang, use_llm=False)
        except Exception:
            log.exception("no advice for stalled deal %s in the brief", deal_id)
            continue
        if found is not None and found.steps:
            step = found.steps[0]
            lines.append(pt(lang, "brief_advice", account=found.account["name"], step=step.text,
                            cites=cites(step.cites)))
    return lines


def stale_deal_nudge(ctx: ToolContext, job: Job) -> Built:
    """Deals of the user idle for `stale_deal_days`, each named once per idle stretch of that many
    days (a deal idle for 14 days is named again at 28 unless someone touched it)."""
    lang, today, limit = ctx.user.language, ctx.today(), ctx.settings.stale_deal_days
    f = Fmt(lang, today)
    open_deals = [d for d in deals_owned_by([ctx.user.id], session=ctx.session) if not Stage(d.stage).is_closed]
    stale = stale_deals(ctx, open_deals, today)
    candidates = [stale_marker(item, limit) for item in stale]
    already = set(ctx.session.exec(select(JobRun.key).where(col(JobRun.key).in_(candidates or [""]))).all())
    fresh, markers = [], []
    for item, marker in zip(stale, candidates):
        if marker not in already:
            fresh.append(item)
            markers.append((marker, "stale_deal", ctx.user.id))
    if not fresh:
        return Built()
    lines = [pt(lang, "stale_title", days=limit)]
    lines += [pt(lang, "stale_item", account=f.name(i["account"]), deal=f.name(i["deal"]), stage=f.stage(i["stage"]),
                 last=f.day(i["last_touch"]), idle=i["days_idle"]) for i in fresh]
    lines.append(pt(lang, "stale_hint", account=f.name(fresh[0]["account"])))
    return Built([Reply(text="\n".join(lines), choices=(off_choice(ctx.user, "stale_deals"),))], markers)


def stale_marker(item: dict[str, Any], limit: int) -> str:
    return f"stale_deal:{item['deal']['id']}:{item['last_touch']}:{item['days_idle'] // limit}"


def approval_nudge(ctx: ToolContext, job: Job) -> Built:
    """A reminder to an approver (after 24 h) or an escalation to an admin (after 72 h), with
    Approve / Reject, while the quote is still pending."""
    session, user, lang = ctx.session, ctx.user, ctx.user.language
    quote = session.get(Quote, job.quote_id)
    if quote is None or QuoteStatus(quote.status) is not QuoteStatus.pending:
        return Built()
    f = Fmt(lang, ctx.today())
    requester = users_by_id([quote.requested_by], session=session).get(quote.requested_by)
    summary = quote_summary(quote, session.get(Account, quote.account_id), requester, ctx.tz)
    waited = ctx.clock() - quote.requested_at
    if job.key.startswith("approval_escalation:"):
        names = f.sep.join(u.name for u in approvers_of(quote, session=session)) or "—"
        head = pt(lang, "approval_escalation", quote_id=quote.id, days=waited.days, approvers=names)
    else:
        head = pt(lang, "approval_nudge", quote_id=quote.id, hours=int(waited.total_seconds() // 3600))
    text = "\n".join([head, _quote_line(summary, f),
                      pt(lang, "approval_requester", name=requester.name if requester else "—")])
    return Built([Reply(text=text, choices=quote_choices(quote.id, lang) + (off_choice(user, "approval_nudges"),))])


def context_for(user: User, session: Session, settings, clock) -> ToolContext:
    return ToolContext(user=user, session=session, settings=settings, clock=clock)
