"""Proactive messages as `Reply`s: a due reminder with Done / Snooze 1h / Tomorrow, and the 🔕
button that switches a kind of generated message off. Texts are in `prompts/proactive.py`."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.choices import Choice as Pick
from bot.messages import Choice, Reply
from bot.render_results import Fmt
from bot.scheduler.prefs import CODE, user_tz
from prompts.proactive import pt
from storage.models import Account, Reminder, User

LATE_AFTER = timedelta(minutes=10)  # say when it was due if it goes out later than this


def reminder_reply(reminder: Reminder, user: User, *, session: Session, now: datetime, default_tz: str) -> Reply:
    lang = user.language
    tz = user_tz(user, default_tz)
    f = Fmt(lang, now.astimezone(tz).date())
    key = "reminder_next_step" if reminder.kind == "next_step" else "reminder"
    lines = [pt(lang, key, text=reminder.text)]
    account = session.get(Account, reminder.account_id) if reminder.account_id else None
    if account is not None:
        lines.append(pt(lang, "reminder_account", account=account.name))
    if now - reminder.due_at > LATE_AFTER:
        due = reminder.due_at.astimezone(tz)
        lines.append(pt(lang, "reminder_late", due=f"{f.day(due.date())} {due:%H:%M}"))
    choices = (Pick("r", reminder.id, "done").option(pt(lang, "btn_done"), "primary"),
               Pick("r", reminder.id, "snooze1h").option(pt(lang, "btn_snooze")),
               Pick("r", reminder.id, "tomorrow").option(pt(lang, "btn_tomorrow")))
    return Reply(text="\n".join(lines), choices=choices, kind="notice")


def off_choice(user: User, kind: str) -> Choice:
    return Pick("p", user.id, f"off_{CODE[kind]}").option(pt(user.language, "btn_off"))
