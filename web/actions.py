"""Running tools for the signed-in user, the way the bot runs a confirmed draft: one transaction,
the acting user from the database, the audit entry written by the tool, and the tool's notices put
in the chat outbox (in the same transaction) for the bot to deliver."""
from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import ValidationError
from sqlmodel import Session

from storage.models import User
from storage.repos.outbox import enqueue
from tools.base import ToolContext, ToolError, ToolResult, get_tool, validation_problems
from web.app import state_of
from web.auth import Viewer, transaction


def context(request: Request, session: Session, viewer: Viewer, source: str | None = None) -> ToolContext:
    """A `ToolContext` for the viewer, on the viewer's row as it is now in this transaction."""
    state = state_of(request)
    user = session.get(User, viewer.user.id)
    return ToolContext(user=user, session=session, settings=state.settings, clock=state.clock,
                       source_message=source)


def read(request: Request, viewer: Viewer, fn, *args, **kwargs) -> Any:
    """`fn(ctx, *args, **kwargs)` in a read transaction."""
    with transaction(request) as session:
        return fn(context(request, session, viewer), *args, **kwargs)


def run_tool(request: Request, viewer: Viewer, name: str, args: dict[str, Any], *, via: str) -> ToolResult:
    """Run a registered tool; its notices go to the outbox. `via` ("web console", "REST API")
    is recorded as the audit entries' source. Raises `ToolError` (invalid arguments included)."""
    tool = get_tool(name)
    try:
        parsed = tool.validate(args)
    except ValidationError as exc:
        details = "; ".join(f"{p['field']}: {p['message']}" for p in validation_problems(exc))
        raise ToolError("invalid_arguments", details=details) from None
    state = state_of(request)
    with transaction(request) as session:
        ctx = context(request, session, viewer, source=via)
        result = tool.run(ctx, parsed)
        for notice in result.notify:
            enqueue(notice.user_id, notice.kind, notice.data, session=session, now=state.clock())
        deal = result.data.get("opportunity") if name in ("log_visit", "update_opportunity") else None
        if deal and deal.get("id") is not None and state.settings.knowledge_enabled:
            from knowledge.service import index_deals_after_commit

            index_deals_after_commit(session, {int(deal["id"])}, state.settings)
    return result
