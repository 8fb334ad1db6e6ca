"""Finding the CRM's names in a message: accounts, contacts, users and open deals.

`NameIndex` is built once per `Directory` (and cached for as long as that Directory lives): every
name and alias, plus derived forms — an account without its legal suffix (Acme Corp → acme), the
first word of a long English account name, a contact's first or last name, and a Chinese contact's
surname with a title (陈静 → 陈总, 陈经理). Exact forms beat derived ones. `scan` walks the
message once, longest form first at each position; English forms must stand as whole words, and
short Chinese forms must be a word of the sentence (see `wordfreq`), so 周总 is not found in
这周总结. Names the CRM does not know are found by `unknown_accounts` (新线索：东方医药,
new lead: Stark Logistics) and misspelt English names by `fuzzy_accounts`.
"""
from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from dataclasses import dataclass

from rapidfuzz import fuzz

from storage.names import Directory, Entry, core_name
from intents.rules.text import CJK, Message, Span
from intents.rules.wordfreq import is_word_at

KINDS = ("account", "contact", "user", "opportunity")
_TITLES = ("总", "总监", "经理", "工", "主任", "老师", "院长", "博士", "主管", "部长", "处长", "科长",
           "局长", "董", "律师", "医生", "教授", "总裁", "秘书")
# What a Chinese company name often ends with; the part before it is how people call it
# (北辰汽车 → 北辰, 华康医疗 → 华康).
_INDUSTRY = ("数据", "汽车", "软件", "医疗", "医药", "制药", "药业", "物流", "教育", "能源", "食品", "零售", "科技",
             "技术", "集团", "控股", "电子", "电气", "网络", "信息", "智能", "传媒", "银行", "保险", "证券", "地产",
             "航空", "化工", "机械", "材料", "生物", "健康", "实业", "工业", "通信", "环保", "建设", "餐饮", "酒店")
# English words that are also first names: only a capitalised one is taken as a name.
_COMMON_WORDS = {"bill", "mark", "will", "may", "june", "april", "rose", "grant", "frank", "sue",
                 "pat", "art", "ray", "jack", "chase", "hope", "joy", "faith", "amber", "summer",
                 "don", "lee", "long", "young", "king", "page", "case", "ford", "bank", "health",
                 "data", "group", "first", "best", "new", "global", "general"}
_LATIN = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Mention:
    """A name found in a message. `entries` holds every CRM entry it may mean (one when resolved;
    several when ambiguous; none for an account the CRM does not know, kept as written)."""

    kind: str
    start: int
    end: int
    text: str
    entries: tuple[Entry, ...] = ()
    exact: bool = True

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def entry(self) -> Entry | None:
        return self.entries[0] if len(self.entries) == 1 else None

    @property
    def unknown(self) -> bool:
        return not self.entries

    @property
    def name(self) -> str:
        """The canonical name when resolved, else the text as written."""
        return self.entry.name if self.entry else self.text


@dataclass(frozen=True)
class _Form:
    key: str
    kind: str
    entries: tuple[Entry, ...]
    exact: bool
    needs_capital: bool
    cjk_check: bool


