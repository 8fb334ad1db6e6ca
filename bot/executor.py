"""Running tool calls: for real inside the caller's transaction, or as a dry run that is rolled back.

The dry run is how a confirmation card learns what will be written (a new account, "评估 → 谈判")
and how bad input (an unknown quote, a reminder in the past) is refused before the card is shown.
"""
from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlmodel import Session

from storage.models import Draft, User
from storage.repos.usage import record_usage
from tools.base import ToolCall, ToolContext, ToolError, ToolResult, get_tool
from tools.permissions import visible_owners
from tools.resolve import seed_names
from bot.app import App


@dataclass
class Missing:
    call_index: int
    field: str


def make_context(app: App, user: User, session: Session, *, source: str | None = None,
                 draft_id: int | None = None) -> ToolContext:
    draft = session.get(Draft, draft_id) if draft_id is not None else None
    transcript = draft.transcript if draft is not None else None
    ctx = ToolContext(user=user, session=session, settings=app.settings, clock=app.clock,
                      source_message=source, draft_id=draft_id,
                      source="voice" if transcript is not None else "text", transcript=transcript)
    return with_cached_names(app, ctx)


def with_cached_names(app: App, ctx: ToolContext) -> ToolContext:
    """Start `ctx` from the app's cached names, so a card's tools do not read every name again
    inside the message's write transaction when nothing changed since the parser read them."""
    snapshot = app.names_snapshot(visible_owners(ctx.user, session=ctx.session))
    if snapshot is not None:
        seed_names(ctx, *snapshot)
    return ctx


def first_missing(calls: list[ToolCall]) -> Missing | None:
    """The first required argument no engine could fill (asked for before any card is shown)."""
    for i, call in enumerate(calls):
        try:
            get_tool(call.name).validate(call.args)
        except ValidationError as exc:
            for err in exc.errors():
                if err["type"] == "missing" and err["loc"]:
                    return Missing(i, str(err["loc"][0]))
    return None


def run_calls(calls: list[ToolCall], ctx: ToolContext) -> list[ToolResult]:
    """Run every call in `ctx.session` in order. A ToolError or invalid arguments stop the batch;
    the caller's transaction decides whether anything is kept."""
    results = []
    for call in calls:
        tool = get_tool(call.name)
        try:
            args = tool.validate(call.args)
        except ValidationError as exc:
            raise ToolError("invalid_arguments", tool=call.name,
                            details="; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                              for e in exc.errors())) from None
        results.append(tool.run(ctx, args))
        record_usage(session=ctx.session, at=ctx.clock(), user_id=ctx.user.id, kind="tool", name=call.name)
    return results


def dry_run(calls: list[ToolCall], ctx: ToolContext) -> list[ToolResult]:
    """Run the calls inside a savepoint and roll it back: previews, and errors raised early."""
    savepoint = ctx.session.begin_nested()
    try:
        return run_calls(calls, ctx)
    finally:
        savepoint.rollback()
        ctx.session.expire_all()
        ctx.created.clear()  # rolled back: nothing of the dry run exists
