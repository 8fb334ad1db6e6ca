"""Drafts: tool calls waiting for the user, from the first parse to confirm, edit or cancel.

A draft is a row (`storage.models.Draft`), so a card shown before a restart can still be confirmed
after it. Its life is the state machine of `bot.card`; its `pending_question` says what the next
reply answers while it is asking:
    {"kind": "missing",      "call": i, "arg": name}
    {"kind": "ambiguous",    "call": i, "arg": name, "mention": text, "candidates": [names]}
    {"kind": "alternatives", "options": [[call, ...], ...], "labels": [text, ...]}
    {"kind": "reject_reason", "quote_id": n}      a manager pressed Reject on an approval request
    {"kind": "edit"}                              the user pressed Edit (state `editing`)

Every handler takes one `Turn`.
"""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.card import CardEvent, CardState, IllegalMove, move, state_of
from bot.cards import candidate_choices, draft_card, merge_pair_parse, numbered_options, with_merge_buttons
from bot.choices import Choice, pick_number
from bot.executor import dry_run, first_missing, run_calls
from bot.knowledge_sync import after_confirm
from bot.messages import Reply
from bot.notices import notices_to_outgoing
from bot.outcome import Outcome
from bot.render_results import describe_call, render_result
from bot.turn import Turn
from intents.base import Parse
from prompts.errors import render_error
from prompts.ui import field_hint, field_name, t
from storage.models import Draft, DraftStatus
from storage.names import fold
from storage.repos.usage import record_usage
from tools.base import ToolCall, ToolError, ToolResult, get_tool

OPEN = (DraftStatus.pending, DraftStatus.awaiting_input)
NAME_CHANGING_TOOLS = {"log_visit", "update_opportunity", "reassign_accounts", "rename_opportunity", "rename_account", "merge_accounts",
                       "unmerge_accounts"}


def latest_open(turn: Turn) -> Draft | None:
    """The newest draft of this user in this chat still waiting; expired ones are closed here."""
    msg = turn.message
    rows = turn.session.exec(select(Draft).where(
        Draft.user_id == turn.user.id, Draft.platform == msg.platform, Draft.chat_id == msg.chat_id,
        col(Draft.status).in_([s.value for s in OPEN])).order_by(col(Draft.id).desc())).all()
    for draft in rows:
        if not _expired(turn, draft):
            return draft
    return None


def _expired(turn: Turn, draft: Draft) -> bool:
    """Close an open draft untouched for longer than the TTL; True when it is (now) expired."""
    state = state_of(draft)
    if state in (CardState.asking, CardState.shown, CardState.editing) and \
            draft.updated_at < turn.now - timedelta(hours=turn.app.settings.draft_ttl_hours):
        move(draft, CardEvent.expire, now=turn.now)
        _release(turn, draft)
    return state_of(draft) == CardState.expired


# --- a new draft ------------------------------------------------------------------------------


def start(turn: Turn, parse: Parse) -> Outcome:
    from bot.scheduler.next_steps import with_next_step_dates

    calls = with_next_step_dates(list(parse.calls), turn.local_now().date())
    draft = Draft(user_id=turn.user.id, platform=turn.message.platform, chat_id=turn.message.chat_id,
                  calls=[c.to_json() for c in calls], source_text=turn.text,
                  source="voice" if turn.transcript is not None else "text", transcript=turn.transcript,
                  engine=parse.engine, status=DraftStatus.awaiting_input, created_at=turn.now,
                  updated_at=turn.now)  # asking, with nothing asked yet: `advance` decides
    if parse.alternatives:
        options = [[c.to_json() for c in alt.calls] for alt in parse.alternatives]
        labels = [alt.label or _describe(list(alt.calls), turn.language) for alt in parse.alternatives]
        draft.calls = []
        draft.pending_question = {"kind": "alternatives", "options": options, "labels": labels}
    elif parse.questions:
        q = parse.questions[0]
        draft.pending_question = {"kind": q.kind, "call": q.call_index, "arg": q.arg,
                                  "mention": q.mention, "candidates": list(q.candidates)}
    turn.session.add(draft)
    turn.session.flush()
    note = t(turn.language, "partial_engine", engine=parse.note) if parse.note else None
    return advance(turn, draft, note=note)