class NameIndex:
    """Every form of every name in one Directory, keyed by first character."""

    def __init__(self, directory: Directory, *, base: NameIndex | None = None) -> None:
        """Build the index of `directory`. With `base` (the index of an earlier snapshot), only the
        entries that were added, removed or changed since are re-indexed: a CRM write costs a few
        keys, not a rebuild."""
        self.directory = directory
        entries = {(kind, e.id): e for kind in KINDS for e in _entries(directory, kind)}
        if base is None:
            self._table: dict[tuple[str, str], dict[bool, dict[int, Entry]]] = {}
            self._groups: dict[str, dict[int, Entry]] = {}
            self._forms: dict[tuple[str, str], _Form] = {}
            self._by_first: dict[str, list[_Form]] = {}
            self._by_length: dict[str, list[tuple[int, dict[str, list[_Form]]]]] = {}
            touched = self._index(entries.values(), add=True)
        else:
            self._table, self._forms, self._by_first = dict(base._table), dict(base._forms), dict(base._by_first)
            self._by_length = dict(base._by_length)
            self._groups = dict(base._groups)
            old = base._entries
            gone = [e for k, e in old.items() if entries.get(k) != e]
            new = [e for k, e in entries.items() if old.get(k) != e]
            touched = self._index(gone, add=False) | self._index(new, add=True)
        self._entries = entries
        firsts: dict[str, set[tuple[str, str]]] = {}
        for table_key in touched:
            firsts.setdefault(table_key[0][0], set()).add(table_key)
            form = self._form(*table_key)
            if form is None:
                self._forms.pop(table_key, None)
            else:
                self._forms[table_key] = form
        for first, keys in firsts.items():  # one list per first character, rebuilt only where a key changed
            keys |= {(f.key, f.kind) for f in (base._by_first.get(first, ()) if base else ())}
            forms = [f for f in (self._forms.get(k) for k in keys) if f]
            forms.sort(key=lambda f: (-len(f.key), not f.exact, KINDS.index(f.kind), f.key))
            if forms:
                self._by_first[first] = forms
                self._by_length[first] = _by_length(forms)
            else:
                self._by_first.pop(first, None)
                self._by_length.pop(first, None)
        self._cjk_names = frozenset(k for (k, _kind) in self._forms if CJK.match(k[0]))
        latin: dict[str, dict[int, Entry]] = {}
        for entry in _entries(directory, "account"):
            for form in entry.forms:
                words = _key(form).split()
                if words and _LATIN.match(words[0]) and not CJK.search(form) and len(words[0]) >= 5 \
                        and words[0] not in _COMMON_WORDS:
                    latin.setdefault(words[0], {}).setdefault(entry.id, entry)
        self._latin_words = {k: tuple(v.values()) for k, v in latin.items()}
        self.users_by_id = {e.id: e for e in directory.users}
        self.accounts_by_id = {e.id: e for e in directory.accounts}
        deals: dict[int, list[Entry]] = {}
        for deal in directory.opportunities:
            deals.setdefault(deal.account_id, []).append(deal)
        self._deals = deals

    def deals_of(self, account_id: int) -> list[Entry]:
        """The open deals of one account, in directory order."""
        return self._deals.get(account_id, [])

    def _index(self, entries, *, add: bool) -> set[tuple[str, str]]:
        """Put (or take out) every form of `entries`; returns the (key, kind) pairs touched. A
        bucket is copied before its first change, so an index still in use is never mutated.
        Chinese contacts who share a surname share one bucket for all of its titled forms (王总,
        王经理, 老王…): one insert per contact, not one per title."""
        touched: set[tuple[str, str]] = set()
        groups: set[str] = set()

        def bucket_of(table_key: tuple[str, str]) -> dict[bool, dict[int, Entry]]:
            if table_key not in touched:
                old = self._table.get(table_key, {})
                self._table[table_key] = {flag: dict(bucket) for flag, bucket in old.items()}
                touched.add(table_key)
            return self._table[table_key]

        for entry in entries:
            kind = entry.kind
            keys = [(k, True) for form in entry.forms for k in _variants(form)]
            keys += [(k, False) for k in _derived(entry, kind)]
            for key, exact in keys:
                if len(key) < 2:
                    continue
                bucket = bucket_of((key, kind)).setdefault(exact, {})
                if add:
                    bucket.setdefault(entry.id, entry)
                else:
                    bucket.pop(entry.id, None)
            surname = _surname(entry)
            if surname:
                if surname not in groups:
                    self._groups[surname] = dict(self._groups.get(surname, {}))
                    groups.add(surname)
                if add:
                    self._groups[surname].setdefault(entry.id, entry)
                else:
                    self._groups[surname].pop(entry.id, None)
        for surname in groups:
            for key in _titled(surname):
                bucket_of((key, "contact"))[False] = self._groups[surname]
        return touched

    def _form(self, key: str, kind: str) -> _Form | None:
        by_exact = self._table.get((key, kind), {})
        exact = bool(by_exact.get(True))
        chosen = by_exact.get(True) if exact else by_exact.get(False)
        if not chosen:
            self._table.pop((key, kind), None)
            return None
        single_word = " " not in key and bool(_LATIN.match(key))
        return _Form(key, kind, tuple(chosen.values()), exact,
                     needs_capital=single_word and key in _COMMON_WORDS,
                     cjk_check=bool(CJK.match(key[0])) and len(key) <= 3)

    def scan(self, msg: Message) -> list[Mention]:
        """Every known name in the message, left to right; several kinds may share a span."""
        low, text = msg.low, msg.text
        n = len(low)
        found: list[Mention] = []
        i = 0
        while i < n:
            lengths = self._by_length.get(low[i])
            if not lengths or (_LATIN.match(low[i]) and i > 0 and _LATIN.match(low[i - 1])):
                i += 1
                continue
            hit_len = 0
            for size, keys in lengths:  # longest first; one dictionary probe per length
                forms = keys.get(low[i:i + size])
                if not forms:
                    continue
                end = i + size
                for form in forms:  # the same key as several kinds (an account and a user)
                    if _LATIN.match(form.key[-1]) and end < n and _LATIN.match(low[end]):
                        continue
                    if form.needs_capital and not text[i].isupper():
                        continue
                    if form.cjk_check and not is_word_at(low, i, end, self._cjk_names):
                        continue
                    hit_len = size
                    found.append(Mention(form.kind, i, end, text[i:end], form.entries, form.exact))
                if hit_len:
                    break
            i += hit_len or 1
        return found

    def near_accounts(self, word: str) -> tuple[Entry, ...]:
        """Accounts with a distinctive English word (the first of their name, or a one-word alias)
        one slip away from `word`; exact words are not asked here (`scan` found them)."""
        scored = [(fuzz.ratio(word, key), entries) for key, entries in self._latin_words.items()
                  if key[0] == word[0] and abs(len(key) - len(word)) <= 2 and key != word]
        best = max((score for score, _ in scored), default=0)
        if best < _NEAR:
            return ()
        out: list[Entry] = []
        for score, entries in scored:
            if score == best:
                out.extend(e for e in entries if e not in out)
        return tuple(out)

    def one_slip_accounts(self, name: str) -> list[tuple[Entry, tuple[str, str]]]:
        """Chinese accounts whose name (or its core, or a form) differs from `name` in exactly one
        character, with the two characters: (entry, (typed, real))."""
        if not hasattr(self, "_slips"):
            slips: dict[str, list[tuple[Entry, str]]] = {}
            for entry in self.directory.accounts:
                for form in {f for f in (*entry.forms, core_name(entry.name)) if CJK.search(f)}:
                    key = _key(form)
                    for i in range(len(key)):
                        slips.setdefault(key[:i] + "?" + key[i + 1:], []).append((entry, key))
            self._slips = slips
        key = _key(name)
        out: list[tuple[Entry, tuple[str, str]]] = []
        for i in range(len(key)):
            for entry, real in self._slips.get(key[:i] + "?" + key[i + 1:], ()):
                if real != key and all(e.id != entry.id for e, _ in out):
                    out.append((entry, (key[i], real[i])))
        return out

    def owner_name(self, account: Entry) -> str | None:
        owner = self.users_by_id.get(account.owner_id) if account.owner_id else None
        return owner.name if owner else None


