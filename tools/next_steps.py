"""suggest_next_steps: concrete next moves for one customer, each with its reason in the data.

Rule-based: the deal's stage, how long since the last touch, pending quotes, promised next steps,
close dates and why earlier deals were lost. Each step is `{"kind", "deal", "facts", "priority"}`;
`kind` keys a sentence the bot renders in the user's language and `facts` fills it, so the reason
is always a fact from the CRM, never a guess.

When a knowledge index is built (`salesbot knowledge rebuild`), the answer comes from similar past
deals instead (`knowledge.suggest`): plays, talk tracks and risks citing the deals they came
from, worded in `answer`; without one, or when no similar deal is found, the rules answer.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from storage.models import Account, Opportunity, QuoteStatus, Stage, Visit
from storage.repos.accounts import contacts_of
from storage.repos.deals import deals_of_accounts
from storage.repos.quotes import pending_quotes, quotes_of_deals
from storage.repos.reminders import pending_reminders
from storage.repos.visits import contact_ids_of_visits, visits_of_accounts
from tools.base import ToolContext, ToolResult, tool
from tools.permissions import require_account
from tools.resolve import find_account
from tools.schemas import SuggestNextStepsArgs
from tools.values import day, money, ref

log = logging.getLogger("salesbot.tools")
MAX_STEPS = 4
CLOSE_SOON_DAYS = 14
NEXT_STAGE = {Stage.prospect: Stage.evaluation, Stage.evaluation: Stage.negotiation,
              Stage.negotiation: Stage.won}
LOSS_PATTERNS = (
    ("budget", ("预算", "经费", "资金", "budget", "spend", "funding", "freeze", "froze")),
    ("price", ("价格", "太贵", "报价高", "price", "expensive", "cheaper", "discount")),
    ("timing", ("延期", "推迟", "明年", "timing", "delay", "postpone", "next year", "later")),
)


@dataclass
class Facts:
    """What the rules read about one account, loaded once."""

    account: Account
    today: date
    tz: ZoneInfo
    stale_days: int
    open_deals: list[Opportunity]
    closed_deals: list[Opportunity]
    visits: list[Visit]
    contacts_met: int
    contacts_known: int
    pending_quotes: list[Any]
    quoted_deal_ids: set[int]
    has_pending_reminder: bool

    @property
    def days_since_visit(self) -> int | None:
        return (self.today - self.visits[0].occurred_on).days if self.visits else None


@tool(writes=False)
def suggest_next_steps(ctx: ToolContext, args: SuggestNextStepsArgs) -> ToolResult:
    """Suggest 2–4 concrete next steps for a customer's deals (what to do next, how to move the
    deal forward), each with the reason found in the CRM: stage, days since the last visit,
    pending quotes, promised follow-ups, close dates, why earlier deals were lost. `question`
    carries what the rep asked, if anything specific."""
    account = find_account(ctx, args.account)
    require_account(ctx, account)
    from_past_deals = _from_past_deals(ctx, account, args.question)
    if from_past_deals is not None:
        return ToolResult("suggest_next_steps", from_past_deals)
    facts = _load(ctx, account)
    index_note = _index_note(ctx)
    steps: list[dict[str, Any]] = []
    kinds: set[str] = set()
    for step in sorted(_rules(facts), key=lambda s: s["priority"]):
        if step["kind"] not in kinds:
            kinds.add(step["kind"])
            steps.append(step)
    return ToolResult("suggest_next_steps", {
        "account": ref(account), "question": args.question, "steps": steps[:MAX_STEPS],
        "basis": {"open_deals": len(facts.open_deals), "visits": len(facts.visits),
                  "last_visit": day(facts.visits[0].occurred_on) if facts.visits else None},
    } | ({"index_note": index_note} if index_note else {}))


def _index_note(ctx: ToolContext) -> str | None:
    """Why these steps come from the rules, said once per user and process: `building` while the
    bot builds the index in the background, `missing` when someone should run `salesbot
    knowledge rebuild`; None when knowledge is switched off or the user was told already."""
    from knowledge import service

    reason = service.unavailable_reason(ctx.settings)
    if reason is None or "knowledge rebuild" not in reason:  # off, or the extra is not installed
        return None
    if not service.first_notice(("index_note", ctx.settings.knowledge_dir, ctx.user.id)):
        return None
    return "building" if service.rebuilding() else "missing"


def _from_past_deals(ctx: ToolContext, account: Account, question: str | None) -> dict[str, Any] | None:
    """The retrieval answer (`source: past_deals`), or None to use the rules."""
    from knowledge.service import knowledge_for

    knowledge = knowledge_for(ctx.settings)
    if knowledge is None:
        return None
    from knowledge.suggest import suggest

    lang = "en" if (ctx.user.language or "").startswith("en") else "zh"
    try:
        found = suggest(knowledge, session=ctx.session, account_id=account.id, question=question, lang=lang)
    except Exception:  # the index is an aid: a broken one must not cost the rep an answer
        log.exception("suggestions from past deals failed; answering from the rules")
        return None
    if found is None:
        return None
    return found.to_data() | {"account": ref(account), "source": "past_deals"}


def _load(ctx: ToolContext, account: Account) -> Facts:
    session = ctx.session
    deals = deals_of_accounts([account.id], session=session)
    visits = visits_of_accounts([account.id], session=session, limit=20)
    met = contact_ids_of_visits([v.id for v in visits], session=session)
    quotes = quotes_of_deals([d.id for d in deals], session=session)
    return Facts(
        account=account, today=ctx.today(), tz=ctx.tz, stale_days=ctx.settings.stale_deal_days,
        open_deals=[d for d in deals if not Stage(d.stage).is_closed],
        closed_deals=[d for d in deals if Stage(d.stage).is_closed],
        visits=visits,
        contacts_met=len({c for ids in met.values() for c in ids}),
        contacts_known=len(contacts_of([account.id], session=session)),
        pending_quotes=pending_quotes(session=session, account_ids=[account.id]),
        quoted_deal_ids={q.opportunity_id for q in quotes
                         if q.status in (QuoteStatus.pending, QuoteStatus.approved) and q.opportunity_id},
        has_pending_reminder=bool(pending_reminders(session=session, account_ids=[account.id])),
    )


def _step(kind: str, priority: int, deal: Opportunity | None = None, **facts: Any) -> dict[str, Any]:
    return {"kind": kind, "priority": priority, "deal": ref(deal), "facts": facts}


def _rules(f: Facts) -> Iterator[dict[str, Any]]:
    for quote in f.pending_quotes:
        waiting = max(0, (f.today - quote.requested_at.astimezone(f.tz).date()).days)
        yield _step("chase_approval", 1, quote_id=quote.id, amount=money(quote.amount, quote.currency),
                    waiting_days=waiting)
    for deal in f.open_deals:
        stage = Stage(deal.stage)
        if deal.expected_close is not None:
            days_left = (deal.expected_close - f.today).days
            if days_left < 0:
                yield _step("close_date_passed", 1, deal, expected_close=day(deal.expected_close),
                            days_overdue=-days_left, stage=stage.value)
            elif days_left <= CLOSE_SOON_DAYS:
                yield _step("close_date_soon", 2, deal, expected_close=day(deal.expected_close),
                            days_left=days_left, stage=stage.value)
        since = f.days_since_visit
        if stage in (Stage.evaluation, Stage.negotiation) and (since is None or since >= f.stale_days):
            yield _step("book_check_in", 2, deal, stage=stage.value, days_since_visit=since)
        if stage is Stage.negotiation and deal.id not in f.quoted_deal_ids:
            yield _step("prepare_quote", 2, deal, stage=stage.value, amount=money(deal.amount, deal.currency))
        missing = [name for name in ("amount", "expected_close") if getattr(deal, name) is None]
        if stage is not Stage.prospect and missing:
            yield _step("fill_gaps", 3, deal, stage=stage.value, missing=missing)
        if f.contacts_met < 2:
            yield _step("multi_thread", 4, deal, contacts_met=f.contacts_met, contacts_known=f.contacts_known)
        yield _step("advance_stage", 5, deal, stage=stage.value, next_stage=NEXT_STAGE[stage].value)
    latest = f.visits[0] if f.visits else None
    if latest is not None and latest.next_step and not f.has_pending_reminder:
        yield _step("keep_promise", 2, next_step=latest.next_step, agreed_on=day(latest.occurred_on))
    for deal in f.closed_deals:
        if Stage(deal.stage) is Stage.lost and (deal.lost_reason or deal.competitor):
            yield _step("learn_from_loss", 3, deal, lost_reason=deal.lost_reason,
                        competitor=deal.competitor, pattern=loss_pattern(deal.lost_reason, deal.competitor))
    if not f.open_deals:
        won = [d for d in f.closed_deals if Stage(d.stage) is Stage.won]
        yield _step("qualify_opportunity", 3, won=len(won), lost=len(f.closed_deals) - len(won),
                    last_closed=day(max((d.closed_on for d in f.closed_deals if d.closed_on), default=None)))
    yield _step("schedule_touch", 6, days_since_visit=f.days_since_visit,
                last_channel=str(latest.channel) if latest is not None and latest.channel else None)


def loss_pattern(reason: str | None, competitor: str | None) -> str:
    """budget, price, timing, competitor or other: what to de-risk early next time."""
    text = (reason or "").casefold()
    for pattern, words in LOSS_PATTERNS:
        if any(w in text for w in words):
            return pattern
    if competitor or any(w in text for w in ("竞品", "competitor")):
        return "competitor"
    return "other"
