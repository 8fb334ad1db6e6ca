"""Approve / Reject pressed on an approval request. The press is the confirmation; Reject first
asks for a reason. Permission checks stay in the tools."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.cards import ChoiceRef
from bot.executor import make_context, run_calls
from bot.messages import IncomingMessage, Reply
from bot.notices import notices_to_outgoing
from bot.outcome import Outcome
from bot.render_results import render_result
from prompts.errors import render_error
from prompts.ui import t
from storage.models import Draft, DraftStatus, User
from tools.base import ToolCall, ToolError

if TYPE_CHECKING:
    from bot.loop import ConversationLoop


def on_quote_choice(loop: ConversationLoop, session: Session, user: User, msg: IncomingMessage,
                    ref: ChoiceRef, lang: str) -> Outcome:
    if ref.action == "approve":
        return _decide(loop, session, user, ToolCall("approve_quote", {"quote_id": ref.target}), lang,
                       source=f"[button] approve #{ref.target}")
    if ref.action == "reject":
        now = loop.app.clock()
        draft = Draft(user_id=user.id, platform=msg.platform, chat_id=msg.chat_id,
                      status=DraftStatus.awaiting_input,
                      calls=[{"name": "reject_quote", "args": {"quote_id": ref.target}}],
                      pending_question={"kind": "reject_reason", "quote_id": ref.target},
                      source_text=f"[button] reject #{ref.target}", created_at=now, updated_at=now)
        session.add(draft)
        session.flush()
        return Outcome().say(t(lang, "ask_reject_reason", quote_id=ref.target))
    return Outcome().say(t(lang, "draft_stale"), replaces_card=True)


def finish_reject(loop: ConversationLoop, session: Session, user: User, draft: Draft, reason: str,
                  lang: str) -> Outcome:
    call = ToolCall.from_json(draft.calls[0])
    args = dict(call.args)
    if reason.strip():
        args["comment"] = reason.strip()[:2000]
    out = _decide(loop, session, user, ToolCall(call.name, args), lang, source=reason, draft=draft)
    return out


def _decide(loop: ConversationLoop, session: Session, user: User, call: ToolCall, lang: str, *,
            source: str, draft: Draft | None = None) -> Outcome:
    ctx = make_context(loop.app, user, session, source=source, draft_id=draft.id if draft else None)
    savepoint = session.begin_nested()
    try:
        results = run_calls([call], ctx)
    except ToolError as err:
        savepoint.rollback()
        if draft is not None:
            draft.status = DraftStatus.failed
        return Outcome().say(render_error(err.code, err.params, lang))
    savepoint.commit()
    if draft is not None:
        draft.status, draft.pending_question = DraftStatus.confirmed, None
    out = Outcome()
    out.replies.append(Reply(text=render_result(results[0], lang), replaces_card=draft is None))
    out.outgoing.extend(notices_to_outgoing(results[0].notify, session=session))
    return out
