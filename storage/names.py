"""Name resolution: canonical names, aliases, legal suffixes and fuzzy matches.

One implementation used by the rules engine (to find mentions in a message), by the tools (to turn
an engine's `account` string into a row) and by the data-health report (duplicate candidates).
A `Directory` is an in-memory snapshot of the names in the CRM; it is cheap to build and
immutable, so a parse never touches the database.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING, Literal

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from storage.models import Account

SIMILAR_NAME = 90  # fuzz.ratio of two core names at or above which accounts are duplicate candidates

# Longest first: stripping 有限公司 must not leave 有限.
_LEGAL_SUFFIXES = sorted({
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司", "科技", "技术",
    "信息技术", "网络科技",
    "incorporated", "corporation", "company", "limited", "holdings", "group", "gmbh", "corp",
    "inc", "llc", "ltd", "co", "plc", "sa", "ag",
}, key=len, reverse=True)
_SUFFIX_ENDINGS = tuple(_LEGAL_SUFFIXES)
_PUNCT = re.compile(r"[\s\.,，。·・&'’\-_/()（）]+")

_ASCII_WORD = re.compile(r"[a-z0-9]")
_NOT_DIGIT = re.compile(r"\D")
Kind = Literal["account", "contact", "user", "opportunity"]


def fold(text: str) -> str:
    """Case-, width- and space-insensitive form of a name."""
    return _PUNCT.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def core_name(text: str) -> str:
    """A name with legal suffixes and punctuation removed: '蓝鲸科技有限公司' → '蓝鲸',
    'Acme Corp.' → 'acme'. Used for duplicate detection and fuzzy matching, never for display."""
    name = fold(text)
    changed = True
    while changed and name:
        if not name.endswith(_SUFFIX_ENDINGS):  # most names: one check instead of one per suffix
            break
        changed = False
        for suffix in _LEGAL_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                cut = name[: -len(suffix)].rstrip()
                # latin suffixes must be whole words ("disco" is not "dis"+"co")
                if suffix.isascii() and cut and not name[: -len(suffix)].endswith(" "):
                    continue
                name, changed = cut, True
                break
    return name.replace(" ", "")


@dataclass(frozen=True)
class Entry:
    kind: Kind
    id: int
    name: str
    aliases: tuple[str, ...] = ()
    account_id: int | None = None  # contacts and opportunities: their account
    owner_id: int | None = None  # accounts: the owning rep

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Resolution:
    status: Literal["exact", "fuzzy", "ambiguous", "unknown"]
    matches: tuple[Entry, ...] = ()

    @property
    def entry(self) -> Entry | None:
        return self.matches[0] if self.status in ("exact", "fuzzy") else None


@dataclass
class Directory:
    """A snapshot of every account, contact and user name (with aliases), and of the names of open
    opportunities (so a parser can tell that a message names a deal)."""

    accounts: list[Entry] = field(default_factory=list)
    contacts: list[Entry] = field(default_factory=list)
    users: list[Entry] = field(default_factory=list)
    opportunities: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_form: dict[Kind, dict[str, list[Entry]]] = {}
        self._by_core: dict[Kind, dict[str, list[Entry]]] = {}
        for kind, entries in self._groups():
            forms: dict[str, list[Entry]] = {}
            cores: dict[str, list[Entry]] = {}
            for e in entries:
                for f in e.forms:
                    _add(forms, fold(f), e)
                    if kind == "account":
                        _add(cores, core_name(f), e)
            self._by_form[kind] = forms
            self._by_core[kind] = cores

    def _groups(self):
        return (("account", self.accounts), ("contact", self.contacts), ("user", self.users),
                ("opportunity", self.opportunities))

    def _containing(self, kind: Kind, core: str) -> list[Entry]:
        """Entries with a form (folded, no spaces) that contains `core` or that `core` contains, in
        directory order: one substring search over all forms joined, and a lookup of each piece of
        `core`, instead of a scan of every entry."""
        cache = self.__dict__.setdefault("_containment", {})
        if kind not in cache:
            pieces, starts, owners, by_form = [], [], [], {}
            at = 0
            for order, e in enumerate(self.entries(kind)):
                for f in e.forms:
                    c = _compact(f)
                    starts.append(at)
                    owners.append(order)
                    pieces.append(c)
                    at += len(c) + 1
                    if len(c) >= 2:
                        by_form.setdefault(c, []).append(order)
            cache[kind] = ("\0".join(pieces), starts, owners, by_form)
        joined, starts, owners, by_form = cache[kind]
        found: set[int] = set()
        pos = joined.find(core)
        while pos != -1:
            k = bisect_right(starts, pos) - 1
            found.add(owners[k])
            pos = joined.find(core, starts[k + 1] if k + 1 < len(starts) else len(joined))
        for i in range(len(core)):
            for j in range(i + 2, len(core) + 1):
                found.update(by_form.get(core[i:j], ()))
        entries = self.entries(kind)
        return [entries[i] for i in sorted(found)]

    def _choices(self, kind: Kind, ascii_only: bool) -> dict[tuple[int, int], str]:
        """(entry position, form position) → folded form, over all entries of `kind`; built once.
        An ASCII query is compared only with forms that have a Latin letter or digit (an all-Chinese
        name never scores near it)."""
        cache = self.__dict__.setdefault("_choices_cache", {})
        if (kind, ascii_only) not in cache:
            cache[(kind, ascii_only)] = {(i, j): fold(f) for i, e in enumerate(self.entries(kind))
                                         for j, f in enumerate(e.forms) if not ascii_only or _ASCII_WORD.search(fold(f))}
        return cache[(kind, ascii_only)]

    def entries(self, kind: Kind) -> list[Entry]:
        return {"account": self.accounts, "contact": self.contacts, "user": self.users,
                "opportunity": self.opportunities}[kind]

    def forms(self, kind: Kind) -> dict[str, list[Entry]]:
        """Every folded name and alias of `kind`, mapped to the entries that carry it."""
        return self._by_form[kind]

    def within(self, owner_ids: frozenset[int] | None) -> Directory:
        """The names a user whose reach is `owner_ids` may see: accounts owned by one of them, the
        contacts and open deals of those accounts, and every user. `None` (an admin) sees all."""
        if owner_ids is None:
            return self
        accounts = [a for a in self.accounts if a.owner_id in owner_ids]
        kept = {a.id for a in accounts}
        return Directory(accounts=accounts, contacts=[c for c in self.contacts if c.account_id in kept],
                         users=self.users,
                         opportunities=[o for o in self.opportunities if o.account_id in kept])

    def get(self, kind: Kind, entry_id: int) -> Entry | None:
        return next((e for e in self.entries(kind) if e.id == entry_id), None)

    def resolve(self, kind: Kind, text: str, *, account_id: int | None = None) -> Resolution:
        """Match `text` to one entry: exact name/alias, then suffix-stripped name, then a name that
        contains it or that it contains, then a fuzzy match. Several equally good → ambiguous.
        Contacts and opportunities can be narrowed to one account."""
        key = fold(text)
        if not key:
            return Resolution("unknown")

        def narrow(found: list[Entry]) -> list[Entry]:
            if account_id is not None and kind in ("contact", "opportunity"):
                return [e for e in found if e.account_id == account_id]
            return found

        for table, probe in ((self._by_form[kind], key), (self._by_core.get(kind, {}), core_name(text))):
            found = narrow(_unique(table.get(probe, [])))
            if found:
                return Resolution("exact" if len(found) == 1 else "ambiguous", tuple(found))

        pool = narrow(self.entries(kind))
        core = core_name(text) if kind == "account" else key.replace(" ", "")
        if len(core) >= 2:
            contained = _unique(narrow(self._containing(kind, core)))
            if len(contained) == 1:
                return Resolution("fuzzy", tuple(contained))
            if len(contained) > 1:
                return Resolution("ambiguous", tuple(contained))

        choices = self._choices(kind, key.isascii()) if account_id is None or kind not in ("contact", "opportunity") else \
            {(i, j): fold(f) for i, e in enumerate(pool) for j, f in enumerate(e.forms)}
        if not choices:
            return Resolution("unknown")
        scored = process.extract(key, choices, scorer=fuzz.WRatio, limit=5, score_cutoff=86)
        best: dict[int, float] = {}
        for _form, score, (i, _j) in scored:
            best[i] = max(best.get(i, 0), score)
        if not best:
            return Resolution("unknown")
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        top = ranked[0][1]
        close = [pool[i] for i, s in ranked if top - s < 3]
        return Resolution("fuzzy" if len(close) == 1 else "ambiguous", tuple(close))


def _compact(text: str) -> str:
    return fold(text).replace(" ", "")


def _add(table: dict[str, list[Entry]], key: str, entry: Entry) -> None:
    if key:
        bucket = table.setdefault(key, [])
        if not bucket or bucket[-1] is not entry:  # an entry's forms are added one after another
            bucket.append(entry)


def _unique(entries: list[Entry]) -> list[Entry]:
    seen, out = set(), []
    for e in entries:
        if e.id not in seen:
            seen.add(e.id)
            out.append(e)
    return out


def load_directory(*, session) -> Directory:
    """Snapshot the live (not merged-away) accounts, their contacts and open opportunities, and
    the active users."""
    from sqlmodel import select

    from storage.models import Account, Contact, Opportunity, User
    from storage.models.types import Stage

    # Only the columns a name needs, as plain rows: building ORM objects for every account and
    # contact cost most of the time at 10,000 accounts, inside the message's write transaction.
    accounts = session.exec(select(Account.id, Account.name, Account.aliases, Account.owner_id)
                            .where(Account.merged_into_id.is_(None))).all()
    live = {a.id for a in accounts}
    contacts = [c for c in session.exec(select(Contact.id, Contact.name, Contact.aliases, Contact.account_id)).all()
                if c.account_id in live]
    users = session.exec(select(User.id, User.name, User.aliases).where(User.active.is_(True))).all()
    open_stages = [s.value for s in Stage if not s.is_closed]
    deals = [o for o in session.exec(select(Opportunity.id, Opportunity.name, Opportunity.account_id)
                                     .where(Opportunity.stage.in_(open_stages))).all()
             if o.account_id in live and o.name]
    return Directory(
        accounts=[Entry("account", a.id, a.name, tuple(a.aliases or ()), owner_id=a.owner_id) for a in accounts],
        contacts=[Entry("contact", c.id, c.name, tuple(c.aliases or ()), account_id=c.account_id) for c in contacts],
        users=[Entry("user", u.id, u.name, tuple(u.aliases or ())) for u in users],
        opportunities=[Entry("opportunity", o.id, o.name, account_id=o.account_id) for o in deals],
    )


def directory_fingerprint(*, session) -> tuple:
    """A cheap summary of everything `load_directory` reads: when it is unchanged, a cached
    Directory (and the parser's name index built on it) is still right. Names only change through
    rows that are added (new ids) or updated (accounts and deals carry `updated_at`)."""
    import sqlalchemy as sa

    from storage.models import Account, Contact, Opportunity, User

    def summary(*columns, where=None):
        query = sa.select(sa.func.count(), *(sa.func.max(c) for c in columns))
        if where is not None:
            query = query.where(where)
        return tuple(session.execute(query).one())

    return (summary(Account.id, Account.updated_at),
            summary(Contact.id),
            summary(User.id, where=User.active.is_(True)),
            summary(Opportunity.id, Opportunity.updated_at))


@dataclass(frozen=True)
class DuplicatePair:
    """Two accounts that look like one customer, `first` before `second` in the given order, with
    why: same_name (a shared core name or alias), similar_name, same_phone, same_email."""

    first: Account
    second: Account
    reasons: tuple[str, ...]
    similarity: float


def duplicate_pairs(accounts: list[Account]) -> list[DuplicatePair]:
    """Duplicate candidates, in the order of `accounts`. Pairs are found by index, not by
    comparing every two accounts: a shared core name, phone or email is a dictionary hit, and a
    similar name is looked for among accounts whose core names share their first or their last two
    characters (a ≥ 90 match of names that differ at both ends is not found)."""
    main = {a.id: _cached_core(a.name) for a in accounts}
    cores = {a.id: {c for c in (main[a.id], *map(_cached_core, a.aliases or ())) if c} for a in accounts}
    position = {a.id: i for i, a in enumerate(accounts)}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for a in accounts:
        a_id, name = a.id, main[a.id]  # read each row once: row attributes are slow to reach
        for core in cores[a_id]:
            groups[("core", core)].append(a_id)
        if phone := _phone(a.phone):
            groups[("phone", phone)].append(a_id)
        if email := a.email:
            groups[("email", email.strip().casefold())].append(a_id)
        if len(name) >= 3:
            blocks[("head", name[:2])].append(a_id)
            blocks[("tail", name[-2:])].append(a_id)
    candidates: set[tuple[int, int]] = set()
    for ids in groups.values():
        if len(ids) > 1:  # most names, phones and emails belong to one account
            candidates.update(combinations(sorted(set(ids), key=position.get), 2))
    for ids in blocks.values():
        candidates.update(_similar_in(ids, main, position))
    by_id = {a.id: a for a in accounts}
    out: list[DuplicatePair] = []
    for a_id, b_id in sorted(candidates, key=lambda pair: (position[pair[0]], position[pair[1]])):
        a, b = by_id[a_id], by_id[b_id]
        reasons: list[str] = []
        similarity = fuzz.ratio(main[a.id], main[b.id]) if main[a.id] and main[b.id] else 0.0
        if cores[a.id] & cores[b.id]:
            reasons.append("same_name")
        elif min(len(main[a.id]), len(main[b.id])) >= 3 and similarity >= SIMILAR_NAME:
            reasons.append("similar_name")
        if _phone(a.phone) and _phone(a.phone) == _phone(b.phone):
            reasons.append("same_phone")
        if a.email and b.email and a.email.strip().casefold() == b.email.strip().casefold():
            reasons.append("same_email")
        if reasons:
            out.append(DuplicatePair(a, b, tuple(reasons), round(similarity, 1)))
    return out


_cached_core = lru_cache(maxsize=100_000)(core_name)  # a report run again sees the same names


def _similar_in(ids: list[int], main: dict[int, str], position: dict[int, int]) -> set[tuple[int, int]]:
    """Pairs of `ids` whose core names match ≥ SIMILAR_NAME, in account order."""
    if len(ids) < 2:
        return set()
    return {tuple(sorted((ids[r], ids[c]), key=position.get)) for r, c in _similar_positions(tuple(main[i] for i in ids))}


_SIMILAR_CACHE: dict[tuple[str, ...], list[tuple[int, int]]] = {}
_SIMILAR_CACHE_SIZE = 20_000


def _similar_positions(names: tuple[str, ...]) -> list[tuple[int, int]]:
    """(row, column), row < column, of the names that match ≥ SIMILAR_NAME: one score matrix
    computed by rapidfuzz (`cdist`, native code, scores under the cut-off left at 0), of which the
    upper triangle is read (the ratio is symmetric). Remembered per list of names, so a report
    run again only scores the blocks whose names changed since."""
    found = _SIMILAR_CACHE.get(names)
    if found is None:
        import numpy as np

        scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=SIMILAR_NAME)
        rows, cols = np.nonzero(np.triu(scores, 1))
        found = list(zip(rows.tolist(), cols.tolist()))
        if len(_SIMILAR_CACHE) >= _SIMILAR_CACHE_SIZE:
            _SIMILAR_CACHE.pop(next(iter(_SIMILAR_CACHE)))
        _SIMILAR_CACHE[names] = found
    return found


def _phone(value: str | None) -> str:
    """The last ten digits: drops country codes and trunk zeros (+86 21…, 021…, +1 415…)."""
    if not value:
        return ""
    digits = _NOT_DIGIT.sub("", value)
    return digits[-10:] if len(digits) >= 7 else ""
