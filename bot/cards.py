"""Confirmation cards and the choice ids behind their buttons.

Choice ids are opaque to users but never trusted: `parse_choice` only splits them, and the loop
checks that the presser owns the draft (or may decide the quote) and that it is still pending.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.messages import Choice, Reply
from bot.render_results import describe_call
from prompts.ui import t
from storage.models import Draft
from tools.base import ToolCall, ToolResult

_CHOICE = re.compile(r"^(d|q|c|r|p):(\d{1,12}):([a-z0-9_]{1,16})$")


@dataclass(frozen=True)
class ChoiceRef:
    kind: str  # d = draft, q = quote decision, c = candidate pick, r = reminder, p = preference (user id)
    target: int
    action: str


def parse_choice(raw: str | None) -> ChoiceRef | None:
    match = _CHOICE.match(raw or "")
    if not match:
        return None
    return ChoiceRef(match.group(1), int(match.group(2)), match.group(3))


def draft_card(draft: Draft, previews: list[ToolResult] | None, lang: str, *,
               note: str | None = None) -> Reply:
    calls = [ToolCall.from_json(c) for c in draft.calls]
    lines = [t(lang, "card_title", n=len(calls), plural="" if len(calls) == 1 else "s")]
    if draft.transcript:
        lines.append(t(lang, "card_heard", transcript=draft.transcript))
    for i, call in enumerate(calls):
        preview = previews[i] if previews and i < len(previews) else None
        lines.append(describe_call(call, preview, lang))
    if note:
        lines.append(note)
    choices = (
        Choice(f"d:{draft.id}:confirm", t(lang, "btn_confirm"), "primary"),
        Choice(f"d:{draft.id}:edit", t(lang, "btn_edit")),
        Choice(f"d:{draft.id}:cancel", t(lang, "btn_cancel"), "danger"),
    )
    return Reply(text="\n".join(lines), choices=choices)


def candidate_choices(draft_id: int, candidates: list[str]) -> tuple[Choice, ...]:
    return tuple(Choice(f"c:{draft_id}:{i}", name) for i, name in enumerate(candidates))


def quote_choices(quote_id: int, lang: str) -> tuple[Choice, ...]:
    return (Choice(f"q:{quote_id}:approve", t(lang, "btn_approve"), "primary"),
            Choice(f"q:{quote_id}:reject", t(lang, "btn_reject"), "danger"))
