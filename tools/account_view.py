"""Accounts in the console: search by Chinese name, pinyin (full or initials) and aliases, and the
360° page (contacts, deals with their stage history and contract files, every visit, quotes, reminders, and similar
past deals from `knowledge/`). Permissions as `account_overview`: the account's owner must be in
the acting user's reach."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from storage.attachments import attachment_store
from storage.models import Account, Attachment, Quote, Reminder, ReminderStatus
from storage.names import fold
from storage.repos.attachments import attachments_of_deals
from storage.repos.deals import deals_of_accounts, stage_history
from storage.repos.users import users_by_id
from storage.repos.visits import visits_of_accounts
from tools.base import ToolContext, ToolError
from tools.briefs import contact_list, visit_list
from tools.permissions import team_reach
from tools.values import deal_summary, local_instant, money, quote_summary, ref


@lru_cache(maxsize=65536)
def searchable_forms(text: str) -> tuple[str, ...]:
    """`text` folded, and for Chinese its full pinyin and initials: 蓝鲸科技 → ('蓝鲸科技',
    'lanjingkeji', 'ljkj')."""
    folded = fold(text).replace(" ", "")
    if folded.isascii():
        return (folded,)
    from pypinyin import Style, lazy_pinyin

    syllables = [s.lower() for s in lazy_pinyin(folded, errors="ignore")]
    initials = [s.lower() for s in lazy_pinyin(folded, style=Style.FIRST_LETTER, errors="ignore")]
    return (folded, "".join(syllables), "".join(initials))


def matches(account, query: str) -> bool:
    """Whether an account (a row with `name` and `aliases`) matches a search."""
    wanted = fold(query).replace(" ", "")
    if not wanted:
        return True
    return any(wanted in form for name in (account.name, *(account.aliases or []))
               for form in searchable_forms(name))


def search_accounts(ctx: ToolContext, query: str = "", *, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """Live accounts in reach whose name or alias contains `query` (as written, in pinyin or as
    pinyin initials), by name; with owner, industry, region and open deal count."""
    reach = team_reach(ctx)
    where = [col(Account.merged_into_id).is_(None)]
    if not reach.everyone:
        where.append(col(Account.owner_id).in_(sorted(reach.user_ids)))
    columns = (Account.id, Account.name, Account.aliases, Account.owner_id, Account.industry, Account.region)
    order = (Account.name, Account.id)
    if not fold(query).strip():
        total = ctx.session.exec(select(func.count()).select_from(Account).where(*where)).one()
        page = ctx.session.exec(select(*columns).where(*where).order_by(*order).offset(offset).limit(limit)).all()
    else:
        found = [a for a in ctx.session.exec(select(*columns).where(*where).order_by(*order)).all() if matches(a, query)]
        total, page = len(found), found[offset:offset + limit]
    owners = users_by_id([a.owner_id for a in page], session=ctx.session)
    open_counts: dict[int, int] = {}
    for deal in deals_of_accounts([a.id for a in page], session=ctx.session, open_only=True):
        open_counts[deal.account_id] = open_counts.get(deal.account_id, 0) + 1
    return {"query": query, "total": int(total), "offset": offset, "limit": limit,
            "items": [{**ref(a), "aliases": list(a.aliases or []), "industry": a.industry, "region": a.region,
                       "owner": ref(owners.get(a.owner_id)), "open_deals": open_counts.get(a.id, 0)}
                      for a in page]}


def account_360(ctx: ToolContext, account_id: int) -> dict[str, Any]:
    """What `account_overview` shows (read by id, so two accounts with one name are told apart),
    plus each deal's stage history, every visit, every quote and the pending reminders."""
    account = ctx.session.get(Account, account_id)
    if account is None or not team_reach(ctx).covers(account.owner_id):
        raise ToolError("record_not_found", kind="account", id=account_id)
    if account.merged_into_id is not None:
        return {"merged_into": ref(ctx.session.get(Account, account.merged_into_id)), "account": ref(account)}
    tz = ctx.tz
    deals = deals_of_accounts([account.id], session=ctx.session)
    history = stage_history([d.id for d in deals], session=ctx.session)
    quotes = ctx.session.exec(select(Quote).where(Quote.account_id == account.id)
                              .order_by(Quote.requested_at.desc(), Quote.id.desc())).all()
    reminders = ctx.session.exec(select(Reminder).where(Reminder.account_id == account.id,
                                                        Reminder.status == ReminderStatus.pending)
                                 .order_by(Reminder.due_at)).all()
    contracts: dict[int, list[dict[str, Any]]] = {}
    for row in attachments_of_deals([d.id for d in deals], session=ctx.session):
        contracts.setdefault(row.opportunity_id, []).append(attachment_summary(row, tz))
    people = users_by_id({account.owner_id} | {q.requested_by for q in quotes} | {r.user_id for r in reminders},
                         session=ctx.session)
    return {
        "account": {**ref(account), "industry": account.industry, "region": account.region,
                    "phone": account.phone, "email": account.email, "aliases": list(account.aliases or [])},
        "owner": ref(people.get(account.owner_id)),
        "contacts": contact_list(account, session=ctx.session),
        "deals": [deal_summary(d) | {"lost_reason": d.lost_reason, "competitor": d.competitor,
                                     "history": [{"from": c.from_stage, "to": c.to_stage,
                                                  "on": local_instant(c.changed_at, tz)} for c in history.get(d.id, [])],
                                     "contracts": contracts.get(d.id, [])}
                  for d in deals],
        "visits": visit_list(visits_of_accounts([account.id], session=ctx.session), session=ctx.session),
        "quotes": [quote_summary(q, account, people.get(q.requested_by), tz) for q in quotes],
        "reminders": [{"id": r.id, "text": r.text, "due_at": local_instant(r.due_at, tz),
                       "user": ref(people.get(r.user_id))} for r in reminders],
    }


