"""Approve / Reject pressed on an approval request. The press is the confirmation; Reject first
asks for a reason. Permission checks stay in the tools."""
from __future__ import annotations

from pydantic import ValidationError

from bot.card import CardEvent, move
from bot.choices import Choice
from bot.executor import run_calls
from bot.messages import Reply
from bot.notices import notices_to_outgoing
from bot.outcome import Outcome
from bot.render_results import render_result
from bot.turn import Turn
from prompts.errors import render_error
from prompts.ui import t
from storage.models import Draft, DraftStatus
from tools.base import ToolCall, ToolError


def on_quote_choice(turn: Turn, choice: Choice) -> Outcome:
    if choice.action == "approve":
        return _decide(turn, ToolCall("approve_quote", {"quote_id": choice.target}),
                       source=f"[button] approve #{choice.target}")
    if choice.action == "reject":
        refusal = _may_not_decide(turn, choice.target)
        if refusal is not None:
            return refusal
        draft = Draft(user_id=turn.user.id, platform=turn.message.platform, chat_id=turn.message.chat_id,
                      status=DraftStatus.awaiting_input,
                      calls=[{"name": "reject_quote", "args": {"quote_id": choice.target}}],
                      pending_question={"kind": "reject_reason", "quote_id": choice.target},
                      source_text=f"[button] reject #{choice.target}", created_at=turn.now, updated_at=turn.now)
        turn.session.add(draft)
        turn.session.flush()
        return Outcome().say(t(turn.language, "ask_reject_reason", quote_id=choice.target), kind="question")
    return Outcome().say(t(turn.language, "draft_stale"), replaces_card=True, kind="notice")


def _may_not_decide(turn: Turn, quote_id: int) -> Outcome | None:
    """Why the presser may not reject quote `quote_id` now, or None. Checked before asking for a
    reason, so a press by someone who may not decide leaves no question for their next message."""
    from tools.quotes import check_decision
    from tools.schemas import RejectQuoteArgs

    try:
        args = RejectQuoteArgs(quote_id=quote_id)
    except ValidationError:
        return Outcome().say(t(turn.language, "draft_stale"), replaces_card=True, kind="notice")
    try:
        check_decision(turn.tool_context(source=f"[button] reject #{quote_id}"), args)
    except ToolError as err:
        return Outcome().say(render_error(err.code, err.params, turn.language))
    return None


def finish_reject(turn: Turn, draft: Draft, reason: str) -> Outcome:
    call = ToolCall.from_json(draft.calls[0])
    args = dict(call.args)
    if reason.strip():
        args["comment"] = reason.strip()[:2000]
    return _decide(turn, ToolCall(call.name, args), source=reason, draft=draft)


def _decide(turn: Turn, call: ToolCall, *, source: str, draft: Draft | None = None) -> Outcome:
    ctx = turn.tool_context(source=source, draft=draft)
    savepoint = turn.session.begin_nested()
    try:
        results = run_calls([call], ctx)
    except ToolError as err:
        savepoint.rollback()
        if draft is not None:
            move(draft, CardEvent.refused, now=turn.now)
        return Outcome().say(render_error(err.code, err.params, turn.language))
    savepoint.commit()
    if draft is not None:
        move(draft, CardEvent.confirm, now=turn.now)
    out = Outcome()
    out.replies.append(Reply(text=render_result(results[0], turn.language), replaces_card=draft is None))
    out.outgoing.extend(notices_to_outgoing(results[0].notify, session=turn.session))
    return out