def _by_length(forms: list[_Form]) -> list[tuple[int, dict[str, list[_Form]]]]:
    """Forms sorted longest first, grouped by length and keyed by text."""
    groups: dict[int, dict[str, list[_Form]]] = {}
    for form in forms:
        groups.setdefault(len(form.key), {}).setdefault(form.key, []).append(form)
    return sorted(groups.items(), key=lambda kv: -kv[0])


def _entries(directory: Directory, kind: str) -> list[Entry]:
    return list(getattr(directory, kind + "s", []) or [])


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _variants(form: str) -> set[str]:
    key = _key(form)
    keys = {key}
    if _LATIN.search(key):
        keys.add(" ".join(re.sub(r"[.\-_/,'’]", " ", key).split()))
    return {k for k in keys if k}


def _derived(entry: Entry, kind: str) -> set[str]:
    keys: set[str] = set()
    name = _key(entry.name)
    latin = bool(_LATIN.match(name)) and not CJK.search(name)
    if kind == "account":
        if latin:
            words = name.split()
            stripped = _strip_legal(name)
            if stripped != name:
                keys.add(stripped)
            if len(words) > 1 and len(words[0]) >= 4 and words[0] not in _COMMON_WORDS:
                keys.add(words[0])
        else:
            core = core_name(entry.name)
            if len(core) >= 2 and core != name:
                keys.add(core)
            for word in _INDUSTRY:
                if core.endswith(word) and len(core) - len(word) >= 2:
                    keys.add(core[: -len(word)])
                    break
    elif kind in ("contact", "user"):
        if latin:
            words = name.split()
            if len(words) >= 2:
                keys.update(w for w in (words[0], words[-1]) if len(w) >= 3)
    return {k for k in keys if k and k != name}


