"""log_visit: a rep reports a visit, call or meeting."""
from __future__ import annotations

from storage.models import Channel, Visit, VisitContact
from storage.repos.common import save
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.deal_rules import current_open_deal
from tools.permissions import require_account
from tools.resolve import find_or_create_account, find_or_create_contacts
from tools.schemas import LogVisitArgs
from tools.values import day, ref


@tool(writes=True)
def log_visit(ctx: ToolContext, args: LogVisitArgs) -> ToolResult:
    """Record a visit, call or meeting with a customer: who was met, when (default today), how
    (channel), what was discussed and the agreed next step. A customer or contact not in the CRM
    yet is created (the confirmation card says so). The visit is attached to the customer's open
    deal, if it has one. Use once per conversation reported."""
    today = ctx.today()
    occurred_on = args.occurred_on or today
    if occurred_on > today:
        raise ToolError("visit_in_future", occurred_on=occurred_on.isoformat())
    account, created_account = find_or_create_account(ctx, args.account)
    if not created_account:
        require_account(ctx, account)
    contacts = find_or_create_contacts(ctx, account, args.contacts or [])
    deal = current_open_deal(ctx.session, account.id)

    channel = Channel(args.channel) if args.channel else None
    visit = save(Visit(
        account_id=account.id, opportunity_id=deal.id if deal else None, rep_id=ctx.user.id,
        occurred_on=occurred_on, channel=channel, summary=args.summary, next_step=args.next_step,
        source=ctx.source, source_text=ctx.source_message, transcript=ctx.transcript, created_at=ctx.clock(),
    ), session=ctx.session)
    for contact, _ in contacts:
        ctx.session.add(VisitContact(visit_id=visit.id, contact_id=contact.id))
    ctx.session.flush()
    ctx.audit("create", "visit", visit.id, None, {
        "account_id": account.id, "opportunity_id": visit.opportunity_id,
        "occurred_on": occurred_on.isoformat(), "channel": channel.value if channel else None,
        "contact_ids": [c.id for c, _ in contacts], "summary": args.summary,
        "next_step": args.next_step,
    })
    return ToolResult("log_visit", {
        "visit_id": visit.id,
        "account": ref(account),
        "created_account": created_account,
        "contacts": [{"id": c.id, "name": c.name, "created": new} for c, new in contacts],
        "created_contacts": [c.name for c, new in contacts if new],
        "occurred_on": day(occurred_on),
        "channel": channel.value if channel else None,
        "summary": args.summary,
        "next_step": args.next_step,
        "opportunity": {"id": deal.id, "name": deal.name, "stage": str(deal.stage)} if deal else None,
    })