def attachment_summary(row: Attachment, tz) -> dict[str, Any]:
    read = row.fields or {}
    return {"id": row.id, "name": row.name, "mime": row.mime, "bytes": row.bytes, "pages": row.pages,
            "contract_no": read.get("contract_no"), "amount": money(_decimal(read.get("amount")), read.get("currency") or ""),
            "signed_on": read.get("signed_on"), "uploaded_at": local_instant(row.uploaded_at, tz)}


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def attachment_file(ctx: ToolContext, attachment_id: int) -> tuple[Attachment, Path]:
    """An attachment and its file, for a user who may see its account (`record_not_found` for
    another team's alike, and for a file missing from the store)."""
    row = ctx.session.get(Attachment, attachment_id)
    account = ctx.session.get(Account, row.account_id) if row is not None and row.account_id else None
    if row is None or account is None or not team_reach(ctx).covers(account.owner_id):
        raise ToolError("record_not_found", kind="attachment", id=attachment_id)
    path = attachment_store(ctx.settings).path(row.sha256)
    if not path.is_file():
        raise ToolError("record_not_found", kind="attachment", id=attachment_id)
    return row, path


def similar_past_deals(ctx: ToolContext, account_id: int, k: int = 5) -> list[dict[str, Any]] | None:
    """Closed deals most like this account's current deal, from the knowledge index; None when
    retrieval is off or not built."""
    account = ctx.session.get(Account, account_id)
    if account is None or not team_reach(ctx).covers(account.owner_id):
        raise ToolError("record_not_found", kind="account", id=account_id)
    from knowledge.service import knowledge_for

    knowledge = knowledge_for(ctx.settings)
    if knowledge is None:
        return None
    from knowledge.records import load_deals
    from knowledge.suggest import similar_deals, target_of

    hits = similar_deals(knowledge, target_of(ctx.session, account, None), None, k=k)
    records = {r.id: r for r in load_deals(session=ctx.session, deal_ids=[h.deal_id for h in hits])}
    return [{"id": h.deal_id, "name": records[h.deal_id].name, "account": records[h.deal_id].account,
             "outcome": records[h.deal_id].outcome, "score": round(float(getattr(h, "score", 0.0)), 3)}
            for h in hits if h.deal_id in records]
