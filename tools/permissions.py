"""Who may act on and read what: the one place authorization is decided.

- a rep reaches their own accounts, deals, quotes and reminders;
- a manager reaches their team: themselves and every user whose `manager_id` is them;
- an admin reaches everything.

Engines propose calls; these checks decide. A rep who asks for `scope: team` gets their own data
and the result says the scope was narrowed (`scope_narrowed: true`) rather than an error, because
the question is legitimate and "mine" is the honest answer to it.
"""
from __future__ import annotations

from dataclasses import dataclass

from storage.models import Account, Quote, Role, User
from storage.repos.users import direct_report_ids, users_by_id
from tools.base import ToolContext, ToolError
from tools.schemas import Scope


@dataclass(frozen=True)
class Reach:
    """The owners whose data a user may touch; `None` means everyone (an admin)."""

    user_ids: frozenset[int] | None

    @property
    def everyone(self) -> bool:
        return self.user_ids is None

    def covers(self, user_id: int | None) -> bool:
        if self.user_ids is None:
            return True
        return user_id is not None and user_id in self.user_ids


def role_of(user: User) -> Role:
    return Role(user.role)


def team_reach(ctx: ToolContext) -> Reach:
    """Everything the acting user may act on and read."""
    user = ctx.user
    role = role_of(user)
    if role is Role.admin:
        return Reach(None)
    if role is Role.manager:
        return Reach(frozenset({user.id} | direct_report_ids(user.id, session=ctx.session)))
    return Reach(frozenset({user.id}))


def visible_owners(user: User, *, session) -> frozenset[int] | None:
    """Whose accounts' names `user` may see (`None`: everyone's). A rep sees their own team: themselves,
    their manager and the reps who share that manager, so a teammate's account resolves and a
    refusal may name its owner; another team's accounts, contacts and deals are unknown to them.
    A manager sees their team, an admin everything."""
    role = role_of(user)
    if role is Role.admin:
        return None
    if role is Role.manager or user.manager_id is None:
        return frozenset({user.id} | direct_report_ids(user.id, session=session))
    return frozenset({user.id, user.manager_id} | direct_report_ids(user.manager_id, session=session))


def scoped_reach(ctx: ToolContext, scope: Scope | None) -> tuple[Reach, Scope, bool]:
    """The reach a report runs over: (reach, scope used, whether the asked scope was narrowed).

    Default scope: `team` for managers and admins, `mine` for reps."""
    role = role_of(ctx.user)
    asked: Scope = scope or ("mine" if role is Role.rep else "team")
    if asked == "mine":
        return Reach(frozenset({ctx.user.id})), "mine", False
    if role is Role.rep:
        return Reach(frozenset({ctx.user.id})), "mine", True
    return team_reach(ctx), "team", False


def rep_reach(ctx: ToolContext, rep: User) -> Reach:
    """One user's data, for a manager of theirs, an admin, or the user themselves;
    `not_your_team` otherwise."""
    if not team_reach(ctx).covers(rep.id):
        raise ToolError("not_your_team", user=rep.name)
    return Reach(frozenset({rep.id}))


def can_reach_account(ctx: ToolContext, account: Account) -> bool:
    return team_reach(ctx).covers(account.owner_id)


def require_account(ctx: ToolContext, account: Account) -> None:
    """Raise unless the acting user may act on `account`: `not_your_account` (naming the owner) for
    a teammate's, `account_not_found` for another team's, which names nothing but its id."""
    if not can_reach_account(ctx, account):
        visible = visible_owners(ctx.user, session=ctx.session)
        if visible is not None and account.owner_id not in visible:
            raise ToolError("account_not_found", account_id=account.id)
        owner = users_by_id([account.owner_id], session=ctx.session).get(account.owner_id)
        raise ToolError("not_your_account", account=account.name,
                        owner=owner.name if owner else None)


def can_see_quote(ctx: ToolContext, quote: Quote, account: Account | None,
                  reach: Reach | None = None) -> bool:
    """A quote is visible to whoever reaches its requester or its account."""
    reach = reach or team_reach(ctx)
    return reach.covers(quote.requested_by) or (account is not None and reach.covers(account.owner_id))


def require_can_decide(ctx: ToolContext, quote: Quote, requester: User | None) -> None:
    """Only the requester's manager or an admin decides; a quote needing an admin needs an admin;
    nobody decides their own quote. Visibility (`quote_not_found`) is checked before this."""
    user = ctx.user
    if quote.requested_by == user.id:
        raise ToolError("cannot_decide_own_quote", quote_id=quote.id)
    role = role_of(user)
    if role is Role.admin:
        return
    if Role(quote.required_role) is Role.admin:
        raise ToolError("not_allowed_to_decide", quote_id=quote.id, required_role="admin")
    if role is Role.manager and requester is not None and requester.manager_id == user.id:
        return
    raise ToolError("not_allowed_to_decide", quote_id=quote.id, required_role=str(quote.required_role))


def require_can_reassign(ctx: ToolContext, from_user: User, to_user: User) -> None:
    """An admin, or the manager of both users' team (the manager may be one of them)."""
    role = role_of(ctx.user)
    if role is Role.admin:
        return
    reach = team_reach(ctx)
    if role is Role.manager and reach.covers(from_user.id) and reach.covers(to_user.id):
        return
    raise ToolError("not_allowed_to_reassign", from_user=from_user.name, to_user=to_user.name)


def may_decide(ctx: ToolContext, quote: Quote, requester: User | None) -> bool:
    try:
        require_can_decide(ctx, quote, requester)
    except ToolError:
        return False
    return True
