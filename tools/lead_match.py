"""Customer matching for leads (CDM): which account, contact or earlier lead a new lead is.

`LeadMatcher` is built once per batch from the database (live accounts with their aliases, their
contacts, open leads and converted leads' credit codes) and kept current as the batch adds leads, so
matching 100,000 rows costs dictionary lookups, not queries. Keys are `storage.leadkeys`'s.

Order: an open lead with the same credit code, company, phone or email (another channel of the same
company: the caller merges into it); else an account whose name or alias, or whose own or contact's
phone or email, matches, or that a converted lead with the same credit code became. A key that
points at two different accounts links to neither.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from storage.leadkeys import company_key, credit_code_key, email_key, phone_key
from storage.models import OPEN_LEAD_STATUSES, Account, Contact, Lead

_AMBIGUOUS = -1


@dataclass(frozen=True)
class Match:
    lead: Any = None                   # an open lead of the same company (`Lead`, or a `NewLead` of this batch)
    account_id: int | None = None      # the customer it belongs to
    contact_id: int | None = None
    by: str | None = None              # credit_code | company | phone | email


class LeadMatcher:
    def __init__(self, session: Session) -> None:
        self._accounts: dict[str, dict[str, int]] = {k: {} for k in ("company", "phone", "email", "credit_code")}
        self._contacts: dict[tuple[str, str], int] = {}
        self._leads: dict[str, dict[str, Any]] = {k: {} for k in ("company", "phone", "email", "credit_code")}
        self._session = session
        accounts = session.exec(select(Account.id, Account.name, Account.aliases, Account.phone,
                                       Account.email, Account.merged_into_id)).all()
        merged = {a.id: a.merged_into_id for a in accounts if a.merged_into_id}
        for a in accounts:
            if a.merged_into_id:
                continue
            for form in (a.name, *(a.aliases or [])):
                self._link_account("company", company_key(form), a.id)
            self._link_account("phone", phone_key(a.phone), a.id)
            self._link_account("email", email_key(a.email), a.id)
        for c in session.exec(select(Contact.id, Contact.account_id, Contact.phone, Contact.email)).all():
            account_id = _live(c.account_id, merged)
            for kind, key in (("phone", phone_key(c.phone)), ("email", email_key(c.email))):
                if key:
                    self._link_account(kind, key, account_id)
                    self._contacts.setdefault((kind, key), c.id)
        for lead_id, code, account_id in session.exec(
                select(Lead.id, Lead.credit_code, Lead.account_id)
                .where(col(Lead.credit_code).is_not(None), col(Lead.account_id).is_not(None))).all():
            self._link_account("credit_code", credit_code_key(code), _live(account_id, merged))
        self._open_ids: dict[str, dict[str, int]] = {k: {} for k in self._leads}
        for row in session.exec(select(Lead.id, Lead.company_key, Lead.phone_key, Lead.email_key, Lead.credit_code)
                                .where(col(Lead.status).in_(OPEN_LEAD_STATUSES)).order_by(Lead.id)).all():
            for kind, key in (("company", row.company_key), ("phone", row.phone_key), ("email", row.email_key),
                              ("credit_code", credit_code_key(row.credit_code))):
                if key:
                    self._open_ids[kind].setdefault(key, row.id)

    def _link_account(self, kind: str, key: str | None, account_id: int) -> None:
        if not key:
            return
        seen = self._accounts[kind].get(key)
        self._accounts[kind][key] = account_id if seen in (None, account_id) else _AMBIGUOUS

    def match(self, *, company: str | None, phone: str | None, email: str | None,
              credit_code: str | None) -> Match:
        keys = (("credit_code", credit_code_key(credit_code)), ("company", company_key(company)),
                ("phone", phone_key(phone)), ("email", email_key(email)))
        for kind, key in keys:
            if not key:
                continue
            lead = self._leads[kind].get(key)
            if lead is None and key in self._open_ids[kind]:
                lead = self._session.get(Lead, self._open_ids[kind][key])
                if lead is not None and lead.status not in OPEN_LEAD_STATUSES:
                    lead = None
            if lead is not None:
                return Match(lead=lead, account_id=lead.account_id, contact_id=lead.contact_id, by=kind)
        for kind, key in keys:
            if key and self._accounts[kind].get(key, _AMBIGUOUS) != _AMBIGUOUS:
                return Match(account_id=self._accounts[kind][key], contact_id=self._contacts.get((kind, key)), by=kind)
        return Match()

    def remember(self, lead: Any) -> None:
        """`lead` was just added (or merged into): later rows of the batch match it."""
        for kind, key in (("company", lead.company_key), ("phone", lead.phone_key), ("email", lead.email_key),
                          ("credit_code", credit_code_key(lead.credit_code))):
            if key:
                self._leads[kind].setdefault(key, lead)


def _live(account_id: int, merged: dict[int, int]) -> int:
    seen = set()
    while account_id in merged and account_id not in seen:
        seen.add(account_id)
        account_id = merged[account_id]
    return account_id
