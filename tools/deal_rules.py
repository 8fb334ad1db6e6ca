"""Rules about deals that several tools share: which deal a message means, and stage moves."""
from __future__ import annotations

from datetime import datetime

from rapidfuzz import fuzz
from sqlmodel import Session

from storage.models import Account, Opportunity, Stage, StageChange
from storage.names import fold
from storage.repos.common import save
from storage.repos.deals import account_currency, deals_of_accounts, owner_currency
from tools.base import ToolContext, ToolError

# won and lost are both the end of the road: lost → won is not "backwards".
STAGE_RANK = {Stage.prospect: 0, Stage.evaluation: 1, Stage.negotiation: 2, Stage.won: 3, Stage.lost: 3}


def current_open_deal(session: Session, account_id: int) -> Opportunity | None:
    """The account's open deal: the only one, else the most recently updated one."""
    open_deals = deals_of_accounts([account_id], session=session, open_only=True)
    return open_deals[0] if open_deals else None


def currency_for(ctx: ToolContext, account: Account | None, deal: Opportunity | None = None) -> str:
    """The currency of an amount stated without one: the deal's, else the account's (its latest
    deal's), else the acting user's (`preferences["currency"]`, else the one most of their deals
    use), else the CRM default. A deal's currency changes only when a message states another."""
    if deal is not None and deal.currency:
        return deal.currency
    if account is not None and account.id is not None:
        found = account_currency(account.id, session=ctx.session)
        if found:
            return found
    preferred = (ctx.user.preferences or {}).get("currency")
    if isinstance(preferred, str) and len(preferred) == 3:
        return preferred.upper()
    return owner_currency(ctx.user.id, session=ctx.session) or ctx.settings.default_currency


def is_backwards(before: Stage, after: Stage) -> bool:
    return STAGE_RANK[after] < STAGE_RANK[before]


def record_stage(ctx: ToolContext, deal: Opportunity, before: Stage | None, after: Stage,
                 at: datetime) -> StageChange:
    change = save(StageChange(opportunity_id=deal.id, from_stage=before, to_stage=after,
                              changed_at=at, changed_by=ctx.user.id), session=ctx.session)
    ctx.audit("create", "stage_change", change.id, None,
              {"opportunity_id": deal.id, "from_stage": before.value if before else None,
               "to_stage": after.value})
    return change


def deal_named(ctx: ToolContext, account: Account, mention: str) -> Opportunity | None:
    """The account's deal whose name matches `mention` (exact, contained, or fuzzy ≥ 80); among
    equally good ones the only open one; several still → `ambiguous_opportunity`."""
    deals = deals_of_accounts([account.id], session=ctx.session)
    key = fold(mention).replace(" ", "")
    scored: list[tuple[float, Opportunity]] = []
    for deal in deals:
        name = fold(deal.name).replace(" ", "")
        if not name:
            continue
        if name == key:
            return deal
        score = 95.0 if (key in name or name in key) else fuzz.WRatio(key, name)
        if score >= 80:
            scored.append((score, deal))
    if not scored:
        return None
    top = max(s for s, _ in scored)
    best = [d for s, d in scored if top - s < 3]
    if len(best) > 1:
        open_best = [d for d in best if not Stage(d.stage).is_closed]
        if len(open_best) == 1:
            return open_best[0]
        raise ToolError("ambiguous_opportunity", mention=mention, candidates=[d.name for d in best])
    return best[0]
