"""A visit's next step that states a day ("next step: send the proposal on Friday", 下周三发方案)
gets that day as `next_step_due`, so `log_visit` turns it into a reminder at 09:00 that day.

An engine may fill `next_step_due` itself (the LLM sees it in the schema); this fills it from the
next step's own words when it did not, with the rules engine's date reading. A message that also
asks for a reminder (`create_reminder` in the same draft) already has one, so nothing is added.
"""
from __future__ import annotations

from datetime import date

from intents.rules.dates import find_dates, resolve
from intents.rules.text import prepare
from tools.base import ToolCall


def with_next_step_dates(calls: list[ToolCall], today: date) -> list[ToolCall]:
    if any(c.name == "create_reminder" for c in calls):
        return calls
    out = []
    for call in calls:
        step = call.args.get("next_step")
        if call.name == "log_visit" and isinstance(step, str) and step and not call.args.get("next_step_due"):
            due = next_step_day(step, today)
            if due is not None:
                call = ToolCall(call.name, {**call.args, "next_step_due": due.isoformat()})
        out.append(call)
    return out


def next_step_day(text: str, today: date) -> date | None:
    """The first day `text` names that lies after `today` (a next step is never due in the past)."""
    for mention in find_dates(prepare(text).low):
        day = resolve(mention, today, "due_at")
        if day is not None and day > today:
            return day
    return None
