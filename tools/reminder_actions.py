"""complete_reminder, delete_reminder, move_reminder: what a user says about a reminder they set.

A reminder is found among the acting user's own open reminders (pending, or delivered and not yet
acted on) by any mix of its number, its words, its customer, its day and its time of day. Words
match loosely (the user's phrase against the reminder's text, and the customer's names); the best
match wins when it is clearly ahead, otherwise `ambiguous_reminder` lists the candidates so the
user can say which. Nobody else's reminder is ever matched: a manager does not tick off a rep's.
"""
from __future__ import annotations

from datetime import datetime

from rapidfuzz import fuzz

from storage.models import Account, Reminder, ReminderStatus
from storage.names import fold
from storage.repos.reminders import open_reminders
from tools.base import ToolContext, ToolError, ToolResult, tool
from tools.reminders import local_due
from tools.resolve import find_account
from tools.schemas import CompleteReminderArgs, DeleteReminderArgs, MoveReminderArgs, ReminderRefArgs
from tools.values import local_instant, ref

TEXT_MATCH = 60  # rapidfuzz partial ratio a phrase needs to mean a reminder
CLEAR_LEAD = 8  # how far ahead the best match must be to be picked without asking


@tool(writes=True)
def complete_reminder(ctx: ToolContext, args: CompleteReminderArgs) -> ToolResult:
    """Mark one of the user's reminders as done ("给鼎盛袁总回电话那个提醒已经办完了", "the Globex
    call reminder is done"). The reminder is named by any of: its number, words of its text, its
    customer, the day or time it is due."""
    reminder, account = find_reminder(ctx, args)
    return _set_status(ctx, reminder, account, ReminderStatus.done, "complete_reminder")


@tool(writes=True)
def delete_reminder(ctx: ToolContext, args: DeleteReminderArgs) -> ToolResult:
    """Delete (cancel) one of the user's reminders ("把12月31号那个提醒删掉", "remove my reminder to
    call Dana"). The reminder is named as for complete_reminder."""
    reminder, account = find_reminder(ctx, args)
    return _set_status(ctx, reminder, account, ReminderStatus.cancelled, "delete_reminder")


@tool(writes=True)
def move_reminder(ctx: ToolContext, args: MoveReminderArgs) -> ToolResult:
    """Move one of the user's reminders to another day and/or time ("push my 3pm reminder to
    tomorrow", "把给袁总回电话的提醒改到周五下午"). `new_day` alone keeps its time of day,
    `new_time` alone keeps its day. The reminder is named as for complete_reminder."""
    reminder, account = find_reminder(ctx, args)
    current = reminder.due_at.astimezone(ctx.tz)
    day = args.new_day or current.date()
    clock = args.new_time or current.time().replace(second=0, microsecond=0)
    due = local_due(ctx, datetime.combine(day, clock))
    if due < ctx.now():
        raise ToolError("reminder_in_past", due_at=due.isoformat(timespec="minutes"))
    before = {"due_at": reminder.due_at.isoformat(), "status": str(reminder.status)}
    reminder.due_at, reminder.status = due, ReminderStatus.pending
    reminder.claimed_by = reminder.claimed_at = reminder.delivered_at = reminder.not_before = None
    reminder.attempts = 0
    ctx.session.add(reminder)
    ctx.session.flush()
    ctx.audit("move", "reminder", reminder.id, before,
              {"due_at": due.isoformat(), "status": ReminderStatus.pending.value})
    return ToolResult("move_reminder", {**_summary(ctx, reminder, account),
                                        "moved_from": local_instant(current, ctx.tz)})


