"""Names in arguments → rows, through the one matcher (`storage.names`).

Exact or a single fuzzy match gives the row; several candidates raise `ambiguous_*` with their
names so the bot can ask; an unknown name raises `unknown_*` unless the caller may create it.
"""
from __future__ import annotations

from storage.models import Account, Contact, User
from storage.names import Directory, Kind, directory_fingerprint, load_directory
from storage.repos.common import save
from tools.base import ToolContext, ToolError
from tools.permissions import visible_owners


def directory(ctx: ToolContext) -> Directory:
    """The names the acting user may see (`visible_owners`): another team's accounts, contacts and
    deals are unknown here, so no refusal ever names them or their owner."""
    return _names(ctx, visible=True)


def all_names(ctx: ToolContext) -> Directory:
    """Every live name, whoever may see it: for checks that must not create a duplicate of a name
    the user cannot see (and whose refusals name nothing but what the user typed)."""
    return _names(ctx, visible=False)


def _names(ctx: ToolContext, *, visible: bool) -> Directory:
    """Every live name (`visible=False`) or the user's cut of them, read once per tool context:
    again only after a write through the context to a row that carries names (each is audited) or when the tables'
    fingerprint moved (a write the context did not make). A card's calls share a context, so a
    note's three name lookups cost one read of the directory, inside the message's transaction."""
    key = (ctx.name_writes, directory_fingerprint(session=ctx.session))
    cached = ctx.cache.get("names")
    if cached is None or cached[0] != key:
        cached = ctx.cache["names"] = (key, {False: load_directory(session=ctx.session)})
    cuts = cached[1]
    if visible not in cuts:
        cuts[visible] = cuts[False].within(visible_owners(ctx.user, session=ctx.session))
    return cuts[visible]


def seed_names(ctx: ToolContext, fingerprint: tuple, names: Directory, visible: Directory | None = None) -> None:
    """Give the context a directory the caller already holds (the bot's, with the cut the acting
    user may see), read when the tables' `directory_fingerprint` was `fingerprint`: the first
    lookup uses it when the fingerprint still matches, else reads the names afresh."""
    cuts = {False: names} if visible is None else {False: names, True: visible}
    ctx.cache["names"] = ((ctx.name_writes, fingerprint), cuts)


def _refuse_hidden_account(ctx: ToolContext, mention: str) -> None:
    """Creating an account that exists out of the user's sight would duplicate it: refuse without
    saying whose it is."""
    if all_names(ctx).resolve("account", mention).status == "exact":
        raise ToolError("account_not_in_reach", mention=mention)


def _match(names: Directory, kind: Kind, mention: str, *, account_id: int | None = None):
    found = names.resolve(kind, mention, account_id=account_id)
    if found.status == "ambiguous":
        candidates = [e.name for e in found.matches]
        if kind == "account":
            raise ToolError("ambiguous_account", mention=mention, candidates=candidates)
        if kind == "contact":
            raise ToolError("ambiguous_contact", mention=mention, candidates=candidates)
        raise ToolError("ambiguous_user", mention=mention, candidates=candidates)
    return found.entry


def find_account(ctx: ToolContext, mention: str) -> Account:
    """The account `mention` names; `unknown_account` / `ambiguous_account` otherwise."""
    entry = _match(directory(ctx), "account", mention)
    if entry is None:
        raise ToolError("unknown_account", mention=mention)
    return ctx.session.get(Account, entry.id)


def find_or_create_account(ctx: ToolContext, mention: str) -> tuple[Account, bool]:
    """The account `mention` names, or a new one owned by the acting user: (account, created)."""
    entry = _match(directory(ctx), "account", mention)
    if entry is not None:
        return ctx.session.get(Account, entry.id), False
    _refuse_hidden_account(ctx, mention)
    now = ctx.clock()
    account = save(Account(name=mention.strip(), owner_id=ctx.user.id, created_at=now, updated_at=now),
                   session=ctx.session)
    ctx.audit("create", "account", account.id, None, {"name": account.name, "owner_id": account.owner_id})
    return account, True


def find_or_create_contacts(ctx: ToolContext, account: Account,
                            mentions: list[str]) -> list[tuple[Contact, bool]]:
    """Each mention as a contact of `account` (created when unknown): [(contact, created)].

    The same person named twice (a name and an alias) is returned once."""
    names = directory(ctx)
    out: list[tuple[Contact, bool]] = []
    seen: set[int] = set()
    for mention in mentions:
        entry = _match(names, "contact", mention, account_id=account.id)
        if entry is not None:
            contact, created = ctx.session.get(Contact, entry.id), False
        else:
            contact = save(Contact(account_id=account.id, name=mention.strip(), created_at=ctx.clock()),
                           session=ctx.session)
            created = True
            ctx.audit("create", "contact", contact.id, None,
                      {"name": contact.name, "account_id": account.id})
            names = directory(ctx)
        if contact.id not in seen:
            seen.add(contact.id)
            out.append((contact, created))
    return out


def find_user(ctx: ToolContext, mention: str) -> User:
    entry = _match(directory(ctx), "user", mention)
    if entry is None:
        raise ToolError("unknown_user", mention=mention)
    return ctx.session.get(User, entry.id)
