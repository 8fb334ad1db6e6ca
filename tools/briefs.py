"""What a tool says about one account: contacts, deals, visits, quotes, promises. Shared by
account_overview, reassign_accounts (the handover brief) and suggest_next_steps."""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage.models import Account, Stage, Visit
from storage.repos.accounts import contacts_by_id, contacts_of
from storage.repos.deals import deals_of_accounts
from storage.repos.quotes import pending_quotes
from storage.repos.users import users_by_id
from storage.repos.visits import contact_ids_of_visits, visits_of_accounts
from tools.values import day, deal_summary, quote_summary, ref


def contact_list(account: Account, *, session: Session) -> list[dict[str, Any]]:
    return [{"id": c.id, "name": c.name, "title": c.title, "phone": c.phone, "email": c.email}
            for c in contacts_of([account.id], session=session)]


def visit_list(visits: list[Visit], *, session: Session) -> list[dict[str, Any]]:
    met = contact_ids_of_visits([v.id for v in visits], session=session)
    people = contacts_by_id({c for ids in met.values() for c in ids}, session=session)
    reps = users_by_id([v.rep_id for v in visits], session=session)
    return [{"id": v.id, "occurred_on": day(v.occurred_on), "channel": str(v.channel) if v.channel else None,
             "contacts": [people[c].name for c in met.get(v.id, []) if c in people],
             "summary": v.summary, "next_step": v.next_step, "rep": ref(reps.get(v.rep_id))}
            for v in visits]


def recent_visits(account: Account, *, session: Session, limit: int) -> list[dict[str, Any]]:
    return visit_list(visits_of_accounts([account.id], session=session, limit=limit), session=session)


def deal_lists(account: Account, *, session: Session) -> tuple[list[dict], list[dict]]:
    """(open deals, closed deals), most recently updated first."""
    deals = deals_of_accounts([account.id], session=session)
    return ([deal_summary(d) for d in deals if not Stage(d.stage).is_closed],
            [deal_summary(d) | {"lost_reason": d.lost_reason, "competitor": d.competitor}
             for d in deals if Stage(d.stage).is_closed])


def pending_quote_list(account: Account, *, session: Session, tz: ZoneInfo) -> list[dict[str, Any]]:
    quotes = pending_quotes(session=session, account_ids=[account.id])
    people = users_by_id([q.requested_by for q in quotes], session=session)
    return [quote_summary(q, account, people.get(q.requested_by), tz) for q in quotes]


def promises(visits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Next steps agreed in recent visits: what the customer was promised."""
    return [{"next_step": v["next_step"], "agreed_on": v["occurred_on"]} for v in visits if v["next_step"]]
