"""A small CRM built row by row, for tests whose numbers must be known exactly."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from storage.models import (
    Account, Contact, Opportunity, Role, Stage, StageChange, User, Visit, VisitContact,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 12) -> datetime:
    """Noon (or `hour`) Shanghai time on an ISO day."""
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=SHANGHAI)


class CrmBuilder:
    """Adds rows through one session; every helper flushes so ids are known."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _add(self, row):
        self.session.add(row)
        self.session.flush()
        return row

    def user(self, name: str, role: Role = Role.rep, manager: User | None = None, **kw) -> User:
        return self._add(User(name=name, role=role, manager_id=manager.id if manager else None, **kw))

    def account(self, name: str, owner: User | None, **kw) -> Account:
        return self._add(Account(name=name, owner_id=owner.id if owner else None, **kw))

    def contact(self, account: Account, name: str, **kw) -> Contact:
        return self._add(Contact(account_id=account.id, name=name, **kw))

    def deal(self, account: Account, owner: User, name: str, history: list[tuple[str, str]],
             amount: str | None = None, currency: str = "CNY", expected_close: str | None = None,
             updated: str | None = None, **kw) -> Opportunity:
        """`history` is [(stage, ISO day)] oldest first; the deal ends at the last stage, and a
        closed one is closed on that day."""
        stage = Stage(history[-1][0])
        deal = self._add(Opportunity(
            account_id=account.id, owner_id=owner.id, name=name, stage=stage,
            amount=Decimal(amount) if amount is not None else None, currency=currency,
            expected_close=date.fromisoformat(expected_close) if expected_close else None,
            closed_on=date.fromisoformat(history[-1][1]) if stage.is_closed else None,
            created_at=at(history[0][1]), updated_at=at(updated or history[-1][1]), **kw))
        previous = None
        for step, day in history:
            self._add(StageChange(opportunity_id=deal.id, from_stage=previous, to_stage=Stage(step),
                                  changed_at=at(day), changed_by=owner.id))
            previous = Stage(step)
        return deal

    def visit(self, account: Account, rep: User, day: str, contacts: list[Contact] = (), **kw) -> Visit:
        visit = self._add(Visit(account_id=account.id, rep_id=rep.id, occurred_on=date.fromisoformat(day), **kw))
        for contact in contacts:
            self._add(VisitContact(visit_id=visit.id, contact_id=contact.id))
        return visit
