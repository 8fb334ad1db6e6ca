"""update_opportunity: a deal moved, changed size or closed."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from storage.models import Account, Opportunity, Stage
from storage.names import fold
from storage.repos.common import save
from storage.repos.deals import deals_of_accounts
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.deal_rules import current_open_deal, is_backwards, record_stage
from tools.permissions import require_account
from tools.resolve import find_or_create_account
from tools.schemas import UpdateOpportunityArgs
from tools.values import day, deal_summary, ref

FIELDS = ("stage", "amount", "currency", "expected_close", "lost_reason", "competitor")


@tool(writes=True)
def update_opportunity(ctx: ToolContext, args: UpdateOpportunityArgs) -> ToolResult:
    """Change a customer's deal: its stage (prospect, evaluation, negotiation, won, lost), amount,
    currency, expected close date, or why it was lost and to which competitor. The deal is the one
    named by `opportunity`, else the customer's open deal; a customer with no deal gets a new one,
    and an unknown customer is created. Won or lost sets the close date to today. Moving a stage
    backwards is allowed and recorded."""
    check_amount(ctx, args.amount)
    account, created_account = find_or_create_account(ctx, args.account)
    if not created_account:
        require_account(ctx, account)
    deal, created_deal = _find_or_create_deal(ctx, account, args.opportunity)
    changes = _apply(ctx, deal, args)
    if not changes and not created_deal:
        raise ToolError("nothing_to_update", account=account.name, opportunity=deal.name)
    backwards = "stage" in changes and is_backwards(Stage(changes["stage"]["before"]),
                                                    Stage(changes["stage"]["after"]))
    return ToolResult("update_opportunity", {
        "account": ref(account),
        "created_account": created_account,
        "opportunity": deal_summary(deal),
        "created_opportunity": created_deal,
        "changes": changes,
        "stage_backwards": backwards,
    })


def check_amount(ctx: ToolContext, amount: Decimal | None) -> None:
    """Refuse figures no deal or quote has (a misheard 亿 for 万, a runaway digit)."""
    if amount is not None and (amount <= 0 or amount > ctx.settings.max_amount):
        raise ToolError("amount_out_of_range", amount=str(amount), max=str(ctx.settings.max_amount))


def _find_or_create_deal(ctx: ToolContext, account: Account,
                         mention: str | None) -> tuple[Opportunity, bool]:
    if mention:
        named = _deal_named(ctx, account, mention)
        if named is not None:
            return named, False
    else:
        deal = current_open_deal(ctx.session, account.id)
        if deal is not None:
            return deal, False
    now = ctx.clock()
    deal = save(Opportunity(
        account_id=account.id, name=(mention or account.name).strip(), stage=Stage.prospect,
        currency=ctx.settings.default_currency, owner_id=account.owner_id or ctx.user.id,
        created_at=now, updated_at=now,
    ), session=ctx.session)
    ctx.audit("create", "opportunity", deal.id, None,
              {"account_id": account.id, "name": deal.name, "stage": Stage.prospect.value,
               "owner_id": deal.owner_id})
    record_stage(ctx, deal, None, Stage.prospect, now)
    return deal, True


def _deal_named(ctx: ToolContext, account: Account, mention: str) -> Opportunity | None:
    """The account's deal whose name matches `mention` (exact, contained, or fuzzy ≥ 80);
    several equally good → `ambiguous_opportunity`."""
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


def _apply(ctx: ToolContext, deal: Opportunity, args: UpdateOpportunityArgs) -> dict[str, Any]:
    """Set the stated fields; return {field: {before, after}} for those that really changed."""
    before = {f: getattr(deal, f) for f in FIELDS}
    wanted: dict[str, Any] = {}
    if args.stage is not None:
        wanted["stage"] = Stage(args.stage)
    if args.amount is not None:
        wanted["amount"] = Decimal(args.amount)
    if args.currency is not None:
        wanted["currency"] = args.currency
    for name in ("expected_close", "lost_reason", "competitor"):
        if getattr(args, name) is not None:
            wanted[name] = getattr(args, name)

    changes: dict[str, Any] = {}
    for name, value in wanted.items():
        old = before[name]
        if name == "stage":
            old = Stage(old)
        if old != value:
            changes[name] = {"before": _jsonable(old), "after": _jsonable(value)}
            setattr(deal, name, value)
    if not changes:
        return changes

    now = ctx.clock()
    audit_before = {k: _jsonable(before[k]) for k in changes}
    if "stage" in changes:
        new_stage = Stage(deal.stage)
        record_stage(ctx, deal, Stage(before["stage"]), new_stage, now)
        closed_on = ctx.today() if new_stage.is_closed else None
        if deal.closed_on != closed_on:
            audit_before["closed_on"] = day(deal.closed_on)
            changes["closed_on"] = {"before": day(deal.closed_on), "after": day(closed_on)}
            deal.closed_on = closed_on
    deal.updated_at = now
    ctx.session.add(deal)
    ctx.session.flush()
    ctx.audit("update", "opportunity", deal.id, audit_before,
              {k: c["after"] for k, c in changes.items()})
    return changes


def _jsonable(value: Any) -> Any:
    if isinstance(value, Stage):
        return value.value
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
