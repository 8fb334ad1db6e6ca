"""create_reminder and list_reminders: what is on my plate, and when."""
from __future__ import annotations

from datetime import datetime

from storage.models import Account, Reminder, ReminderStatus
from storage.repos.common import save
from storage.repos.reminders import pending_reminders
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.periods import period_range
from tools.permissions import require_account
from tools.resolve import find_account
from tools.schemas import CreateReminderArgs, ListRemindersArgs
from tools.values import local_instant, ref


@tool(writes=True)
def create_reminder(ctx: ToolContext, args: CreateReminderArgs) -> ToolResult:
    """Set a reminder for the acting user: when (local wall-clock time, YYYY-MM-DDTHH:MM; 09:00 if
    no time was said), what to do, and optionally the customer it concerns. The reminder is sent
    at that local time in the user's timezone."""
    due_at = local_due(ctx, args.due_at)
    if due_at < ctx.now():
        raise ToolError("reminder_in_past", due_at=due_at.isoformat(timespec="minutes"))
    account = None
    if args.account is not None:
        account = find_account(ctx, args.account)
        require_account(ctx, account)
    tz_name = str(ctx.tz.key)
    reminder = save(Reminder(
        user_id=ctx.user.id, account_id=account.id if account else None, text=args.text,
        due_at=due_at, timezone=tz_name, status=ReminderStatus.pending, created_at=ctx.clock(),
    ), session=ctx.session)
    ctx.audit("create", "reminder", reminder.id, None, {
        "user_id": ctx.user.id, "account_id": reminder.account_id, "text": args.text,
        "due_at": due_at.isoformat(), "timezone": tz_name,
    })
    return ToolResult("create_reminder", {
        "reminder_id": reminder.id, "due_at": local_instant(due_at, ctx.tz), "timezone": tz_name,
        "text": args.text, "account": ref(account),
    })


def local_due(ctx: ToolContext, due_at: datetime) -> datetime:
    """A naive due time is wall-clock in the user's timezone; an aware one is kept as given."""
    if due_at.tzinfo is None:
        return due_at.replace(tzinfo=ctx.tz)
    return due_at.astimezone(ctx.tz)


@tool(writes=False)
def list_reminders(ctx: ToolContext, args: ListRemindersArgs) -> ToolResult:
    """List the acting user's pending reminders, soonest first, optionally only those due in a
    period (today, this_week, next_week...). Overdue ones are included and marked."""
    span = period_range(args.period, ctx.today()) if args.period else None
    start, end = span.bounds(ctx.tz) if span else (None, None)
    rows = pending_reminders(session=ctx.session, user_ids=[ctx.user.id], start=start, end=end)
    accounts = {r.account_id: ctx.session.get(Account, r.account_id) for r in rows if r.account_id}
    now = ctx.now()
    return ToolResult("list_reminders", {
        "period": args.period,
        "range": span.to_json() if span else None,
        "reminders": [{
            "id": r.id, "text": r.text, "due_at": local_instant(r.due_at, ctx.tz),
            "account": ref(accounts.get(r.account_id)), "overdue": r.due_at < now,
        } for r in rows],
    })
