"""Fill the prompts of `prompts/llm.py` for one message: the system text and the chat turns.

Pure: no langchain here, so the prompt is testable and cheap to build. The system text carries the
user's now, a small calendar around it (models get weekday arithmetic wrong far more often than
they misread a table), role and team, the value rules, the pre-matched accounts and the examples.
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from intents.base import ParseContext
from intents.llm.candidates import AccountHint, likely_accounts, mentioned_users
from prompts import llm as P

Role = Literal["user", "assistant"]


@dataclass(frozen=True)
class Prompt:
    system: str
    history: tuple[tuple[Role, str], ...]
    message: str
    language: str


def prompt_language(ctx: ParseContext) -> str:
    return ctx.user.language if ctx.user.language in P.SYSTEM else "en"


def build_prompt(text: str, ctx: ParseContext) -> Prompt:
    lang = prompt_language(ctx)
    history = tuple((turn.role, turn.text) for turn in ctx.history if turn.text)
    hints = likely_accounts(text, ctx.directory, history=[t for role, t in history if role == "user"])
    users = mentioned_users(text, ctx.directory)
    team = P.TEAM[lang].format(names=", ".join(ctx.user.team)) if ctx.user.team else ""
    system = P.SYSTEM[lang].format(
        user_name=ctx.user.name, role=P.ROLES[lang].get(ctx.user.role, ctx.user.role), team=team,
        now=ctx.now.strftime("%Y-%m-%d %H:%M"), weekday=P.WEEKDAYS[lang][ctx.now.weekday()],
        timezone=ctx.user.timezone, calendar=calendar_block(ctx.now.date(), lang),
        rules=P.RULES[lang].format(default_currency=ctx.default_currency),
        accounts=accounts_block(hints, lang),
        users=P.USERS_HEAD[lang].format(names=", ".join(_with_aliases(u.name, u.aliases) for u in users))
        if users else "",
        examples=examples_block(lang),
    )
    return Prompt(system=re.sub(r"\n{3,}", "\n\n", system), history=history, message=text, language=lang)


def calendar_block(today: date, lang: str) -> str:
    names = P.WEEKDAYS[lang]
    monday = today - timedelta(days=today.weekday())

    def week(start: date) -> str:
        return ", ".join(f"{names[i]} {start + timedelta(days=i)}" for i in range(7))

    def month_end(year: int, month: int) -> date:
        return date(year, month, calendar.monthrange(year, month)[1])

    next_month = (today.year + today.month // 12, today.month % 12 + 1)
    quarter_last_month = ((today.month - 1) // 3 + 1) * 3
    return P.CALENDAR[lang].format(
        before_yesterday=today - timedelta(days=2), yesterday=today - timedelta(days=1), today=today,
        tomorrow=today + timedelta(days=1), after_tomorrow=today + timedelta(days=2),
        last_week=week(monday - timedelta(days=7)), this_week=week(monday),
        next_week=week(monday + timedelta(days=7)),
        month_end=month_end(today.year, today.month), next_month_end=month_end(*next_month),
        quarter_end=month_end(today.year, quarter_last_month), year_end=date(today.year, 12, 31),
    )


def _with_aliases(name: str, aliases: tuple[str, ...]) -> str:
    others = [a for a in aliases if a != name]
    return f"{name} ({', '.join(others)})" if others else name


def accounts_block(hints: list[AccountHint], lang: str) -> str:
    if not hints:
        return P.ACCOUNTS_NONE[lang]
    lines = [P.ACCOUNTS_HEAD[lang]]
    for hint in hints:
        aliases = [a for a in hint.account.aliases if a != hint.account.name]
        contacts = [_with_aliases(c.name, c.aliases) for c in hint.contacts]
        lines.append(P.ACCOUNT_LINE[lang].format(
            name=hint.account.name,
            aliases=P.ALIASES[lang].format(names=", ".join(aliases)) if aliases else "",
            contacts=P.CONTACTS[lang].format(names=", ".join(contacts)) if contacts else "",
            owner=P.OWNER[lang].format(name=hint.owner) if hint.owner else "",
        ))
    return "\n".join(lines)


def examples_block(lang: str) -> str:
    lines = [P.EXAMPLES_HEAD[lang]]
    for message, calls in P.EXAMPLES:
        shown = json.dumps(calls, ensure_ascii=False) if calls else P.NO_CALL[lang]
        lines.append(f"- {message}\n  → {shown}")
    return "\n".join(lines)
