"""Changing what proactive messages one gets: `/notify` in chat, the 🔕 button under a generated
message, and `salesbot users prefs` on the command line. Every change is audited."""
from __future__ import annotations

import argparse
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.outcome import Outcome
from bot.scheduler.prefs import CODE, KINDS, SHORT, PreferenceError, brief_time, quiet_hours, updated
from prompts.proactive import kind_name, pt
from prompts.ui import t
from storage.models import AuditLog, User

if TYPE_CHECKING:
    from bot.choices import Choice

_COMMAND = re.compile(r"^\s*/(?:notify|notifications|通知)(?:@\w+)?\b\s*(.*)$", re.IGNORECASE | re.DOTALL)


def apply(session: Session, user: User, *, now: datetime, actor_id: int | None, **changes) -> dict:
    """Apply preference changes (see `prefs.updated`) with an audit entry; returns the new prefs."""
    before = dict(user.preferences or {})
    after = updated(user, **changes)
    if after != before:
        user.preferences = after
        session.add(user)
        session.add(AuditLog(at=now, actor_id=actor_id, action="preferences", entity="user",
                             entity_id=user.id, before=before, after=after))
    return after


def describe(user: User) -> str:
    lang = user.language
    off = set((user.preferences or {}).get("off") or [])
    names = lambda kinds: ", ".join(f"{kind_name(lang, k)} ({CODE[k]})" for k in kinds) or pt(lang, "none")
    quiet = quiet_hours(user)
    return pt(lang, "notify_status", on=names([k for k in KINDS if k not in off]), off=names([k for k in KINDS if k in off]),
              quiet=str(quiet) if quiet else pt(lang, "none"), brief_at=f"{brief_time(user):%H:%M}")


def notify_command(session: Session, user: User, text: str, *, now: datetime) -> str | None:
    """The answer to `/notify [off|on KIND… | quiet HH:MM-HH:MM|off | brief HH:MM]`, or None
    when `text` is not that command."""
    match = _COMMAND.match(text or "")
    if not match:
        return None
    words = match.group(1).split()
    if not words:
        return describe(user)
    verb, rest = words[0].lower(), words[1:]
    try:
        if verb in ("off", "关闭", "关") and rest:
            apply(session, user, now=now, actor_id=user.id, off=tuple(rest))
        elif verb in ("on", "打开", "开启", "开") and rest:
            apply(session, user, now=now, actor_id=user.id, on=tuple(rest))
        elif verb in ("quiet", "免打扰") and rest:
            apply(session, user, now=now, actor_id=user.id, quiet=" ".join(rest))
        elif verb in ("brief", "早报") and rest:
            apply(session, user, now=now, actor_id=user.id, brief_at=rest[0])
        else:
            raise PreferenceError(" ".join(words))
    except PreferenceError as exc:
        return pt(user.language, "notify_bad", error=str(exc)) + "\n\n" + describe(user)
    return describe(user)


def on_pref_choice(session: Session, user: User, ref: Choice, lang: str, *, now: datetime) -> Outcome:
    """🔕 pressed: switch that kind off for the presser, who must be the user it was sent to."""
    code = ref.action.removeprefix("off_")
    if ref.target != user.id or not ref.action.startswith("off_") or code not in SHORT:
        return Outcome().say(t(lang, "draft_stale"), kind="notice")
    apply(session, user, now=now, actor_id=user.id, off=(code,))
    return Outcome().say(pt(lang, "turned_off", kind=kind_name(lang, SHORT[code]), code=code))


# --- salesbot users prefs ------------------------------------------------------------------


def add_prefs_command(users_sub: argparse._SubParsersAction) -> None:
    p = users_sub.add_parser(
        "prefs", help="show or change a user's proactive messages and quiet hours",
        description="Show USER_ID's notification settings, or change them: switch kinds of proactive "
                    f"messages off or on ({', '.join(KINDS)}), set quiet hours (local time; messages "
                    "wait until they end) or the morning brief's time.",
        epilog="example: salesbot users prefs 3 --off weekly_digest --quiet 22:30-07:30")
    p.add_argument("user_id", type=int, metavar="USER_ID")
    p.add_argument("--off", nargs="+", default=[], metavar="KIND", help="switch these kinds off")
    p.add_argument("--on", nargs="+", default=[], metavar="KIND", help="switch these kinds back on")
    p.add_argument("--quiet", metavar="HH:MM-HH:MM|off", help="quiet hours, or off for none")
    p.add_argument("--brief-at", metavar="HH:MM", help="local time of the morning brief")
    p.set_defaults(handler=cmd_users_prefs, quiet_logs=True)


def cmd_users_prefs(args, settings) -> int:
    from bot.cli import CliError
    from storage.db import make_engine, migrate, session_scope

    engine = make_engine(settings.database_url)
    migrate(engine)
    try:
        with session_scope(engine) as session:
            user = session.get(User, args.user_id)
            if user is None:
                raise CliError(f"no user with id {args.user_id}; `salesbot users list` shows them")
            if args.off or args.on or args.quiet is not None or args.brief_at is not None:
                apply(session, user, now=datetime.now(timezone.utc), actor_id=None, off=tuple(args.off),
                      on=tuple(args.on), quiet=args.quiet, brief_at=args.brief_at)
            print(f"{user.id} {user.name}\n{describe(user)}")
    except PreferenceError as exc:
        raise CliError(str(exc)) from None
    return 0
