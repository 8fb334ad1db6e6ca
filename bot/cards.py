"""What a draft shows: the confirmation card, and the options of the question it asks."""
from __future__ import annotations

from dataclasses import replace

from bot.choices import Choice, draft_action, draft_option
from bot.messages import Choice as Option
from bot.messages import Reply
from bot.render_results import describe_call
from prompts.ui import t
from intents.base import Parse
from storage.models import Draft, Role, User
from tools.base import ToolCall, ToolResult

MERGE_BUTTONS = 3


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


def with_merge_buttons(reply: Reply, result: ToolResult, user: User, lang: str) -> Reply:
    """A data-health report shown to a manager or an admin gets a Merge button under each of its
    first duplicate pairs; pressing one opens the merge card (`merge_pair_parse`), nothing moves yet."""
    pairs = result.data.get("duplicates") if result.tool == "data_health" and isinstance(result.data, dict) else None
    if not pairs or Role(user.role) is Role.rep:
        return reply
    buttons = []
    for pair in pairs[:MERGE_BUTTONS]:
        first, second = pair["accounts"]
        label = t(lang, "btn_merge_pair", first=first["name"], second=second["name"])
        buttons.append(Choice("m", first["id"], str(second["id"])).option(label))
    return replace(reply, choices=tuple(reply.choices or ()) + tuple(buttons))


def merge_pair_parse(choice: Choice) -> Parse:
    """What a pressed Merge button proposes: merge the pair, the account with more history kept."""
    return Parse(calls=[ToolCall("merge_accounts", {"keep": choice.target, "merge": int(choice.action),
                                                    "pick_keep": True})], confidence=1.0, engine="button")
