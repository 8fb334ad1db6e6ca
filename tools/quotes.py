"""create_quote, approve_quote, reject_quote: a rep asks for a price, a manager decides."""
from __future__ import annotations

from decimal import Decimal

from storage.models import Account, Opportunity, Quote, QuoteStatus, User
from storage.repos.common import save
from storage.repos.quotes import get_quote, pending_quotes
from storage.repos.users import get_user
from tools.approval_rules import approvers_for
from tools.base import Notice, ToolContext, ToolError, ToolResult, tool
from tools.deal_rules import current_open_deal, currency_for, deal_named
from tools.opportunities import check_amount
from tools.permissions import can_see_quote, require_account, require_can_decide
from tools.resolve import find_account
from tools.schemas import ApproveQuoteArgs, CreateQuoteArgs, DecideQuoteArgs, RejectQuoteArgs
from tools.values import quote_summary, ref


@tool(writes=True)
def create_quote(ctx: ToolContext, args: CreateQuoteArgs) -> ToolResult:
    """Ask for a quote to be approved: the customer, the quoted amount as stated (before any
    discount), its currency (default: the deal's), the discount percentage, the product and a note.
    The quote belongs to the account's deal the product names, else to its open deal.
    The quote waits for the requester's manager, or for an admin when an approval rule says so;
    the approver is notified with Approve / Reject."""
    check_amount(ctx, args.amount)
    account = find_account(ctx, args.account)
    require_account(ctx, account)
    deal = quoted_deal(ctx, account, args.product)
    currency = args.currency or currency_for(ctx, account, deal)
    discount = Decimal(args.discount_pct) if args.discount_pct is not None else Decimal(0)
    role, approvers = approvers_for(ctx, ctx.user, Decimal(args.amount), currency, discount)
    quote = save(Quote(
        account_id=account.id, opportunity_id=deal.id if deal else None, amount=Decimal(args.amount),
        currency=currency, discount_pct=discount, product=args.product, note=args.note,
        status=QuoteStatus.pending, requested_by=ctx.user.id, required_role=role,
        requested_at=ctx.clock(),
    ), session=ctx.session)
    ctx.audit("create", "quote", quote.id, None, {
        "account_id": account.id, "opportunity_id": quote.opportunity_id, "amount": str(quote.amount),
        "currency": currency, "discount_pct": str(discount), "status": QuoteStatus.pending.value,
        "required_role": role.value,
    })
    summary = quote_summary(quote, account, ctx.user, ctx.tz)
    return ToolResult(
        "create_quote",
        {"quote": summary, "opportunity": ref(deal), "required_role": role.value,
         "approvers": [ref(u) for u in approvers], "no_approver": not approvers},
        notify=[Notice(u.id, "approval_request", {"quote_id": quote.id, "quote": summary,
                                                       "as_of": ctx.today().isoformat()})
                for u in approvers],
    )


def quoted_deal(ctx: ToolContext, account: Account, product: str | None) -> Opportunity | None:
    """The deal a quote is for: the account's deal that `product` names (an open one first),
    else the account's open deal."""
    if product:
        try:
            named = deal_named(ctx, account, product)
        except ToolError:
            named = None
        if named is not None:
            return named
    return current_open_deal(ctx.session, account.id)


@tool(writes=True)
def approve_quote(ctx: ToolContext, args: ApproveQuoteArgs) -> ToolResult:
    """Approve a pending quote, named by its number (Q-101 → 101) or by its customer when that
    customer has one pending quote. Only the requester's manager or an admin may approve, never
    the requester. The requester is told."""
    return _decide(ctx, args, QuoteStatus.approved, "approve_quote")


@tool(writes=True)
def reject_quote(ctx: ToolContext, args: RejectQuoteArgs) -> ToolResult:
    """Reject a pending quote, named by its number or by its customer, with an optional comment
    (the reason, what price would pass). Same rules as approving; the requester is told."""
    return _decide(ctx, args, QuoteStatus.rejected, "reject_quote")


def check_decision(ctx: ToolContext, args: DecideQuoteArgs) -> tuple[Quote, Account, User | None]:
    """The quote `args` names if the acting user may decide it now: (quote, account, requester).
    Raises what approving or rejecting would raise, so a caller can ask before it asks for more
    (a Reject press asks for a reason only when the presser may reject)."""
    quote, account = _target(ctx, args)
    if quote.status != QuoteStatus.pending:
        raise ToolError("quote_not_pending", quote_id=quote.id, status=str(quote.status))
    requester = get_user(quote.requested_by, session=ctx.session)
    require_can_decide(ctx, quote, requester)
    return quote, account, requester


def _decide(ctx: ToolContext, args: DecideQuoteArgs, decision: QuoteStatus, name: str) -> ToolResult:
    quote, account, requester = check_decision(ctx, args)
    before = {"status": str(quote.status), "approver_id": quote.approver_id, "comment": quote.comment}
    quote.status = decision
    quote.approver_id = ctx.user.id
    quote.decided_at = ctx.clock()
    if args.comment is not None:
        quote.comment = args.comment
    ctx.session.add(quote)
    ctx.session.flush()
    ctx.audit(decision.value, "quote", quote.id, before,
              {"status": decision.value, "approver_id": ctx.user.id, "comment": quote.comment,
               "decided_at": quote.decided_at.isoformat()})
    summary = quote_summary(quote, account, requester, ctx.tz)
    data = {"quote_id": quote.id, "quote": summary, "decision": decision.value,
            "decided_by": ref(ctx.user), "requester": ref(requester), "comment": quote.comment}
    notify = [Notice(requester.id, "quote_decided", data)] if requester is not None else []
    return ToolResult(name, data, notify=notify)


def _target(ctx: ToolContext, args: DecideQuoteArgs) -> tuple[Quote, Account]:
    """The quote meant, visible to the acting user. A missing id and another team's id raise the
    same `quote_not_found`, so ids do not reveal what exists elsewhere."""
    if args.quote_id is not None:
        quote = get_quote(args.quote_id, session=ctx.session)
        account = ctx.session.get(Account, quote.account_id) if quote is not None else None
        if quote is None or not can_see_quote(ctx, quote, account):
            raise ToolError("quote_not_found", quote_id=args.quote_id)
        if args.account is not None:
            named = find_account(ctx, args.account)
            if named.id != quote.account_id:
                raise ToolError("quote_account_mismatch", quote_id=quote.id, account=named.name,
                                quote_account=account.name)
        return quote, account
    account = find_account(ctx, args.account)
    candidates = [q for q in pending_quotes(session=ctx.session, account_ids=[account.id])
                  if can_see_quote(ctx, q, account)]
    if not candidates:
        raise ToolError("no_pending_quote", account=account.name)
    if len(candidates) > 1:
        raise ToolError("several_pending_quotes", account=account.name,
                        quote_ids=sorted(q.id for q in candidates))
    return candidates[0], account