def advance(turn: Turn, draft: Draft, *, note: str | None = None, kept: str | None = None) -> Outcome:
    """Move a draft one step on: ask what is missing, answer reads, or show the card. `kept` is
    why an edit was not applied (the card is shown again as it was, with the reason first)."""
    lang, out = turn.language, Outcome()
    draft.updated_at = turn.now
    if draft.pending_question and state_of(draft) == CardState.asking:
        return out.extend(ask(turn, draft))
    calls = [ToolCall.from_json(c) for c in draft.calls]
    missing = first_missing(calls)
    if missing is not None:
        move(draft, CardEvent.ask, now=turn.now, question={"kind": "missing", "call": missing.call_index,
                                                           "arg": missing.field})
        return out.extend(ask(turn, draft))
    reads = [c for c in calls if not get_tool(c.name).writes]
    writes = [c for c in calls if get_tool(c.name).writes]
    ctx = turn.tool_context(source=draft.source_text, draft=draft)
    for call in reads:
        try:
            result = run_calls([call], ctx)[0]
            out.replies.append(with_merge_buttons(result_reply(result, lang), result, turn.user, lang))
        except ToolError as err:
            out.say(render_error(err.code, err.params, lang))
    if not writes:
        draft.calls = []
        move(draft, CardEvent.confirm, now=turn.now)  # a question answered at once: nothing to confirm
        return out
    draft.calls = [c.to_json() for c in writes]
    try:
        previews = dry_run(writes, ctx)
    except ToolError as err:
        question = _question_from_error(err, writes)
        if question is not None:
            move(draft, CardEvent.ask, now=turn.now, question=question)
            return out.extend(ask(turn, draft))
        if state_of(draft) == CardState.asking:
            move(draft, CardEvent.reject, now=turn.now)  # never shown: nothing to keep open
            return out.say(render_error(err.code, err.params, lang))
        move(draft, CardEvent.invalid, now=turn.now)  # a shown card stays open, as it was
        return out.say(t(lang, "edit_kept", reason=render_error(err.code, err.params, lang)), kind="notice")
    move(draft, CardEvent.show, now=turn.now)
    if kept:
        out.say(t(lang, "edit_kept", reason=kept), kind="notice")
    out.replies.append(draft_card(draft, previews, lang, note=note, replaces_card=turn.pressed and not kept))
    return out


# --- the end of a card ------------------------------------------------------------------------


def confirm(turn: Turn, draft: Draft) -> Outcome:
    lang = turn.language
    if state_of(draft) not in (CardState.shown, CardState.editing):
        return _stale(turn, draft) if state_of(draft) != CardState.asking else ask(turn, draft, retry=True)
    calls = [ToolCall.from_json(c) for c in draft.calls]
    ctx = turn.tool_context(source=draft.source_text, draft=draft)
    savepoint = turn.session.begin_nested()
    try:
        results = run_calls(calls, ctx)
    except ToolError as err:
        savepoint.rollback()
        move(draft, CardEvent.refused, now=turn.now)
        return Outcome().say(render_error(err.code, err.params, lang))
    savepoint.commit()
    move(draft, CardEvent.confirm, now=turn.now)
    draft.result = {"tools": [r.tool for r in results]}
    if any(c.name in NAME_CHANGING_TOOLS for c in calls):
        turn.app.invalidate_directory()
    lines = [t(lang, "confirmed")] + [render_result(r, lang) for r in results]
    hints = after_confirm(turn, results)
    out = Outcome()
    out.replies.append(Reply(text="\n".join(line for line in lines + hints if line), replaces_card=turn.pressed))
    out.outgoing.extend(notices_to_outgoing([n for r in results for n in r.notify], session=turn.session))
    turn.app.remember(turn.chat_key, "assistant", lines[-1] if lines else "")
    return out


def cancel(turn: Turn, draft: Draft) -> Outcome:
    try:
        move(draft, CardEvent.cancel, now=turn.now)
    except IllegalMove:
        return _stale(turn, draft)
    _release(turn, draft)
    return Outcome().say(t(turn.language, "cancelled"), replaces_card=turn.pressed)


def _release(turn: Turn, draft: Draft) -> None:
    """A contract card that ended unconfirmed gives up the files it kept."""
    from bot.contract_photos import release_files

    release_files(turn, draft)


# --- presses and replies ----------------------------------------------------------------------


def on_choice(turn: Turn) -> Outcome:
    """A pressed button (or a numbered reply the adapter mapped to one). Never trusted: the
    presser must own the draft, and it must still be open."""
    choice = Choice.decode(turn.message.choice)
    if choice is None:
        return _stale(turn)
    if choice.kind == "q":
        from bot.quotes import on_quote_choice

        return on_quote_choice(turn, choice)
    if choice.kind == "r":
        from bot.reminders import on_reminder_choice

        return on_reminder_choice(turn, choice)
    if choice.kind == "m":
        return start(turn, merge_pair_parse(choice))
    if choice.kind == "l":
        from bot.leads import on_lead_choice

        return on_lead_choice(turn, choice)
    if choice.kind == "p":
        from bot.scheduler.notify import on_pref_choice

        return on_pref_choice(turn.session, turn.user, choice, turn.language, now=turn.now)
    draft = turn.session.get(Draft, choice.target)
    if draft is None:
        return _stale(turn)
    if draft.user_id != turn.user.id:
        return Outcome().say(t(turn.language, "draft_not_yours"), kind="notice")
    return on_draft_choice(turn, draft, choice)


