"""Who must approve a quote, from the `ApprovalRule` rows.

A rule matches a quote when one of its thresholds is reached: discount ≥ `min_discount_pct`, or
amount ≥ `min_amount` in the rule's own currency (a quote in another currency is not compared:
there are no exchange rates). A rule without any threshold matches every quote. The strictest
matching role wins (admin over manager); with no match, the requester's manager decides. A
requester without a manager (a manager's own quote) goes to an admin.
"""
from __future__ import annotations

from decimal import Decimal

from storage.models import ApprovalRule, Role, User
from storage.repos.quotes import approval_rules
from storage.repos.users import active_admins, get_user
from tools.base import ToolContext

_ROLE_RANK = {Role.rep: 0, Role.manager: 1, Role.admin: 2}


def rule_matches(rule: ApprovalRule, amount: Decimal, currency: str, discount_pct: Decimal) -> bool:
    if rule.min_discount_pct is None and rule.min_amount is None:
        return True
    if rule.min_discount_pct is not None and discount_pct >= Decimal(rule.min_discount_pct):
        return True
    return (rule.min_amount is not None and currency == rule.currency
            and amount >= Decimal(rule.min_amount))


def required_role(rules: list[ApprovalRule], amount: Decimal, currency: str,
                  discount_pct: Decimal) -> Role:
    role = Role.manager
    for rule in rules:
        if rule_matches(rule, amount, currency, discount_pct):
            candidate = Role(rule.approver_role)
            if _ROLE_RANK[candidate] > _ROLE_RANK[role]:
                role = candidate
    return role


def approvers_for(ctx: ToolContext, requester: User, amount: Decimal, currency: str,
                  discount_pct: Decimal) -> tuple[Role, list[User]]:
    """The role a quote needs and the users to ask (possibly none: nobody qualifies yet)."""
    role = required_role(approval_rules(session=ctx.session), amount, currency, discount_pct)
    if role is Role.manager:
        manager = get_user(requester.manager_id, session=ctx.session) if requester.manager_id else None
        if manager is not None and manager.active and manager.id != requester.id:
            return role, [manager]
        role = Role.admin
    return role, [u for u in active_admins(session=ctx.session) if u.id != requester.id]
