"""Drafts: tool calls waiting for the user, from the first parse to confirm, edit or cancel.

A draft is a row (`storage.models.Draft`), so a card shown before a restart can still be confirmed
after it. Its `pending_question` says what the next reply answers:
    {"kind": "missing",   "call": i, "arg": name}
    {"kind": "ambiguous", "call": i, "arg": name, "mention": text, "candidates": [names]}
    {"kind": "edit"}                              the user pressed Edit
    {"kind": "reject_reason", "quote_id": n}      a manager pressed Reject on an approval request
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.cards import candidate_choices, draft_card, parse_choice
from bot.executor import dry_run, first_missing, make_context, run_calls
from bot.knowledge_sync import after_confirm
from bot.messages import IncomingMessage, Reply
from bot.notices import notices_to_outgoing
from bot.outcome import Outcome
from bot.render_results import render_result
from intents.base import Parse
from prompts.errors import render_error
from prompts.ui import field_hint, field_name, t
from storage.models import Draft, DraftStatus, User
from storage.names import fold
from storage.repos.usage import record_usage
from tools.base import ToolCall, ToolError, ToolResult, get_tool

if TYPE_CHECKING:
    from bot.loop import ConversationLoop

OPEN = (DraftStatus.pending, DraftStatus.awaiting_input)
NAME_CHANGING_TOOLS = {"log_visit", "update_opportunity", "reassign_accounts"}


def latest_open(session: Session, user: User, msg: IncomingMessage, *, now: datetime,
                ttl_hours: int) -> Draft | None:
    """The newest draft of this user in this chat still waiting; expired ones are closed here."""
    rows = session.exec(select(Draft).where(
        Draft.user_id == user.id, Draft.platform == msg.platform, Draft.chat_id == msg.chat_id,
        col(Draft.status).in_([s.value for s in OPEN])).order_by(col(Draft.id).desc())).all()
    for draft in rows:
        if draft.updated_at < now - timedelta(hours=ttl_hours):
            draft.status = DraftStatus.expired
            continue
        return draft
    return None


def start(loop: ConversationLoop, session: Session, user: User, msg: IncomingMessage, parse: Parse,
          text: str, transcript: str | None, lang: str) -> Outcome:
    from bot.scheduler.next_steps import with_next_step_dates

    local_today = loop.app.clock().astimezone(ZoneInfo(user.timezone or loop.app.settings.default_timezone)).date()
    calls = with_next_step_dates(list(parse.calls), local_today)
    draft = Draft(user_id=user.id, platform=msg.platform, chat_id=msg.chat_id,
                  calls=[c.to_json() for c in calls], source_text=text,
                  source="voice" if transcript is not None else "text", transcript=transcript,
                  engine=parse.engine, status=DraftStatus.pending,
                  created_at=loop.app.clock(), updated_at=loop.app.clock())
    if parse.questions:
        q = parse.questions[0]
        draft.pending_question = {"kind": q.kind, "call": q.call_index, "arg": q.arg,
                                  "mention": q.mention, "candidates": list(q.candidates)}
        draft.status = DraftStatus.awaiting_input
    session.add(draft)
    session.flush()
    note = t(lang, "partial_engine", engine=parse.note) if parse.note else None
    return advance(loop, session, user, draft, lang, note=note)


def advance(loop: ConversationLoop, session: Session, user: User, draft: Draft, lang: str, *,
            note: str | None = None, pressed: bool = False) -> Outcome:
    """Move a draft one step on: ask what is missing, answer reads, or show the card."""
    out = Outcome()
    draft.updated_at = loop.app.clock()
    if draft.pending_question:
        return out.extend(_ask(draft, lang))
    calls = [ToolCall.from_json(c) for c in draft.calls]
    missing = first_missing(calls)
    if missing is not None:
        draft.pending_question = {"kind": "missing", "call": missing.call_index, "arg": missing.field}
        draft.status = DraftStatus.awaiting_input
        return out.extend(_ask(draft, lang))

    reads = [c for c in calls if not get_tool(c.name).writes]
    writes = [c for c in calls if get_tool(c.name).writes]
    ctx = make_context(loop.app, user, session, source=draft.source_text, draft_id=draft.id)
    for call in reads:
        try:
            result = run_calls([call], ctx)[0]
            out.replies.append(result_reply(result, lang))
        except ToolError as err:
            out.say(render_error(err.code, err.params, lang))
    if not writes:
        draft.calls, draft.status = [], DraftStatus.confirmed
        return out
    draft.calls = [c.to_json() for c in writes]
    try:
        previews = dry_run(writes, ctx)
    except ToolError as err:
        question = _question_from_error(err, writes)
        if question is not None:
            draft.pending_question = question
            draft.status = DraftStatus.awaiting_input
            return out.extend(_ask(draft, lang))
        draft.status = DraftStatus.failed
        return out.say(render_error(err.code, err.params, lang))
    draft.status = DraftStatus.pending
    card = draft_card(draft, previews, lang, note=note)
    out.replies.append(Reply(text=card.text, choices=card.choices, replaces_card=pressed))
    return out


def confirm(loop: ConversationLoop, session: Session, user: User, draft: Draft, lang: str, *,
            pressed: bool) -> Outcome:
    if draft.status != DraftStatus.pending:
        return Outcome().say(t(lang, "draft_stale"), replaces_card=pressed)
    calls = [ToolCall.from_json(c) for c in draft.calls]
    ctx = make_context(loop.app, user, session, source=draft.source_text, draft_id=draft.id)
    savepoint = session.begin_nested()
    try:
        results = run_calls(calls, ctx)
    except ToolError as err:
        savepoint.rollback()
        return Outcome().say(render_error(err.code, err.params, lang))
    savepoint.commit()
    draft.status, draft.updated_at = DraftStatus.confirmed, loop.app.clock()
    draft.result = {"tools": [r.tool for r in results]}
    if any(c.name in NAME_CHANGING_TOOLS for c in calls):
        loop.app.invalidate_directory()
    lines = [t(lang, "confirmed")] + [render_result(r, lang) for r in results]
    hints = after_confirm(loop, session, user, results, lang)
    out = Outcome()
    out.replies.append(Reply(text="\n".join(line for line in lines + hints if line), replaces_card=pressed))
    out.outgoing.extend(notices_to_outgoing([n for r in results for n in r.notify], session=session))
    loop.app.remember(f"{draft.platform}:{draft.chat_id}", "assistant", lines[-1] if lines else "")
    return out


def cancel(session: Session, draft: Draft, lang: str, *, pressed: bool, now: datetime) -> Outcome:
    if draft.status not in OPEN:
        return Outcome().say(t(lang, "draft_stale"), replaces_card=pressed)
    draft.status, draft.updated_at = DraftStatus.cancelled, now
    return Outcome().say(t(lang, "cancelled"), replaces_card=pressed)


def on_choice(loop: ConversationLoop, session: Session, user: User, msg: IncomingMessage,
              lang: str) -> Outcome:
    """A pressed button (or a numbered reply the adapter mapped to one). Never trusted: the
    presser must own the draft, and it must still be open."""
    ref = parse_choice(msg.choice)
    if ref is None:
        return Outcome().say(t(lang, "draft_stale"), replaces_card=True)
    if ref.kind == "q":
        from bot.quotes import on_quote_choice

        return on_quote_choice(loop, session, user, msg, ref, lang)
    if ref.kind == "r":
        from bot.reminders import on_reminder_choice

        return on_reminder_choice(loop, session, user, ref, lang)
    if ref.kind == "p":
        from bot.scheduler.notify import on_pref_choice

        return on_pref_choice(session, user, ref, lang, now=loop.app.clock())
    draft = session.get(Draft, ref.target)
    if draft is None:
        return Outcome().say(t(lang, "draft_stale"), replaces_card=True)
    if draft.user_id != user.id:
        return Outcome().say(t(lang, "draft_not_yours"))
    if ref.kind == "c":
        return _answer(loop, session, user, draft, lang, pick=ref.action)
    if ref.action == "confirm":
        return confirm(loop, session, user, draft, lang, pressed=True)
    if ref.action == "cancel":
        return cancel(session, draft, lang, pressed=True, now=loop.app.clock())
    if ref.action == "edit":
        return _start_edit(draft, lang, now=loop.app.clock())
    return Outcome().say(t(lang, "draft_stale"), replaces_card=True)


def on_reply(loop: ConversationLoop, session: Session, user: User, msg: IncomingMessage, draft: Draft,
             text: str, word: str | None, lang: str) -> Outcome:
    """Typed text while a draft waits: a control word, an answer to its question, or an edit."""
    if word == "cancel":
        return cancel(session, draft, lang, pressed=False, now=loop.app.clock())
    question = draft.pending_question
    if question is None:
        if word == "confirm":
            return confirm(loop, session, user, draft, lang, pressed=False)
        if word == "edit":
            return _start_edit(draft, lang, now=loop.app.clock())
        return Outcome().say(t(lang, "nothing_pending"))
    if question["kind"] == "edit" and word == "confirm":
        draft.pending_question = None
        return confirm(loop, session, user, draft, lang, pressed=False)
    return _answer(loop, session, user, draft, lang, text=text)


def _start_edit(draft: Draft, lang: str, *, now: datetime) -> Outcome:
    if draft.status not in OPEN:
        return Outcome().say(t(lang, "draft_stale"), replaces_card=True)
    draft.pending_question, draft.status, draft.updated_at = {"kind": "edit"}, DraftStatus.awaiting_input, now
    return Outcome().say(t(lang, "edit_prompt"))


def _answer(loop: ConversationLoop, session: Session, user: User, draft: Draft, lang: str, *,
            text: str | None = None, pick: str | None = None) -> Outcome:
    question = draft.pending_question or {}
    kind = question.get("kind")
    if draft.status not in OPEN:
        return Outcome().say(t(lang, "draft_stale"))
    if kind == "reject_reason":
        from bot.quotes import finish_reject

        return finish_reject(loop, session, user, draft, text or "", lang)
    if kind == "edit":
        return _apply_edit(loop, session, user, draft, text or "", lang)
    calls = [dict(c, args=dict(c.get("args") or {})) for c in draft.calls]
    index, arg = question.get("call", 0), question.get("arg", "")
    if kind == "ambiguous":
        candidates = question.get("candidates") or []
        chosen = _pick_candidate(candidates, pick if pick is not None else text)
        if chosen is None:
            return Outcome().extend(_ask(draft, lang, retry=True))
        _set_arg(calls[index]["args"], arg, chosen, question.get("mention", ""))
    elif kind == "missing":
        from intents.values import extract_value

        value = extract_value(arg, text or "", loop.parse_context(user, f"{draft.platform}:{draft.chat_id}",
                                                                  session=session))
        if value is None:
            return Outcome().extend(_ask(draft, lang, retry=True))
        calls[index]["args"][arg] = value
    draft.calls = calls
    draft.pending_question = None
    draft.status = DraftStatus.pending
    return advance(loop, session, user, draft, lang, pressed=pick is not None)


def _apply_edit(loop: ConversationLoop, session: Session, user: User, draft: Draft, text: str,
                lang: str) -> Outcome:
    """Merge what the reply states into the draft's calls: same tool → its stated args replace the
    old ones; a value without a tool ("90万", "下周四") is applied to the calls that take it."""
    from intents.values import extract_patch

    chat_key = f"{draft.platform}:{draft.chat_id}"
    patch = extract_patch(text, [ToolCall.from_json(c) for c in draft.calls],
                          loop.parse_context(user, chat_key, session=session), loop.app.engine)
    if patch is None:
        return Outcome().say(t(lang, "edit_no_change"))
    draft.calls = [c.to_json() for c in patch]
    draft.pending_question = None
    draft.status = DraftStatus.pending
    record_usage(session=session, at=loop.app.clock(), user_id=user.id, kind="card", name="edited")
    return advance(loop, session, user, draft, lang)


def _ask(draft: Draft, lang: str, *, retry: bool = False) -> Outcome:
    q = draft.pending_question or {}
    if q.get("kind") == "ambiguous":
        text = t(lang, "ask_ambiguous", mention=q.get("mention") or q.get("arg", ""))
        names = q.get("candidates") or []
        lines = [text] + [f"{i + 1}. {name}" for i, name in enumerate(names)]
        return Outcome().say("\n".join(lines), choices=candidate_choices(draft.id, names))
    if q.get("kind") == "missing":
        arg = q.get("arg", "")
        text = t(lang, "ask_missing", field=field_name(lang, arg), hint=field_hint(lang, arg))
        return Outcome().say(t(lang, "answer_not_understood", question=text) if retry else text)
    if q.get("kind") == "reject_reason":
        return Outcome().say(t(lang, "ask_reject_reason", quote_id=q.get("quote_id")))
    return Outcome().say(t(lang, "edit_prompt"))


def _pick_candidate(candidates: list[str], answer: str | None) -> str | None:
    if answer is None:
        return None
    answer = answer.strip().rstrip(".。")
    if answer.isdigit():
        i = int(answer) - (0 if answer == "0" else 1)
        return candidates[i] if 0 <= i < len(candidates) else None
    key = fold(answer)
    exact = [c for c in candidates if fold(c) == key]
    if exact:
        return exact[0]
    partial = [c for c in candidates if key and (key in fold(c) or fold(c) in key)]
    return partial[0] if len(partial) == 1 else None


def _set_arg(args: dict, arg: str, value: str, mention: str) -> None:
    current = args.get(arg)
    if isinstance(current, list):
        args[arg] = [value if fold(x) == fold(mention) else x for x in current]
        if value not in args[arg]:
            args[arg].append(value)
    else:
        args[arg] = value


def _question_from_error(err: ToolError, calls: list[ToolCall]) -> dict | None:
    """An ambiguous name found by a tool becomes a question instead of a failure."""
    candidates = err.params.get("candidates")
    if not err.code.startswith("ambiguous") or not candidates:
        return None
    mention = str(err.params.get("mention", ""))
    args = {"ambiguous_account": ("account",), "ambiguous_contact": ("contacts",),
            "ambiguous_user": ("from_user", "to_user"),
            "ambiguous_opportunity": ("opportunity",)}.get(err.code, ("account",))
    for i, call in enumerate(calls):
        for arg in args:
            value = call.args.get(arg)
            values = value if isinstance(value, list) else [value]
            if any(v is not None and fold(str(v)) == fold(mention) for v in values):
                return {"kind": "ambiguous", "call": i, "arg": arg, "mention": mention,
                        "candidates": [str(c) for c in candidates]}
    return None


def result_reply(result: ToolResult, lang: str) -> Reply:
    image = result.data.get("chart_png") if isinstance(result.data, dict) else None
    return Reply(text=render_result(result, lang), image=image if isinstance(image, bytes) else None)