def _surname(entry: Entry) -> str | None:
    """The surname of a Chinese contact of two or three characters (陈静 → 陈): how reps call them
    (陈总, 陈经理, 老陈)."""
    if entry.kind != "contact":
        return None
    name = _key(entry.name)
    return name[0] if CJK.match(name) and 2 <= len(name) <= 3 else None


def _titled(surname: str) -> tuple[str, ...]:
    return (*(surname + title for title in _TITLES), "老" + surname, "小" + surname)


def _strip_legal(name: str) -> str:
    words = name.split()
    legal = {"inc", "corp", "corporation", "co", "ltd", "llc", "limited", "plc", "gmbh", "company",
             "incorporated", "holdings", "group", "sa", "ag"}
    while len(words) > 1 and words[-1].strip(".") in legal:
        words.pop()
    return " ".join(words)


_cache_lock = threading.Lock()
_cache: dict[int, tuple[weakref.ref, NameIndex]] = {}
_latest: NameIndex | None = None


def index_for(directory: Directory) -> NameIndex:
    """The NameIndex of `directory`, built on first use and kept while the Directory lives. A new
    Directory (the CRM changed) is indexed incrementally from the last index built."""
    global _latest
    key = id(directory)
    hit = _cache.get(key)
    if hit is not None and hit[0]() is directory:
        return hit[1]
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0]() is directory:
            return hit[1]
        index = NameIndex(directory, base=_latest)
        for stale in [k for k, (ref, _) in _cache.items() if ref() is None]:
            del _cache[stale]
        _cache[key] = (weakref.ref(directory), index)
        _latest = index
    return index


# --- names the CRM does not know --------------------------------------------------------------

_NEW_LEAD = re.compile(
    r"(?:新线索|新客户|新商机|新的客户|潜在客户|新公司|new lead|new prospect|new account|new customer|new logo|new opportunity|new opp)"
    r"\s*(?:是|叫|:|-|,|—|!+)?\s*(?P<name>[^,，。:;!?\n(]{2,40})")
_DEAL_LEAD = re.compile(r"新商机|new opp")
_FUNCTION_WORD = re.compile(r"(?:for|with|at|from|on|of|in|to|the|their|our|a|an)\b")
_NAME_STOP = re.compile(r"\s*(?:,|，|。|的|是|做|在|,|\(|\s-\s|\s(?:is|in|from|based|inbound|via|who|which|that|with|w/)\b).*$")
_CAPITALISED_RUN = re.compile(r"[A-Z][A-Za-z0-9&'\-]*(?:\s+(?:[A-Z][A-Za-z0-9&'\-]*|&|of))*(?<!\s)(?=\s+[a-z]|$)")
_CN_COMPANY = re.compile(
    r"([\u4e00-\u9fff]{2,4}(?:科技|医药|制药|物流|集团|银行|软件|数据|汽车|教育|能源|食品|零售|医疗|"
    r"电子|网络|信息|机械|化工|地产|保险|证券|电器|传媒|通信|材料|智能|股份|有限公司|公司|生物|药业|实业|"
    r"工业|电气|环保|航空|物业|酒店|餐饮|服饰|家居|建设|建筑|控股|金融|资本|投资|健康|医院|学校|大学))")
# 客户数据, 我们公司, 销售数据: words about companies, not a company's name
_CN_GENERIC_HEADS = ("客户", "我们", "他们", "对方", "这家", "那家", "本公", "该公", "销售", "业务", "所有", "全部", "团队", "公司")
_CN_LEFT_STOP = set("了的在和跟与给是到去从把被对向说问我你他她们这那个一也都就还又再要会能拜访见约找聊")
_EN_COMPANY = re.compile(
    r"(?:\b(?:at|with|from|for|visited|visit|met|called|call|lead:?|account:?)\s+)"
    r"((?:[A-Z][A-Za-z0-9&'\-]+)(?:\s+(?:[A-Z][A-Za-z0-9&'\-]+|&|of|and))*)")
