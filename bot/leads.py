"""Accept / Contacted / Not a fit pressed on a lead notice. The press is the confirmation (as an
approval button is); "Not a fit" records the reason 不合适 / not a fit, which the rep can refine by
saying why ("远航物流的线索不合适，预算太低"). Permission checks stay in the tools."""
from __future__ import annotations

from bot.choices import Choice
from bot.executor import run_calls
from bot.messages import Choice as Option
from bot.messages import Reply
from bot.notices import notices_to_outgoing
from bot.outcome import Outcome
from bot.render_results import render_result
from bot.turn import Turn
from prompts.errors import render_error
from prompts.ui import t
from tools.base import ToolCall, ToolError

ACTIONS = {"accept": "accepted", "contacted": "contacted", "notfit": "disqualified"}
_LABELS = {"accept": ("接受", "Accept"), "contacted": ("已联系", "Contacted"), "notfit": ("不合适", "Not a fit")}


def lead_choices(lead_id: int, lang: str) -> tuple[Option, ...]:
    en = lang == "en"
    return tuple(Choice("l", lead_id, action).option(_LABELS[action][en], style)
                 for action, style in (("accept", "primary"), ("contacted", "default"), ("notfit", "danger")))


def on_lead_choice(turn: Turn, choice: Choice) -> Outcome:
    status = ACTIONS.get(choice.action)
    if status is None:
        return Outcome().say(t(turn.language, "draft_stale"), replaces_card=True, kind="notice")
    args = {"lead": f"#{choice.target}", "status": status}
    if status == "disqualified":
        args["reason"] = "not a fit" if turn.language == "en" else "不合适"
    ctx = turn.tool_context(source=f"[button] lead {choice.action} #{choice.target}")
    savepoint = turn.session.begin_nested()
    try:
        results = run_calls([ToolCall("update_lead", args)], ctx)
    except ToolError as err:
        savepoint.rollback()
        return Outcome().say(render_error(err.code, err.params, turn.language))
    savepoint.commit()
    out = Outcome()
    out.replies.append(Reply(text=render_result(results[0], turn.language), replaces_card=True))
    out.outgoing.extend(notices_to_outgoing(results[0].notify, session=turn.session))
    return out
