"""account_potential: the accounts most worth pursuing, scored and explained by
`analytics.segments`, with the segment each belongs to."""
from __future__ import annotations

from analytics.data import load_accounts, load_deals, load_visits
from analytics.segments import account_features, learn_potential, potentials, segment_accounts
from storage.repos.users import users_by_id
from tools.base import ToolContext, ToolResult, require_modules, tool
from tools.permissions import scoped_reach
from tools.schemas import AccountPotentialArgs
from tools.values import ref


@tool(writes=False)
def account_potential(ctx: ToolContext, args: AccountPotentialArgs) -> ToolResult:
    """Rank customers by their potential (a 0-100 score of how likely they are to buy in the next
    six months, learned from the CRM's own history: visit frequency and recency, contacts engaged,
    deal sizes, open pipeline, stage velocity, win history), each with the features that raise
    its score and its customer segment. Scope mine or team (default: team for managers and
    admins, mine for reps); limit defaults to 5."""
    require_modules("sklearn")
    reach, scope, narrowed = scoped_reach(ctx, args.scope)
    limit = args.limit or 5
    today = ctx.today()
    accounts = load_accounts(session=ctx.session, tz=ctx.tz, owner_ids=reach.user_ids)
    ids = [a.id for a in accounts]
    deals = [d for d in load_deals(session=ctx.session, tz=ctx.tz) if d.account_id in set(ids)]
    visits = load_visits(ids, session=ctx.session, tz=ctx.tz)
    features = account_features(accounts, deals, visits, today)
    model = learn_potential(accounts, deals, visits, today)
    ranked = potentials(features, model)
    segmentation = segment_accounts(features)
    owners = users_by_id([a.owner_id for a in accounts], session=ctx.session)
    items = []
    for rank, p in enumerate(ranked[:limit], start=1):
        segment = segmentation.of(p.account.id)
        items.append({
            "rank": rank, "account": {"id": p.account.id, "name": p.account.name},
            "owner": ref(owners.get(p.account.owner_id)), "score": p.score,
            "reasons": [{"feature": f, "high": high} for f, high in p.reasons],
            "segment": None if segment is None else {"id": segment.id, "zh": segment.name("zh"),
                                                     "en": segment.name("en")},
        })
    return ToolResult("account_potential", {
        "scope": scope, "scope_narrowed": narrowed, "limit": limit, "items": items,
        "total_accounts": len(ranked),
        "segments": [{"id": s.id, "zh": s.name("zh"), "en": s.name("en"), "size": s.size}
                     for s in segmentation.segments],
        "model": {"learned": model.learned, "trained_on": model.trained_on, "positives": model.positives},
    })
