"""Values from a reply: the answer to "what amount?" and the change in "金额改成90万".

When the loop asks for a missing argument, or the user edits a card by replying, the reply is not a
whole request; it states a value or two. These functions reuse the rules engine's normalizers
(money, discounts, dates, times, stages, channels) so an answer means exactly what it would mean
inside a full message.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from intents.base import IntentEngine, ParseContext
from intents.rules.dates import find_dates, find_times, resolve
from intents.rules.lexicon import channel_in, stage_cues
from intents.rules.money import find_discounts, find_money
from intents.rules.numerals import number
from intents.rules.text import prepare
from tools.base import ToolCall

_DATE_FIELDS = {"log_visit": "occurred_on", "update_opportunity": "expected_close"}
_FREE_TEXT = {"text", "comment", "summary", "next_step", "note", "product", "question", "lost_reason",
              "competitor", "opportunity"}


def extract_value(field: str, text: str, ctx: ParseContext):
    """The value `text` gives for `field`, JSON-ready as in CONTRACT.md, or None."""
    msg = prepare(text)
    if not msg.low.strip():
        return None
    if field == "amount":
        found = find_money(msg.text, msg.low)
        if found:
            return _number(found[0].amount)
        bare = _bare_number(msg.low)
        return _number(bare) if bare is not None and bare > 0 else None
    if field == "discount_pct":
        found = find_discounts(msg.low)
        return _number(found[0].pct_off) if found else None
    if field == "due_at":
        due = _due_at(msg.low, ctx.now)
        return due.strftime("%Y-%m-%dT%H:%M") if due else None
    if field in ("occurred_on", "expected_close", "signed_on"):
        day = _day(msg.low, ctx.now.date(), "occurred_on" if field == "signed_on" else field)
        return day.isoformat() if day else None
    if field == "quote_id":
        digits = "".join(ch for ch in msg.low if ch.isdigit())
        return int(digits) if digits and len(digits) <= 9 else None
    if field in ("account", "from_user", "to_user"):
        kind = "account" if field == "account" else "user"
        resolution = ctx.directory.resolve(kind, msg.text.strip())
        if resolution.entry is not None:
            return resolution.entry.name
        return msg.text.strip() if kind == "account" and len(msg.text.strip()) <= 100 else None
    if field == "stage":
        cues = stage_cues(msg.low)
        return cues[0].value if cues else None
    if field == "channel":
        return channel_in(msg.low, 0, len(msg.low))
    if field in _FREE_TEXT:
        return msg.text.strip()[:2000] or None
    return None


def extract_patch(text: str, calls: list[ToolCall], ctx: ParseContext,
                  engine: IntentEngine) -> list[ToolCall] | None:
    """The draft's calls with the reply's changes applied, or None if the reply changes nothing.

    First the engine reads the reply as a message: a call it finds with the same tool name as a
    draft call replaces that call's stated arguments. Otherwise each value the reply states
    (an amount, a discount, a date or time, a stage, a channel) is applied to every draft call
    that takes it.
    """
    patched = [ToolCall(c.name, dict(c.args)) for c in calls]
    changed = False
    parse = engine.parse(text, ctx)
    for new in parse.calls:
        for i, old in enumerate(patched):
            if old.name == new.name:
                merged = {**old.args, **{k: v for k, v in new.args.items() if k not in ("account",)
                                         or not old.args.get("account")}}
                if merged != old.args:
                    patched[i], changed = ToolCall(old.name, merged), True
                break
    if changed:
        return patched
    msg = prepare(text)
    for i, call in enumerate(patched):
        args = dict(call.args)
        for field in _fields_of(call.name):
            value = extract_value(field, text, ctx) if _states(field, msg) else None
            if value is not None and args.get(field) != value:
                args[field] = value
        if args != call.args:
            patched[i], changed = ToolCall(call.name, args), True
    return patched if changed else None


def _fields_of(tool: str) -> tuple[str, ...]:
    return {
        "log_visit": ("occurred_on", "channel"),
        "update_opportunity": ("amount", "stage", "expected_close"),
        "create_quote": ("amount", "discount_pct"),
        "create_reminder": ("due_at",),
    }.get(tool, ())


def _states(field: str, msg) -> bool:
    """Whether the reply states a value of this kind at all (so a bare "90万" is not read as a date)."""
    low = msg.low
    if field == "amount":
        return bool(find_money(msg.text, low))
    if field == "discount_pct":
        return bool(find_discounts(low))
    if field in ("due_at", "occurred_on", "expected_close"):
        return bool(find_dates(low) or (field == "due_at" and find_times(low)))
    if field == "stage":
        return bool(stage_cues(low))
    if field == "channel":
        return channel_in(low, 0, len(low)) is not None
    return False


def _day(low: str, today: date, field: str) -> date | None:
    for mention in find_dates(low):
        day = resolve(mention, today, field)
        if day is not None:
            return day
    return None


def _due_at(low: str, now: datetime) -> datetime | None:
    day = _day(low, now.date(), "due_at")
    times = find_times(low)
    moment = next((t for t in times if t.exact), times[0] if times else None)
    if day is None and moment is None:
        return None
    if day is None:
        day = now.date()
        if (moment.hour, moment.minute) <= (now.hour, now.minute):
            day += timedelta(days=1)
    hour, minute = (moment.hour, moment.minute) if moment else (9, 0)
    return datetime.combine(day, time(hour, minute))


def _bare_number(low: str) -> Decimal | None:
    cleaned = low.replace(",", "").strip()
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return number(cleaned)


def _number(value: Decimal):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)
