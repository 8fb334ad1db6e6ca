"""Who gets a lead: the routing rules applied to one lead (`Router.route`).

1. A lead for a known account goes to the account's owner (`existing_customer: owner`) when the
   owner is active and not away.
2. Otherwise the first rule whose `when` matches: every field named must match one of its values
   (compared case-, width- and space-insensitively; a region also matches by prefix, so 上海 covers
   上海市浦东新区). A rule without `when` matches every lead.
3. `rep: X`: X, unless X is away, inactive or full (capacity), then X's manager.
   `team: M`: the active, present, not-full reps who report to M, by `round_robin` (in id order,
   after the last one this rule chose) or `least_loaded` (fewest open leads, then lowest id); nobody
   available → M.
4. No rule matches → the lead stays `new`, unassigned.

A user is away when `preferences["away"]` is true (`salesbot leads away`). Open leads are those
new, assigned, contacted or qualified. The router counts what it assigns, so one batch respects
capacity without querying per row.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from storage.models import OPEN_LEAD_STATUSES, Account, Lead, User
from storage.names import fold
from tools.lead_rules import Rule, RoutingRules


@dataclass(frozen=True)
class Decision:
    owner_id: int | None
    reason: str        # existing_customer | rule | manager_fallback | no_rule | nobody
    rule_line: int | None = None

    def describe(self) -> str:
        return {"existing_customer": "owner of the existing customer",
                "rule": f"rule at line {self.rule_line}",
                "manager_fallback": f"team's manager: nobody available (rule at line {self.rule_line})",
                "no_rule": "no rule matches",
                "nobody": f"nobody available (rule at line {self.rule_line})"}[self.reason]


class Router:
    def __init__(self, rules: RoutingRules, *, session: Session) -> None:
        self.rules = rules
        self.users = {u.id: u for u in session.exec(select(User)).all()}
        self._names: dict[str, int] = {}
        for u in sorted(self.users.values(), key=lambda u: u.id, reverse=True):
            for name in (u.name, *(u.aliases or [])):
                self._names[fold(name)] = u.id
        self.load: Counter[int] = Counter(dict(session.exec(
            select(Lead.owner_id, sa.func.count()).where(col(Lead.status).in_(OPEN_LEAD_STATUSES),
                                                         col(Lead.owner_id).is_not(None))
            .group_by(Lead.owner_id)).all()))
        self._owners = dict(session.exec(select(Account.id, Account.owner_id)).all())
        self._session = session
        self._cursor: dict[int, int] = {}
        self._capacity: dict[int, int | None] = {}
        self._teams: dict[int, list[int]] = {}
        self._exclude: frozenset[int] = frozenset()

    def user_id(self, who: str | int | None) -> int | None:
        """A user named by id or by name/alias."""
        if who is None:
            return None
        text = str(who).strip()
        if text.isdigit() and int(text) in self.users:
            return int(text)
        return self._names.get(fold(text))

    def capacity(self, user_id: int) -> int | None:
        if user_id not in self._capacity:
            self._capacity[user_id] = self._limit(user_id)
        return self._capacity[user_id]

    def _limit(self, user_id: int) -> int | None:
        user = self.users[user_id]
        for name in (str(user.id), user.name, *(user.aliases or [])):
            for key, limit in self.rules.capacity.items():
                if fold(key) == fold(name):
                    return limit
        return self.rules.capacity_default

    def present(self, user_id: int | None) -> bool:
        if user_id in self._exclude:
            return False
        user = self.users.get(user_id) if user_id is not None else None
        return bool(user and user.active and not (user.preferences or {}).get("away"))

    def available(self, user_id: int | None) -> bool:
        if not self.present(user_id):
            return False
        limit = self.capacity(user_id)
        return limit is None or self.load[user_id] < limit

    def route(self, lead: Lead, *, exclude: set[int] | frozenset[int] = frozenset()) -> Decision:
        """Who gets `lead`; users in `exclude` are treated as away (a lead taken from its owner)."""
        self._exclude = frozenset(exclude)
        try:
            return self._route(lead)
        finally:
            self._exclude = frozenset()

    def _route(self, lead: Lead) -> Decision:
        if lead.account_id is not None and self.rules.existing_customer == "owner":
            owner = self._owners.get(lead.account_id)
            if owner is None:
                account = self._session.get(Account, lead.account_id)
                owner = account.owner_id if account else None
            if self.present(owner):
                return Decision(owner, "existing_customer")
        for rule in self.rules.rules:
            if matches(rule, lead):
                return self._assign(rule)
        return Decision(None, "no_rule")

    def assigned(self, owner_id: int | None) -> None:
        if owner_id is not None:
            self.load[owner_id] += 1

    def released(self, owner_id: int | None) -> None:
        if owner_id is not None and self.load[owner_id] > 0:
            self.load[owner_id] -= 1

    def team(self, manager_id: int) -> list[int]:
        if manager_id not in self._teams:
            self._teams[manager_id] = sorted(u.id for u in self.users.values() if u.manager_id == manager_id)
        return self._teams[manager_id]

    def _assign(self, rule: Rule) -> Decision:
        a = rule.assign
        if a.rep is not None:
            rep = self.user_id(a.rep)
            if self.available(rep):
                return Decision(rep, "rule", rule.line)
            manager = self.users[rep].manager_id if rep in self.users else None
            if manager in self._exclude:
                manager = None
            return Decision(manager, "manager_fallback" if manager else "nobody", rule.line)
        manager = self.user_id(a.team)
        if manager is None:
            return Decision(None, "nobody", rule.line)
        members = [m for m in self.team(manager) if self.available(m)]
        if not members:
            if manager in self._exclude:
                return Decision(None, "nobody", rule.line)
            return Decision(manager, "manager_fallback", rule.line)
        if a.strategy == "least_loaded":
            chosen = min(members, key=lambda m: (self.load[m], m))
        else:
            last = self._cursor.get(rule.line)
            if last is None:
                last = self._last_assigned(self.team(manager))
            chosen = next((m for m in members if last is None or m > last), members[0])
            self._cursor[rule.line] = chosen
        return Decision(chosen, "rule", rule.line)

    def _last_assigned(self, members: list[int]) -> int | None:
        """The team member who got the team's most recent lead, so round robin continues across runs."""
        if not members:
            return None
        return self._session.exec(select(Lead.owner_id).where(col(Lead.owner_id).in_(members),
                                                              col(Lead.assigned_at).is_not(None))
                                  .order_by(col(Lead.assigned_at).desc(), col(Lead.id).desc()).limit(1)).first()


def matches(rule: Rule, lead: Lead) -> bool:
    for name, wanted in rule.when.items():
        if name == "source":
            have = [fold(s) for s in (lead.sources or [])] or [fold(lead.source or "")]
        else:
            have = [fold(str(getattr(lead, name) or ""))]
        ok = False
        for value in wanted:
            w = fold(value)
            if any(h == w or (name == "region" and w and h.startswith(w)) for h in have):
                ok = True
                break
        if not ok:
            return False
    return True