_EN_NOT_NAMES = {"I", "We", "The", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                 "Sunday", "Zoom", "Teams", "WeChat", "Webex", "Slack", "Email", "PO", "POC", "Q1", "Q2",
                 "Q3", "Q4", "CTO", "CEO", "CFO", "COO", "CIO", "VP", "SOW", "RFP", "QBR", "API", "SSO"}


def unknown_accounts(msg: Message, known: list[Mention]) -> list[Mention]:
    """Accounts named as new (新线索：东方医药, new lead: Stark Logistics), kept as written; and,
    when no known account is mentioned at all, company-looking names (东方医药有限公司, at Stark
    Logistics)."""
    found: list[Mention] = []
    taken = [m.span for m in known]
    for m in _NEW_LEAD.finditer(msg.low):
        if _DEAL_LEAD.match(m.group()) and any(k.kind == "account" for k in known):
            continue  # 蓝海新开了一个商机, Northwind … new opp for their app: a new deal of a known account
        raw = msg.text[m.start("name"):m.end("name")]
        if _FUNCTION_WORD.match(raw):
            continue
        capitalised = _CAPITALISED_RUN.match(raw)
        name = capitalised.group() if capitalised else _NAME_STOP.sub("", raw).strip(" :：-—")
        if len(name) >= 2 and not any(Span(m.start("name"), m.start("name") + len(name)).overlaps(t) for t in taken):
            found.append(Mention("account", m.start("name"), m.start("name") + len(name), name, (), False))
    if found or any(k.kind == "account" for k in known):
        return found
    for m in _CN_COMPANY.finditer(msg.text):
        start, end = m.start(1), m.end(1)
        while end - start > 4 and msg.text[start] in _CN_LEFT_STOP:
            start += 1
        while start < end and msg.text[start] in _CN_LEFT_STOP:
            start += 1
        if end - start >= 4 and not any(Span(start, end).overlaps(t) for t in taken) \
                and not msg.text.startswith(_CN_GENERIC_HEADS, start):
            found.append(Mention("account", start, end, msg.text[start:end], (), False))
            break
    if found:
        return found
    for m in _EN_COMPANY.finditer(msg.text):
        name = m.group(1).strip()
        words = name.split()
        while words and (words[-1] in ("of", "and", "&") or words[-1] in _EN_NOT_NAMES):
            words.pop()
        if not words or words[0] in _EN_NOT_NAMES:
            continue
        name = " ".join(words)
        start = m.start(1)
        span = Span(start, start + len(name))
        if len(name) >= 3 and not any(span.overlaps(t) for t in taken):
            found.append(Mention("account", span.start, span.end, name, (), False))
            break
    return found


def slipped_accounts(msg: Message, index: NameIndex, known: list[Mention], found: list[Mention]) -> list[Mention]:
    """`found` (names the CRM does not know) with each Chinese one that is a known account with one
    character mistyped (天恒能源 for 天衡能源) resolved to it: when the message names a contact of
    that account, or the two characters sound the same (héng/héng: an input-method slip), or it is
    the only account one character away; each resolves with lower confidence (not exact), so the
    card shows the real name instead of a silent new account. A name introduced as new (新线索：…)
    stays as written."""
    contact_accounts = {e.account_id for m in known if m.kind == "contact" for e in m.entries}
    out: list[Mention] = []
    for m in found:
        if m.entries:
            out.append(m)
            continue
        if not CJK.search(m.text):  # Initek with Bill Lumbergh of Initech named: Initech
            near = [] if _NEW_LEAD.search(msg.low, max(0, m.start - 16), m.end) else \
                [e for e in index.directory.accounts if e.id in contact_accounts and _near_latin(m.text, e)]
            out.append(Mention("account", m.start, m.end, m.text, (near[0],), False) if len(near) == 1 else m)
            continue
        if _NEW_LEAD.search(msg.low, max(0, m.start - 16), m.end):
            out.append(m)  # introduced as new (a contact named beside it referred it): as written
            continue
        near = index.one_slip_accounts(m.text)
        evidenced = [(entry, slip) for entry, slip in near if entry.id in contact_accounts]
        chosen = evidenced or [(entry, slip) for entry, slip in near if _same_sound(*slip)] or near
        if len({entry.id for entry, _ in chosen}) == 1:
            out.append(Mention("account", m.start, m.end, m.text, (chosen[0][0],), False))
        else:
            out.append(m)
    return out


