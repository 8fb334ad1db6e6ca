"""The audit log in the console: who changed what, when, from which message. A rep sees their own
actions, a manager their team's, an admin everyone's; filters by actor, account and tool (action)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func, select

from storage.models import AuditLog, Contact, Opportunity, Quote, Reminder, Visit
from storage.repos.users import users_by_id
from tools.base import ToolContext
from tools.merge import merge_entry
from tools.permissions import team_reach
from tools.values import local_instant, ref

ON_ACCOUNT = {"contact": Contact, "opportunity": Opportunity, "visit": Visit, "quote": Quote,
              "reminder": Reminder}


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    account_id: int | None = None
    action: str | None = None  # create, update, approved, rejected, merge, unmerge, reassign...
    entity: str | None = None


def audit_entries(ctx: ToolContext, filters: AuditFilters = AuditFilters(), *, offset: int = 0,
                  limit: int = 50) -> dict[str, Any]:
    reach = team_reach(ctx)
    where: list[Any] = []
    if not reach.everyone:
        where.append(col(AuditLog.actor_id).in_(sorted(reach.user_ids)))
    if filters.actor_id is not None:
        where.append(AuditLog.actor_id == filters.actor_id)
    if filters.action:
        where.append(AuditLog.action == filters.action)
    if filters.entity:
        where.append(AuditLog.entity == filters.entity)
    if filters.account_id is not None:
        about = [sa.and_(AuditLog.entity == "account", AuditLog.entity_id == filters.account_id)]
        for entity, model in ON_ACCOUNT.items():
            ids = select(model.id).where(model.account_id == filters.account_id)
            about.append(sa.and_(AuditLog.entity == entity, col(AuditLog.entity_id).in_(ids)))
        where.append(sa.or_(*about))
    total = ctx.session.exec(select(func.count()).select_from(AuditLog).where(*where)).one()
    rows = ctx.session.exec(select(AuditLog).where(*where).order_by(AuditLog.at.desc(), AuditLog.id.desc())
                            .offset(offset).limit(limit)).all()
    people = users_by_id([r.actor_id for r in rows], session=ctx.session)
    undone = _undone_merges(ctx, [r.id for r in rows if r.action == "merge"])
    items = [{"id": r.id, "at": local_instant(r.at, ctx.tz), "actor": ref(people.get(r.actor_id)),
              "action": r.action, "entity": r.entity, "entity_id": r.entity_id, "before": r.before,
              "after": r.after, "source_message": r.source_message, "draft_id": r.draft_id,
              "undo_merge": (merge_entry(r) is not None and r.id not in undone)} for r in rows]
    actions = sorted(ctx.session.exec(select(AuditLog.action).distinct()).all())
    return {"total": int(total), "offset": offset, "limit": limit, "items": items, "actions": actions}


def _undone_merges(ctx: ToolContext, merge_ids: list[int]) -> set[int]:
    if not merge_ids:
        return set()
    rows = ctx.session.exec(select(AuditLog).where(AuditLog.action == "unmerge")).all()
    return {(r.after or {}).get("merge_audit_id") for r in rows} & set(merge_ids)