def on_draft_choice(turn: Turn, draft: Draft, choice: Choice) -> Outcome:
    if _expired(turn, draft) or state_of(draft) not in (CardState.asking, CardState.shown, CardState.editing):
        return _stale(turn, draft)
    if choice.number is not None:
        return answer(turn, draft, number=choice.number)
    if choice.action == "confirm":
        return confirm(turn, draft)
    if choice.action == "cancel":
        return cancel(turn, draft)
    if choice.action == "edit":
        return start_edit(turn, draft)
    return _stale(turn)


def on_reply(turn: Turn, draft: Draft, word: str | None) -> Outcome | None:
    """Typed text while a draft is open: a number among the shown options, a control word, an
    answer to its question, or a change to the card. None when the text is none of these (a new
    request: the card stays open)."""
    state = state_of(draft)
    options = question_options(draft, turn.language) if state == CardState.asking else ()
    picked = pick_number(turn.text, options) if options else None
    if picked is not None:
        return on_draft_choice(turn, draft, picked)
    if word == "cancel":
        return cancel(turn, draft)
    if state == CardState.asking:
        return answer(turn, draft, text=turn.text)
    if word == "confirm":
        return confirm(turn, draft)
    if word == "edit":
        return start_edit(turn, draft)
    return apply_edit(turn, draft, expecting=state == CardState.editing)


def start_edit(turn: Turn, draft: Draft) -> Outcome:
    try:
        move(draft, CardEvent.edit, now=turn.now)
    except IllegalMove:
        return _stale(turn)
    return Outcome().say(t(turn.language, "edit_prompt"), kind="question")


def answer(turn: Turn, draft: Draft, *, text: str | None = None, number: int | None = None) -> Outcome:
    """The reply to the question the draft asks: typed text, or the number of an option."""
    question = draft.pending_question or {}
    kind = question.get("kind")
    if state_of(draft) != CardState.asking:
        return _stale(turn)
    if kind == "reject_reason":
        from bot.quotes import finish_reject

        return finish_reject(turn, draft, text or "")
    if kind == "alternatives":
        return _pick_alternative(turn, draft, question, number)
    calls = [dict(c, args=dict(c.get("args") or {})) for c in draft.calls]
    index, arg = question.get("call", 0), question.get("arg", "")
    if kind == "ambiguous":
        candidates = question.get("candidates") or []
        chosen = _pick_candidate(candidates, number, text)
        if chosen is None:
            return ask(turn, draft, retry=True)
        _set_arg(calls[index]["args"], arg, chosen, question.get("mention", ""))
        if arg == "account":
            _reread(turn, draft, calls[index], question.get("mention", ""), chosen)
    elif kind == "missing":
        from intents.values import extract_value

        value = extract_value(arg, text or "", turn.parse_context())
        if value is None:
            return ask(turn, draft, retry=True)
        calls[index]["args"][arg] = value
    draft.calls = calls
    draft.pending_question = None  # still asking, with nothing left to ask: `advance` shows the card
    return advance(turn, draft)


def apply_edit(turn: Turn, draft: Draft, *, expecting: bool) -> Outcome | None:
    """Read the text as a change to the card. A change is applied only if the calls still pass
    their dry run; otherwise the card stays as it was and the reply says why. Returns None when
    the text is not a change and the user did not ask to edit (it is a new request)."""
    from intents.edits import read_edit

    calls = [ToolCall.from_json(c) for c in draft.calls]
    edit = read_edit(turn.text, calls, turn.parse_context(), turn.app.engine, expecting=expecting)
    if edit is None:
        if not expecting:
            return None
        move(draft, CardEvent.no_change, now=turn.now)
        return Outcome().say(t(turn.language, "edit_no_change"), kind="question")
    before = list(draft.calls)
    ctx = turn.tool_context(source=draft.source_text, draft=draft)
    try:
        dry_run(edit.calls, ctx)
    except ToolError as err:
        if _question_from_error(err, edit.calls) is None:
            draft.calls = before
            move(draft, CardEvent.invalid, now=turn.now)
            return advance(turn, draft, kept=render_error(err.code, err.params, turn.language))
    draft.calls = [c.to_json() for c in edit.calls]
    move(draft, CardEvent.change, now=turn.now)
    record_usage(session=turn.session, at=turn.now, user_id=turn.user.id, kind="card", name="edited")
    return advance(turn, draft)


