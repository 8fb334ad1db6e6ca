"""log_visit: a rep reports a visit, call or meeting.

A next step with a due day (`next_step_due`, after today) becomes a reminder for the rep at 09:00
local time that day, in the same transaction, unless the rep switched next-step reminders off
(`"next_step_reminders"` in `User.preferences["off"]`).
"""
from __future__ import annotations

from datetime import datetime, time

from storage.models import Channel, Reminder, ReminderStatus, User, Visit, VisitContact
from storage.repos.common import save
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.deal_rules import current_open_deal
from tools.permissions import require_account
from tools.resolve import find_or_create_account, find_or_create_contacts
from tools.schemas import LogVisitArgs
from tools.values import day, local_instant, ref

NEXT_STEP_HOUR = time(9)


@tool(writes=True)
def log_visit(ctx: ToolContext, args: LogVisitArgs) -> ToolResult:
    """Record a visit, call or meeting with a customer: who was met, when (default today), how
    (channel), what was discussed and the agreed next step with its due day. A customer or contact
    not in the CRM yet is created (the confirmation card says so). The visit is attached to the
    customer's open deal, if it has one; a next step due on a later day becomes a reminder at 09:00
    that day. Use once per conversation reported."""
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
        next_step_due=args.next_step_due if args.next_step else None,
        source=ctx.source, source_text=ctx.source_message, transcript=ctx.transcript, created_at=ctx.clock(),
    ), session=ctx.session)
    for contact, _ in contacts:
        ctx.session.add(VisitContact(visit_id=visit.id, contact_id=contact.id))
    ctx.session.flush()
    ctx.audit("create", "visit", visit.id, None, {
        "account_id": account.id, "opportunity_id": visit.opportunity_id,
        "occurred_on": occurred_on.isoformat(), "channel": channel.value if channel else None,
        "contact_ids": [c.id for c, _ in contacts], "summary": args.summary,
        "next_step": args.next_step, "next_step_due": day(visit.next_step_due),
    })
    reminder = _next_step_reminder(ctx, visit)
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
        "next_step_due": day(visit.next_step_due),
        "next_step_reminder": {"id": reminder.id, "due_at": local_instant(reminder.due_at, ctx.tz)} if reminder else None,
        "opportunity": {"id": deal.id, "name": deal.name, "stage": str(deal.stage)} if deal else None,
    })


def _next_step_reminder(ctx: ToolContext, visit: Visit) -> Reminder | None:
    if not visit.next_step or visit.next_step_due is None or visit.next_step_due <= ctx.today():
        return None
    if not wants(ctx.user, "next_step_reminders"):
        return None
    due = datetime.combine(visit.next_step_due, NEXT_STEP_HOUR, tzinfo=ctx.tz)
    reminder = save(Reminder(
        user_id=ctx.user.id, account_id=visit.account_id, visit_id=visit.id, text=visit.next_step,
        due_at=due, timezone=str(ctx.tz.key), status=ReminderStatus.pending, kind="next_step",
        created_at=ctx.clock()), session=ctx.session)
    ctx.audit("create", "reminder", reminder.id, None, {
        "user_id": ctx.user.id, "account_id": visit.account_id, "visit_id": visit.id,
        "text": visit.next_step, "due_at": due.isoformat(), "timezone": reminder.timezone, "kind": "next_step"})
    return reminder


def wants(user: User, kind: str) -> bool:
    """Whether `user` still wants proactive messages of `kind` (see bot/scheduler/prefs.py)."""
    off = (user.preferences or {}).get("off") or []
    return kind not in off