_EVIDENCED_NEAR = 70  # rapidfuzz ratio of a misspelt English name to an account one of whose contacts is named


def _near_latin(typed: str, account: Entry) -> bool:
    """Whether an English name is a misspelling of the account's (its first word against the first
    word of the account's name or aliases): looser than `near_accounts`, so only used with a
    contact of that account named in the same message."""
    word = typed.split()[0].lower()
    for form in account.forms:
        real = form.split()[0].lower() if form.split() else ""
        if real and real[0] == word[0] and fuzz.ratio(word, real) >= _EVIDENCED_NEAR:
            return True
    return False


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
_AFTER_NAME = re.compile(r"那边|这边|那里|那儿|的|这单|那单|这家|那家|公司|项目")
_BEFORE_NAME = re.compile(r"去了?趟?|在|跟|和|到|给|见|约")


def misheard_accounts(msg: Message, index: NameIndex, known: list[Mention]) -> list[Mention]:
    """Known Chinese accounts typed with one character swapped for one that sounds the same (云凡
    for 云帆, 兰鲸 for 蓝鲸: what an input method or a voice note gives), where a company name stands
    (before a contact or 那边/的, after 去/在/跟) in a message that names no account. A two-character name needs the same sound; a longer one also
    resolves when the message names a contact of that account. Each resolves with lower
    confidence (not exact)."""
    if any(m.kind == "account" for m in known):
        return []
    taken = [m.span for m in known]
    contact_accounts = {e.account_id for m in known if m.kind == "contact" for e in m.entries}
    low = msg.low
    # where a company name stands: before a contact or 那边/的/这单, after 去/在/跟
    ends = {m.start for m in known if m.kind == "contact"} | {m.start() for m in _AFTER_NAME.finditer(low)}
    starts = {m.end() for m in _BEFORE_NAME.finditer(low)} | {0}
    for size in (4, 3, 2):
        for start in sorted({e - size for e in ends if e >= size} | starts):
            span = Span(start, start + size)
            word = low[span.start:span.end]
            if span.end > len(low) or not _CJK_WORD.fullmatch(word) or any(span.overlaps(t) for t in taken):
                continue
            chosen = {entry.id: entry for entry, slip in index.one_slip_accounts(word)
                      if _same_sound(*slip) or (size > 2 and entry.id in contact_accounts)}
            if len(chosen) == 1:
                return [Mention("account", span.start, span.end, msg.text[span.start:span.end],
                                tuple(chosen.values()), False)]
    return []


def _same_sound(a: str, b: str) -> bool:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # without pinyin, a slip needs a contact as evidence
        return False
    return lazy_pinyin(a) == lazy_pinyin(b)


_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9&'\-]{3,}(?:\s+[A-Z][A-Za-z0-9&'\-]+)*")


_LOWER_WORD = re.compile(r"(?<![a-z0-9])[a-z][a-z0-9]{4,}(?![a-z0-9])")
_NEAR = 85  # rapidfuzz ratio: one letter dropped, doubled or swapped in a word of five or more


def fuzzy_accounts(msg: Message, index: NameIndex, known: list[Mention]) -> list[Mention]:
    """Capitalised English words that are a misspelt account name (Globx, Umbrela Health); else
    any word of five letters or more that is one slip away from an account's word (northwnd)."""
    found: list[Mention] = []
    taken = [m.span for m in known]
    for m in _CAPITALISED.finditer(msg.text):
        span = Span(m.start(), m.end())
        if any(span.overlaps(t) for t in taken) or m.group().split()[0] in _EN_NOT_NAMES:
            continue
        res = index.directory.resolve("account", m.group())
        if res.status in ("fuzzy", "ambiguous") and res.matches:
            found.append(Mention("account", span.start, span.end, m.group(), tuple(res.matches), False))
    if found:
        return found
    for m in _LOWER_WORD.finditer(msg.low):
        span = Span(m.start(), m.end())
        if any(span.overlaps(t) for t in taken):
            continue
        entries = index.near_accounts(m.group())
        if entries:
            found.append(Mention("account", span.start, span.end, msg.text[span.start:span.end], entries, False))
            break
    return found
