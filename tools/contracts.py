"""file_contract: a signed contract closes its deal and is filed with it.

The contract's files are already in the attachment store when the card is shown (they were read
from there); confirming marks the deal won with the contract's amount and currency, the signing
date as its close date, and files one attachment per file against the deal and its account (the
same file sent again is the same attachment). Checks made on the card and again on confirm: the
amount against the deal's and the approved quote's (more than 1 % apart: a warning line), and a
contract below the approved quote is also told to the rep's manager (price control)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from storage.attachments import attachment_store
from storage.models import Attachment, Opportunity, Stage
from storage.repos.attachments import (
    MATCH_TOLERANCE, amount_matches, approved_quote_of, attachment_by_sha, net_amount,
)
from storage.repos.common import save
from tools.base import Notice, ToolContext, ToolError, ToolResult, tool
from tools.deal_rules import current_open_deal, deal_named, record_stage
from tools.opportunities import check_amount
from tools.permissions import require_account
from tools.resolve import find_account
from tools.schemas import FileContractArgs
from tools.values import day, deal_summary, money, ref


@tool(writes=True, offered=False)
def file_contract(ctx: ToolContext, args: FileContractArgs) -> ToolResult:
    """File a signed contract (photos or a PDF already received) against the customer's deal and
    mark the deal won with the contract's amount, currency and signing date as its close date."""
    check_amount(ctx, args.amount)
    store = attachment_store(ctx.settings)
    if any(not store.has(f.sha256) for f in args.files):
        raise ToolError("contract_file_missing")
    account = find_account(ctx, args.account)
    require_account(ctx, account)
    deal = deal_named(ctx, account, args.opportunity) if args.opportunity else current_open_deal(ctx.session, account.id)
    if deal is None:
        raise ToolError("no_open_deal", account=account.name)
    if Stage(deal.stage) == Stage.lost:
        raise ToolError("contract_deal_lost", opportunity=deal.name)
    if args.signed_on > ctx.today():
        raise ToolError("contract_signed_in_future", day=args.signed_on.isoformat())
    currency = args.currency or deal.currency
    checks = _checks(ctx, deal, args.amount, currency)
    changes = _close(ctx, deal, args.amount, currency, args)
    files = [_file(ctx, f, account.id, deal.id, args, currency) for f in args.files]
    notify = []
    manager_id = ctx.user.manager_id
    if checks.get("below_quote") and manager_id and manager_id != ctx.user.id:
        notify.append(Notice(manager_id, "contract_below_quote", {
            "rep": ref(ctx.user), "account": ref(account), "opportunity": {"id": deal.id, "name": deal.name},
            "contract_no": args.contract_no, "amount": money(args.amount, currency),
            "quote": checks["quote"], "as_of": ctx.today().isoformat()}))
    return ToolResult("file_contract", {
        "account": ref(account), "opportunity": deal_summary(deal), "changes": changes,
        "contract_no": args.contract_no, "amount": money(args.amount, currency),
        "signed_on": day(args.signed_on), "start_on": day(args.start_on), "end_on": day(args.end_on),
        "attachments": files, "checks": checks,
    }, notify=notify)


def _checks(ctx: ToolContext, deal: Opportunity, amount: Decimal, currency: str) -> dict[str, Any]:
    """What the card warns about: the amount against the deal's and the approved quote's."""
    out: dict[str, Any] = {"warnings": []}
    if deal.amount and deal.currency == currency and not amount_matches(amount, Decimal(deal.amount)):
        out["warnings"].append({"kind": "deal_amount", "expected": money(deal.amount, deal.currency),
                                "pct": _pct(amount, Decimal(deal.amount))})
    if deal.currency and deal.currency != currency:
        out["warnings"].append({"kind": "currency", "expected": deal.currency, "got": currency})
    quote = approved_quote_of(deal, session=ctx.session)
    if quote is not None and quote.currency == currency:
        net = net_amount(quote)
        out["quote"] = {"id": quote.id, "amount": money(net, quote.currency)}
        if not amount_matches(amount, net):
            out["warnings"].append({"kind": "quote_amount", "expected": money(net, quote.currency),
                                    "pct": _pct(amount, net), "quote_id": quote.id})
        out["below_quote"] = amount < net * (1 - MATCH_TOLERANCE)
    return out


def _pct(amount: Decimal, reference: Decimal) -> str:
    return str(((amount - reference) / reference * 100).quantize(Decimal("0.1")))


def _close(ctx: ToolContext, deal: Opportunity, amount: Decimal, currency: str,
           args: FileContractArgs) -> dict[str, Any]:
    before = {"stage": Stage(deal.stage).value, "amount": _plain(deal.amount), "currency": deal.currency,
              "closed_on": day(deal.closed_on)}
    now = ctx.clock()
    if Stage(deal.stage) != Stage.won:
        record_stage(ctx, deal, Stage(deal.stage), Stage.won, now)
    deal.stage, deal.amount, deal.currency = Stage.won, amount, currency
    deal.closed_on, deal.updated_at = args.signed_on, now
    ctx.session.add(deal)
    ctx.session.flush()
    after = {"stage": Stage.won.value, "amount": _plain(amount), "currency": currency,
             "closed_on": day(args.signed_on)}
    changes = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changes:
        ctx.audit("update", "opportunity", deal.id, {k: c["before"] for k, c in changes.items()},
                  {k: c["after"] for k, c in changes.items()})
    return changes


def _file(ctx: ToolContext, f, account_id: int, deal_id: int, args: FileContractArgs,
          currency: str) -> dict[str, Any]:
    """One attachment row per distinct file: a file filed before is linked to this deal again."""
    read = dict(args.read or {})
    read.update({"contract_no": args.contract_no, "amount": _plain(args.amount),
                 "currency": currency, "signed_on": day(args.signed_on),
                 "start_on": day(args.start_on), "end_on": day(args.end_on)})
    row = attachment_by_sha(f.sha256, session=ctx.session)
    if row is None:
        row = save(Attachment(sha256=f.sha256, mime=f.mime, bytes=f.bytes, pages=f.pages, kind="contract",
                              name=f.name, account_id=account_id, opportunity_id=deal_id,
                              uploaded_by=ctx.user.id, uploaded_at=ctx.clock(), fields=read),
                   session=ctx.session)
        ctx.audit("create", "attachment", row.id, None,
                  {"sha256": row.sha256, "account_id": account_id, "opportunity_id": deal_id})
        return {"id": row.id, "sha256": row.sha256, "new": True}
    before = {"account_id": row.account_id, "opportunity_id": row.opportunity_id}
    row.account_id, row.opportunity_id, row.fields = account_id, deal_id, read
    ctx.session.add(row)
    ctx.session.flush()
    ctx.audit("update", "attachment", row.id, before, {"account_id": account_id, "opportunity_id": deal_id})
    return {"id": row.id, "sha256": row.sha256, "new": False}


def _plain(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))