# --- questions --------------------------------------------------------------------------------


def question_options(draft: Draft, lang: str) -> tuple:
    """The numbered options the draft's question shows (what a typed number picks)."""
    q = draft.pending_question or {}
    if q.get("kind") == "ambiguous":
        return candidate_choices(draft.id, list(q.get("candidates") or []))
    if q.get("kind") == "alternatives":
        return numbered_options(draft.id, list(q.get("labels") or []) + [t(lang, "btn_none_of_these")])
    return ()


def ask(turn: Turn, draft: Draft, *, retry: bool = False) -> Outcome:
    lang = turn.language
    q = draft.pending_question or {}
    options = question_options(draft, lang)
    if q.get("kind") == "ambiguous":
        text = t(lang, "ask_ambiguous", mention=q.get("mention") or q.get("arg", ""))
    elif q.get("kind") == "alternatives":
        text = t(lang, "ask_alternatives")
    elif q.get("kind") == "missing":
        arg = q.get("arg", "")
        text = t(lang, "ask_missing", field=field_name(lang, arg), hint=field_hint(lang, arg))
        text = t(lang, "answer_not_understood", question=text) if retry else text
    elif q.get("kind") == "reject_reason":
        text = t(lang, "ask_reject_reason", quote_id=q.get("quote_id"))
    else:
        text = t(lang, "edit_prompt")
    if options:
        text = "\n".join([text] + [f"{n}. {o.label}" for n, o in enumerate(options, 1)])
    return Outcome().say(text, choices=options, kind="question", replaces_card=turn.pressed)


def _pick_alternative(turn: Turn, draft: Draft, question: dict, number: int | None) -> Outcome:
    options = question.get("options") or []
    if number is None or not 1 <= number <= len(options) + 1:
        return ask(turn, draft, retry=True)
    if number == len(options) + 1:
        move(draft, CardEvent.cancel, now=turn.now)
        return Outcome().say(t(turn.language, "alternatives_none"), replaces_card=turn.pressed)
    draft.calls = list(options[number - 1])
    draft.pending_question = None
    return advance(turn, draft)


def _pick_candidate(candidates: list[str], number: int | None, answer: str | None) -> str | None:
    if number is not None:
        return candidates[number - 1] if 1 <= number <= len(candidates) else None
    if answer is None:
        return None
    key = fold(answer.strip().rstrip(".。"))
    exact = [c for c in candidates if fold(c) == key]
    if exact:
        return exact[0]
    partial = [c for c in candidates if key and (key in fold(c) or fold(c) in key)]
    return partial[0] if len(partial) == 1 else None


def _reread(turn: Turn, draft: Draft, call: dict, mention: str, chosen: str) -> None:
    """Read the note again with the chosen account in place of the ambiguous name: what the first
    reading could not settle without knowing the account (its contact named in the note) is
    filled in; nothing already on the card changes."""
    source = draft.source_text or ""
    if not mention or mention not in source:
        return
    parse = turn.app.engine.parse(source.replace(mention, chosen, 1), turn.parse_context())
    same = next((c for c in parse.calls if c.name == call.get("name") and c.args.get("account") == chosen), None)
    if same is not None:
        for key, value in same.args.items():
            call["args"].setdefault(key, value)


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


def _describe(calls: list[ToolCall], lang: str) -> str:
    """A reading the engine gave no label: its calls' first card lines."""
    return ("; " if lang == "en" else "；").join(describe_call(c, None, lang).splitlines()[0] for c in calls)


def _stale(turn: Turn, draft: Draft | None = None) -> Outcome:
    """The answer to a press on a card that is no longer open. A saved one says what was saved
    (after a crash the confirmation may never have reached the user, who presses again), so the
    rep does not enter the note a second time; any other says nothing changed."""
    if draft is None or state_of(draft) != CardState.confirmed:
        return Outcome().say(t(turn.language, "draft_stale"), kind="notice", replaces_card=turn.pressed)
    lines = [t(turn.language, "draft_already_saved")]
    lines += [describe_call(ToolCall.from_json(c), None, turn.language) for c in draft.calls]
    return Outcome().say("\n".join(lines), kind="answer", replaces_card=turn.pressed)


def result_reply(result: ToolResult, lang: str) -> Reply:
    image = result.data.get("chart_png") if isinstance(result.data, dict) else None
    return Reply(text=render_result(result, lang), image=image if isinstance(image, bytes) else None)
