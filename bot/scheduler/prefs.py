"""What proactive messages a user wants, and when: `User.preferences`.

    {"off": ["weekly_digest", "stale_deals"],   kinds switched off (default: all on)
     "quiet_hours": "22:00-08:00",               local time; "off" = none (default 22:00-08:00)
     "brief_at": "08:30"}                        the morning brief's local time (default 08:30)

Kinds: next_step_reminders (a visit's dated next step becomes a reminder), stale_deals,
approval_nudges, morning_brief, weekly_digest, data_star, value_report. Reminders the user asked for cannot be
switched off, and one set for a time inside quiet hours goes out at that time; everything the bot
sends unasked (and a reminder more than an hour late) waits for the end of quiet hours.

Changed from the command line (`salesbot users prefs 3 --off weekly_digest --quiet 23:00-07:00`),
from chat (`/notify`, `/notify off weekly_digest`, `/notify quiet 22:00-08:00`), or with the
🔕 button under a digest, brief or nudge.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.models import User

KINDS = ("next_step_reminders", "stale_deals", "approval_nudges", "morning_brief", "weekly_digest", "data_star",
         "value_report")
# short names for button ids (at most 16 characters an action) and for typing
SHORT = {"nextstep": "next_step_reminders", "stale": "stale_deals", "approval": "approval_nudges",
         "brief": "morning_brief", "digest": "weekly_digest", "datastar": "data_star",
         "value": "value_report"}
CODE = {kind: code for code, kind in SHORT.items()}
DEFAULT_QUIET = "22:00-08:00"
DEFAULT_BRIEF_AT = time(8, 30)
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:：.]?([0-5]\d)$")


class PreferenceError(ValueError):
    """A preference value that cannot be used; the message says what is accepted."""


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, moment: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def held_until(self, now: datetime, tz: ZoneInfo) -> datetime | None:
        """The end of the quiet hours `now` falls in (an aware datetime), or None when it does not."""
        local = now.astimezone(tz)
        if not self.contains(local.time().replace(tzinfo=None)):
            return None
        day = local.date()
        if self.start > self.end and local.time().replace(tzinfo=None) >= self.start:
            day += timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=tz)


def parse_time(text: str) -> time:
    match = _HHMM.match(text.strip())
    if not match:
        raise PreferenceError(f"{text!r} is not a time of day; use HH:MM, e.g. 08:30")
    return time(int(match.group(1)), int(match.group(2)))


def parse_quiet(text: str) -> QuietHours | None:
    """'22:00-08:00' → QuietHours; 'off' / 'none' → None."""
    value = text.strip().lower()
    if value in ("off", "none", "关闭", "关", "无"):
        return None
    parts = re.split(r"\s*(?:-|–|—|~|到|至)\s*", value)
    if len(parts) != 2:
        raise PreferenceError(f"{text!r} is not a range of hours; use HH:MM-HH:MM (e.g. 22:00-08:00) or off")
    quiet = QuietHours(parse_time(parts[0]), parse_time(parts[1]))
    if quiet.start == quiet.end:
        raise PreferenceError("quiet hours must start and end at different times (or use off)")
    return quiet


def kind_of(name: str) -> str:
    """A kind from its name or short name (weekly_digest, digest)."""
    key = name.strip().lower().replace("-", "_")
    if key in KINDS:
        return key
    if key in SHORT:
        return SHORT[key]
    raise PreferenceError(f"unknown message kind {name!r}; kinds: {', '.join(KINDS)}")


def enabled(user: User, kind: str) -> bool:
    return kind not in ((user.preferences or {}).get("off") or [])


def quiet_hours(user: User) -> QuietHours | None:
    raw = (user.preferences or {}).get("quiet_hours", DEFAULT_QUIET)
    try:
        return parse_quiet(str(raw)) if raw is not None else None
    except PreferenceError:
        return parse_quiet(DEFAULT_QUIET)


def brief_time(user: User) -> time:
    raw = (user.preferences or {}).get("brief_at")
    try:
        return parse_time(str(raw)) if raw else DEFAULT_BRIEF_AT
    except PreferenceError:
        return DEFAULT_BRIEF_AT


def user_tz(user: User, default: str) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def held_until(user: User, now: datetime, default_tz: str) -> datetime | None:
    """When a message for `user` may go out if not now (their quiet hours), else None."""
    quiet = quiet_hours(user)
    return quiet.held_until(now, user_tz(user, default_tz)) if quiet else None


ON_TIME = timedelta(hours=1)


def reminder_held_until(user: User, reminder_kind: str, due_at: datetime, now: datetime,
                        default_tz: str) -> datetime | None:
    """Like `held_until`, except that a reminder the user set for a time inside their quiet hours
    ("晚上11点提醒我…") goes out at that time: they asked for it then. It is held only when it is
    late by more than an hour (the bot was down) or was generated (a visit's next step)."""
    hold = held_until(user, now, default_tz)
    if hold is None or reminder_kind == "next_step":
        return hold
    asked_for_quiet_time = held_until(user, due_at, default_tz) == hold
    return None if asked_for_quiet_time and now - due_at <= ON_TIME else hold


def updated(user: User, *, off: tuple[str, ...] = (), on: tuple[str, ...] = (), quiet: str | None = None,
            brief_at: str | None = None) -> dict:
    """`user.preferences` with the changes applied (a new dict: JSON columns track assignment, not
    mutation). Raises `PreferenceError` naming a bad value; nothing is changed then."""
    prefs = dict(user.preferences or {})
    switched_off = [k for k in (prefs.get("off") or []) if k in KINDS]
    for name in off:
        kind = kind_of(name)
        if kind not in switched_off:
            switched_off.append(kind)
    for name in on:
        kind = kind_of(name)
        switched_off = [k for k in switched_off if k != kind]
    prefs["off"] = sorted(switched_off, key=KINDS.index)
    if quiet is not None:
        hours = parse_quiet(quiet)
        prefs["quiet_hours"] = str(hours) if hours else "off"
    if brief_at is not None:
        prefs["brief_at"] = f"{parse_time(brief_at):%H:%M}"
    return prefs
