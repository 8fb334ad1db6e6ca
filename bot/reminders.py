"""Done / Snooze 1h / Tomorrow pressed on a delivered reminder."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.choices import Choice
from bot.outcome import Outcome
from bot.turn import Turn
from prompts.ui import t
from storage.models import AuditLog, Reminder, ReminderStatus

_DONE = {"zh": "✅ 已完成：{text}", "en": "✅ Done: {text}"}
_SNOOZED = {"zh": "⏰ 已推迟到 {when}", "en": "⏰ Snoozed until {when}"}


def on_reminder_choice(turn: Turn, ref: Choice) -> Outcome:
    session, user, lang = turn.session, turn.user, turn.language
    reminder = session.get(Reminder, ref.target)
    if reminder is None or reminder.user_id != user.id or reminder.status in (
            ReminderStatus.done, ReminderStatus.cancelled):
        return Outcome().say(t(lang, "draft_stale"), replaces_card=True, kind="notice")
    now = turn.now
    before = {"status": str(reminder.status), "due_at": reminder.due_at.isoformat()}
    tz = ZoneInfo(reminder.timezone or user.timezone)
    if ref.action == "done":
        reminder.status = ReminderStatus.done
        text = _DONE["en" if lang == "en" else "zh"].format(text=reminder.text)
    elif ref.action in ("snooze1h", "tomorrow"):
        if ref.action == "snooze1h":
            due = now + timedelta(hours=1)
        else:
            local_tomorrow = now.astimezone(tz).date() + timedelta(days=1)
            due = datetime.combine(local_tomorrow, time(9), tzinfo=tz)
        reminder.due_at, reminder.status = due, ReminderStatus.pending
        reminder.claimed_by = reminder.claimed_at = reminder.delivered_at = None
        text = _SNOOZED["en" if lang == "en" else "zh"].format(when=due.astimezone(tz).strftime("%m-%d %H:%M"))
    else:
        return Outcome().say(t(lang, "draft_stale"), replaces_card=True, kind="notice")
    session.add(AuditLog(at=now, actor_id=user.id, action=f"reminder_{ref.action}", entity="reminder",
                         entity_id=reminder.id, before=before,
                         after={"status": str(reminder.status), "due_at": reminder.due_at.isoformat()}))
    return Outcome().say(text, replaces_card=True)
