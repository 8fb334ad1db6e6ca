"""Keeping the knowledge index in step with confirmed writes, the hint after a logged visit, and
the bot's start-up task for the index.

`after_confirm` is called by `drafts.confirm` once the tool calls ran in their savepoint: the
deals they touched are indexed after the message's transaction commits (never when it rolls
back), and a logged visit may get one short hint from similar past deals. Without a built index
both do nothing.

At start-up (`bot.warmup`) the bot builds the index in the background when there is none and the
CRM has closed deals, then reads it into memory and loads the embedding model, so the first
question is answered without waiting (from BM25 alone until the model is in).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot import warmup
from tools.base import ToolResult

if TYPE_CHECKING:
    from bot.app import App
    from bot.turn import Turn

log = logging.getLogger("salesbot.knowledge")
REBUILD_AFTER_S = 5.0


def touched_deals(results: list[ToolResult]) -> set[int]:
    """Deals whose documents a confirmed write changed: a visit's deal, an updated deal."""
    ids: set[int] = set()
    for result in results:
        if result.tool in ("log_visit", "update_opportunity"):
            deal = result.data.get("opportunity") or {}
            if deal.get("id") is not None:
                ids.add(int(deal["id"]))
    return ids


def after_confirm(turn: Turn, results: list[ToolResult]) -> list[str]:
    """Schedule indexing after commit; return the hint lines to add to the confirmation."""
    from knowledge.service import index_deals_after_commit, knowledge_for

    settings, session, lang = turn.app.settings, turn.session, turn.language
    index_deals_after_commit(session, touched_deals(results), settings)
    visits = [r for r in results if r.tool == "log_visit" and (r.data.get("account") or {}).get("id")]
    if not visits:
        return []
    knowledge = knowledge_for(settings)
    if knowledge is None:
        return []
    from knowledge.hints import hint_after_visit

    try:
        hint = hint_after_visit(int(visits[-1].data["account"]["id"]), session=session, knowledge=knowledge,
                                lang=lang)
    except Exception:  # a hint is optional; the visit is saved either way
        log.exception("no hint after the visit")
        return []
    return [hint] if hint else []


def warm_up_knowledge(app: App, rebuild_after_s: float = REBUILD_AFTER_S) -> None:
    """Build a missing index (when there are closed deals; after `rebuild_after_s`, so a short
    session and the first reply are not slowed by it), then load the index and its model."""
    import time

    from knowledge import service

    if not app.settings.knowledge_enabled or service.missing_modules(app.settings):
        return  # nothing to build or load: the next start-up task need not wait
    if service.unavailable_reason(app.settings) is not None:
        time.sleep(rebuild_after_s)
        service.rebuild_if_missing(app.settings, app.db)
    service.warm_up(app.settings)


warmup.register("knowledge", warm_up_knowledge)
