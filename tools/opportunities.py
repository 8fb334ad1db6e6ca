"""update_opportunity: a deal moved, changed size or closed."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from storage.models import Account, Opportunity, Stage, Visit
from storage.repos.common import save
from storage.repos.deals import last_deal_written_by
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.deal_rules import current_open_deal, currency_for, deal_named, is_backwards, record_stage
from tools.permissions import require_account
from tools.resolve import find_account, find_or_create_account
from tools.schemas import RenameOpportunityArgs, UpdateOpportunityArgs
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
        named = deal_named(ctx, account, mention)
        if named is not None:
            return named, False
    else:
        deal = current_open_deal(ctx.session, account.id)
        if deal is not None:
            return deal, False
    now = ctx.clock()
    deal = save(Opportunity(
        account_id=account.id, name=(mention or default_deal_name(ctx, account)).strip()[:200],
        stage=Stage.prospect, currency=currency_for(ctx, account),
        owner_id=account.owner_id or ctx.user.id, created_at=now, updated_at=now,
    ), session=ctx.session)
    ctx.audit("create", "opportunity", deal.id, None,
              {"account_id": account.id, "name": deal.name, "stage": Stage.prospect.value,
               "owner_id": deal.owner_id, "currency": deal.currency})
    record_stage(ctx, deal, None, Stage.prospect, now)
    _link_visits_of_this_card(ctx, deal)
    return deal, True


def default_deal_name(ctx: ToolContext, account: Account) -> str:
    """A new deal's name when the message names no deal: "<account> 商机" / "<account> opportunity"."""
    return f"{account.name} opportunity" if ctx.english else f"{account.name} 商机"


def _link_visits_of_this_card(ctx: ToolContext, deal: Opportunity) -> None:
    """Visits written earlier in the same card for the deal's account, and attached to no deal
    because it did not exist yet, are attached to the new deal."""
    for visit_id in ctx.created_ids("visit"):
        visit = ctx.session.get(Visit, visit_id)
        if visit is None or visit.account_id != deal.account_id or visit.opportunity_id is not None:
            continue
        visit.opportunity_id = deal.id
        ctx.session.add(visit)
        ctx.audit("update", "visit", visit.id, {"opportunity_id": None}, {"opportunity_id": deal.id})
    ctx.session.flush()


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


@tool(writes=True)
def rename_opportunity(ctx: ToolContext, args: RenameOpportunityArgs) -> ToolResult:
    """Rename a deal. The deal is the one named by `opportunity` (of `account`), else the
    account's open deal, else, when neither is given ("rename this deal"), the deal the user
    last created or changed."""
    if args.account is not None:
        account = find_account(ctx, args.account)
        deal = deal_named(ctx, account, args.opportunity) if args.opportunity else None
        deal = deal or current_open_deal(ctx.session, account.id)
        if deal is None:
            raise ToolError("no_open_deal", account=account.name)
    else:
        deal = last_deal_written_by(ctx.user.id, session=ctx.session)
        if deal is None:
            raise ToolError("which_deal_to_rename")
        account = ctx.session.get(Account, deal.account_id)
    require_account(ctx, account)
    new_name = args.new_name.strip()
    if new_name == deal.name:
        raise ToolError("nothing_to_update", account=account.name, opportunity=deal.name)
    before = deal.name
    deal.name, deal.updated_at = new_name, ctx.clock()
    ctx.session.add(deal)
    ctx.session.flush()
    ctx.audit("update", "opportunity", deal.id, {"name": before}, {"name": new_name})
    return ToolResult("rename_opportunity", {
        "account": ref(account), "opportunity": deal_summary(deal),
        "changes": {"name": {"before": before, "after": new_name}},
    })
