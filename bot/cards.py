"""What a draft shows: the confirmation card, and the options of the question it asks."""
from __future__ import annotations

from bot.choices import Choice, draft_action, draft_option
from bot.messages import Choice as Option
from bot.messages import Reply
from bot.render_results import describe_call
from prompts.ui import t
from storage.models import Draft
from tools.base import ToolCall, ToolResult


def draft_card(draft: Draft, previews: list[ToolResult] | None, lang: str, *,
               note: str | None = None, replaces_card: bool = False) -> Reply:
    calls = [ToolCall.from_json(c) for c in draft.calls]
    lines = [t(lang, "card_title", n=len(calls), plural="" if len(calls) == 1 else "s")]
    if draft.transcript:
        lines.append(t(lang, "card_heard", transcript=draft.transcript))
    for i, call in enumerate(calls):
        preview = previews[i] if previews and i < len(previews) else None
        lines.append(describe_call(call, preview, lang))
    if note:
        lines.append(note)
    return Reply(text="\n".join(lines), choices=card_options(draft.id, lang), kind="card",
                 replaces_card=replaces_card)


def card_options(draft_id: int, lang: str) -> tuple[Option, ...]:
    return (draft_action(draft_id, "confirm").option(t(lang, "btn_confirm"), "primary"),
            draft_action(draft_id, "edit").option(t(lang, "btn_edit")),
            draft_action(draft_id, "cancel").option(t(lang, "btn_cancel"), "danger"))


def numbered_options(draft_id: int, labels: list[str]) -> tuple[Option, ...]:
    """The options of a draft's question: option n (1-based) is the n-th label."""
    return tuple(draft_option(draft_id, n).option(label) for n, label in enumerate(labels, 1))


def candidate_choices(draft_id: int, candidates: list[str]) -> tuple[Option, ...]:
    return numbered_options(draft_id, candidates)


def quote_choices(quote_id: int, lang: str) -> tuple[Option, ...]:
    return (Choice("q", quote_id, "approve").option(t(lang, "btn_approve"), "primary"),
            Choice("q", quote_id, "reject").option(t(lang, "btn_reject"), "danger"))
