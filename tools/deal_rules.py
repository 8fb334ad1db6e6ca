"""Rules about deals that several tools share: which deal a message means, and stage moves."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage.models import Opportunity, Stage, StageChange
from storage.repos.common import save
from storage.repos.deals import deals_of_accounts
from tools.base import ToolContext

# won and lost are both the end of the road: lost → won is not "backwards".
STAGE_RANK = {Stage.prospect: 0, Stage.evaluation: 1, Stage.negotiation: 2, Stage.won: 3, Stage.lost: 3}


def current_open_deal(session: Session, account_id: int) -> Opportunity | None:
    """The account's open deal: the only one, else the most recently updated one."""
    open_deals = deals_of_accounts([account_id], session=session, open_only=True)
    return open_deals[0] if open_deals else None


def is_backwards(before: Stage, after: Stage) -> bool:
    return STAGE_RANK[after] < STAGE_RANK[before]


def record_stage(ctx: ToolContext, deal: Opportunity, before: Stage | None, after: Stage,
                 at: datetime) -> StageChange:
    change = save(StageChange(opportunity_id=deal.id, from_stage=before, to_stage=after,
                              changed_at=at, changed_by=ctx.user.id), session=ctx.session)
    ctx.audit("create", "stage_change", change.id, None,
              {"opportunity_id": deal.id, "from_stage": before.value if before else None,
               "to_stage": after.value})
    return change