def find_reminder(ctx: ToolContext, args: ReminderRefArgs) -> tuple[Reminder, Account | None]:
    """The one open reminder of the acting user that `args` describe (see the module docstring)."""
    rows = open_reminders(session=ctx.session, user_id=ctx.user.id)
    mention = _mention(args)
    if args.reminder_id is not None:
        rows = [r for r in rows if r.id == args.reminder_id]
    if args.due_on is not None:
        rows = [r for r in rows if r.due_at.astimezone(ctx.tz).date() == args.due_on]
    if args.due_time is not None:
        wanted = args.due_time.strftime("%H:%M")
        rows = [r for r in rows if r.due_at.astimezone(ctx.tz).strftime("%H:%M") == wanted]
    accounts = {r.account_id: ctx.session.get(Account, r.account_id) for r in rows if r.account_id}
    words = [w for w in (args.text,) if w]
    if args.account is not None:
        named = _account(ctx, args.account)
        if named is not None:
            rows = [r for r in rows if r.account_id == named.id or _says(r.text, named)]
        else:
            words.append(args.account)  # not a known customer: it is part of what the reminder says
    if words:
        scored = sorted(((_score(" ".join(words), r, accounts.get(r.account_id)), r) for r in rows),
                        key=lambda x: -x[0])
        scored = [(s, r) for s, r in scored if s >= TEXT_MATCH]
        if len(scored) > 1 and scored[0][0] - scored[1][0] >= CLEAR_LEAD:
            scored = scored[:1]
        rows = [r for _, r in scored]
    if not rows:
        raise ToolError("reminder_not_found", mention=mention)
    if len(rows) > 1:
        raise ToolError("ambiguous_reminder", mention=mention,
                        candidates=[_label(ctx, r, accounts.get(r.account_id)) for r in rows[:5]])
    reminder = rows[0]
    return reminder, accounts.get(reminder.account_id)


def _account(ctx: ToolContext, mention: str) -> Account | None:
    try:
        return find_account(ctx, mention)
    except ToolError:
        return None


def _says(text: str, account: Account) -> bool:
    low = fold(text)
    return any(fold(n) in low for n in [account.name, *(account.aliases or [])] if n)


def _score(phrase: str, reminder: Reminder, account: Account | None) -> float:
    """How well the user's phrase describes the reminder: its text, with its customer's name
    counted as part of it (给鼎盛袁总回电话 against 给袁总回电话 about 鼎盛地产)."""
    key = fold(phrase).replace(" ", "")
    names = [account.name, *(account.aliases or [])] if account is not None else []
    for name in sorted((fold(n).replace(" ", "") for n in names if n), key=len, reverse=True):
        key = key.replace(name, "")
    text = fold(reminder.text).replace(" ", "")
    if not key:
        return 100.0 if account is not None else 0.0
    return max(fuzz.partial_ratio(key, text), fuzz.token_set_ratio(fold(phrase), fold(reminder.text)))


def _mention(args: ReminderRefArgs) -> str:
    parts = [f"#{args.reminder_id}" if args.reminder_id else None, args.account, args.text,
             args.due_on.isoformat() if args.due_on else None,
             args.due_time.strftime("%H:%M") if args.due_time else None]
    return " ".join(p for p in parts if p) or "…"


def _label(ctx: ToolContext, reminder: Reminder, account: Account | None) -> str:
    when = reminder.due_at.astimezone(ctx.tz).strftime("%m-%d %H:%M")
    return f"{when} {reminder.text}" + (f" ({account.name})" if account is not None else "")


def _set_status(ctx: ToolContext, reminder: Reminder, account: Account | None, status: ReminderStatus,
                name: str) -> ToolResult:
    before = {"status": str(reminder.status)}
    reminder.status = status
    ctx.session.add(reminder)
    ctx.session.flush()
    ctx.audit("complete" if status is ReminderStatus.done else "cancel", "reminder", reminder.id,
              before, {"status": status.value})
    return ToolResult(name, _summary(ctx, reminder, account))


def _summary(ctx: ToolContext, reminder: Reminder, account: Account | None) -> dict:
    return {"reminder_id": reminder.id, "text": reminder.text, "account": ref(account),
            "due_at": local_instant(reminder.due_at, ctx.tz), "status": str(reminder.status)}
