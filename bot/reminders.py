"""Done / Snooze 1h / Tomorrow pressed on a delivered reminder."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.cards import ChoiceRef
from bot.outcome import Outcome
from prompts.ui import t
from storage.models import AuditLog, Reminder, ReminderStatus, User

if TYPE_CHECKING:
    from bot.loop import ConversationLoop

_DONE = {"zh": "✅ 已完成：{text}", "en": "✅ Done: {text}"}
_SNOOZED = {"zh": "⏰ 已推迟到 {when}", "en": "⏰ Snoozed until {when}"}


def on_reminder_choice(loop: ConversationLoop, session: Session, user: User, ref: ChoiceRef,
                       lang: str) -> Outcome:
    reminder = session.get(Reminder, ref.target)
    if reminder is None or reminder.user_id != user.id or reminder.status in (
            ReminderStatus.done, ReminderStatus.cancelled):
        return Outcome().say(t(lang, "draft_stale"), replaces_card=True)
    now = loop.app.clock()
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
        return Outcome().say(t(lang, "draft_stale"), replaces_card=True)
    session.add(AuditLog(at=now, actor_id=user.id, action=f"reminder_{ref.action}", entity="reminder",
                         entity_id=reminder.id, before=before,
                         after={"status": str(reminder.status), "due_at": reminder.due_at.isoformat()}))
    return Outcome().say(text, replaces_card=True)
