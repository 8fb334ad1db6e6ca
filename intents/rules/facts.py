"""Everything the rules read off one message, found once: names, amounts, discounts, dates, times.

Builders (activity, quotes, reminders, decisions, queries, reassign) only look things up here by
span; none of them scans the text for names or values again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from intents.base import ParseContext
from intents.rules.dates import DateMention, TimeMention, find_dates, find_times
from intents.rules.lexicon import Cue, stage_cues
from intents.rules.mentions import (
    Mention, NameIndex, fuzzy_accounts, index_for, misheard_accounts, slipped_accounts, unknown_accounts,
)
from intents.rules.money import Discount, Money, find_discounts, find_money
from intents.rules.text import Message, Span
from storage.names import Entry


@dataclass(frozen=True)
class AccountRef:
    """An account a stretch of text is about: named, or implied by one of its contacts."""

    pos: int
    mention: Mention
    entry: Entry | None
    candidates: tuple[Entry, ...] = ()  # when ambiguous
    via_contact: bool = False

    @property
    def key(self) -> str:
        if self.entry is not None:
            return f"id:{self.entry.id}"
        if self.candidates:
            return "?" + "|".join(str(e.id) for e in self.candidates)
        return "new:" + self.mention.text.casefold()

    @property
    def name(self) -> str | None:
        if self.entry is not None:
            return self.entry.name
        return None if self.candidates else self.mention.text

    @property
    def certainty(self) -> float:
        if self.candidates:
            return 0.4
        if self.entry is None:
            return 0.8  # a new account, as written
        return 1.0 if self.mention.exact else 0.85


@dataclass
class Draft:
    """A call under construction, with what the engine is unsure about."""

    name: str
    pos: int
    args: dict[str, Any] = field(default_factory=dict)
    certainty: float = 1.0
    missing: list[str] = field(default_factory=list)
    ambiguous: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # arg, mention, names
    defaulted: set[str] = field(default_factory=set)  # args filled by a default, not read (a part of day → today)

    def set_account(self, ref: AccountRef | None, arg: str = "account", *, required: bool = True) -> None:
        if ref is None:
            if required:
                self.missing.append(arg)
                self.certainty *= 0.5
            return
        if ref.candidates:
            self.ambiguous.append((arg, ref.mention.text, tuple(e.name for e in ref.candidates)))
        elif ref.name:
            self.args[arg] = ref.name
        self.certainty *= ref.certainty


@dataclass
class Facts:
    msg: Message
    ctx: ParseContext
    index: NameIndex
    mentions: list[Mention]
    money: list[Money]
    discounts: list[Discount]
    dates: list[DateMention]
    times: list[TimeMention]
    stages: list[Cue]

    def stages_in(self, span: Span) -> list[Cue]:
        return [c for c in self.stages if span.start <= c.start and c.end <= span.end]

    @property
    def now(self) -> datetime:
        return self.ctx.now

    @property
    def today(self) -> date:
        return self.ctx.now.date()

    def text(self, span: Span) -> str:
        """The words of a span as the user wrote them."""
        return self.msg.original(span.start, span.end)

    def within(self, items: list, span: Span) -> list:
        return [x for x in items if span.start <= x.start and x.end <= span.end]

    def mentions_of(self, kind: str, span: Span | None = None) -> list[Mention]:
        found = [m for m in self.mentions if m.kind == kind]
        return found if span is None else self.within(found, span)

    def account_refs(self, span: Span, *, context: list[AccountRef] = ()) -> list[AccountRef]:
        """Accounts the span names, in order: account mentions, else the accounts of the contacts
        it names (narrowed by the accounts named elsewhere in the message). In a sentence that
        introduces a new account, contacts of other accounts are people who referred it."""
        refs: list[AccountRef] = []
        accounts = self.mentions_of("account", span)
        sentence = self.msg.sentences[self.msg.sentence_of(span.start)]
        new_here = any(m.unknown for m in self.mentions_of("account", sentence))
        for m in accounts:
            if len(m.entries) > 1:
                refs.append(AccountRef(m.start, m, None, m.entries))
            else:
                refs.append(AccountRef(m.start, m, m.entry))
        named_ids = {e.id for m in self.mentions_of("account") for e in m.entries}
        named_ids |= {r.entry.id for r in context if r.entry is not None}
        for m in self.mentions_of("contact", span):
            if new_here or any(a.span.overlaps(m.span) for a in accounts):
                continue
            account_ids = {e.account_id for e in m.entries if e.account_id is not None}
            if len(account_ids) > 1 and named_ids & account_ids:
                account_ids &= named_ids
            if any(r.entry is not None and r.entry.id in account_ids for r in refs):
                continue
            entries = tuple(a for a in (self.index.accounts_by_id.get(i) for i in sorted(account_ids)) if a)
            if len(entries) == 1:
                refs.append(AccountRef(m.start, m, entries[0], via_contact=True))
            elif entries:
                refs.append(AccountRef(m.start, m, None, entries, via_contact=True))
        refs.sort(key=lambda r: r.pos)
        unique: list[AccountRef] = []
        for r in refs:
            if all(u.key != r.key for u in unique):
                unique.append(r)
        return unique

    def new_people(self, span: Span) -> list[str]:
        """People named by surname and title who are not in the CRM (钱总, 王经理), as written."""
        found: list[str] = []
        taken = [m.span for m in self.mentions if m.kind in ("contact", "user")]
        for m in _TITLED.finditer(self.msg.text, span.start, span.end):
            if m.group(1) not in _SURNAMES or any(Span(m.start(), m.end()).overlaps(t) for t in taken):
                continue
            if m.start() > 0 and self.msg.text[m.start() - 1] in "副老小总":
                continue  # 副总, 老总: a rank, not a person
            found.append(self.msg.original(m.start(), m.end()))
        for rx in (_EN_ROLE_NAME, _EN_NAME_ROLE):
            for m in rx.finditer(self.msg.text, span.start, span.end):
                name = m.group("name")
                at = Span(m.start("name"), m.end("name"))
                if any(at.overlaps(t) for t in taken) or any(at.overlaps(x.span) for x in self.mentions) \
                        or name.split()[0] in _NOT_FIRST_NAMES or name in found:
                    continue
                found.append(name)
        return found

    def unsure_contacts(self, account: AccountRef, span: Span) -> list[tuple[str, tuple[str, ...]]]:
        """(mention, candidates) for names that fit several contacts of the account."""
        unsure = []
        if account.entry is not None:
            for m in self.mentions_of("contact", span):
                mine = tuple(e.name for e in m.entries if e.account_id == account.entry.id)
                if len(mine) > 1:
                    unsure.append((m.text, mine))
        return unsure

    def contacts_of(self, account: AccountRef, span: Span) -> list[str]:
        """Contacts named in the span who belong to the account (or, for a new account, none)."""
        names: list[str] = []
        if account.entry is None:
            return names
        for m in self.mentions_of("contact", span):
            mine = [e for e in m.entries if e.account_id == account.entry.id]
            if len(mine) == 1 and mine[0].name not in names:
                names.append(mine[0].name)
        return names


_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
                "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
                "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
                "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
                "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
                "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
# an English contact the CRM does not know, named with a role: their new CFO Tom Baker, Sarah Kim (VP Ops)
_EN_ROLE = (r"(?i:c[efotims]o|ciso|vp(?:\s+of)?(?:\s+[a-z]+)?|svp|evp|head of [a-z]+|director(?:\s+of\s+[a-z]+)?|"
            r"(?:it|procurement|purchasing|ops|operations|plant|project|program|product|engineering|finance)\s+"
            r"(?:manager|lead|director|head)|buyer|architect|founder|owner|president|chairman|gm)")
_EN_ROLE_NAME = re.compile(rf"\b{_EN_ROLE},?\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b(?!\s*\))")
_EN_NAME_ROLE = re.compile(rf"\b(?P<name>[A-Z][a-z]+\s+[A-Z][a-z]+)\s*(?:,|\()\s*(?:(?i:their|the|our)\s+)?(?:new\s+)?{_EN_ROLE}\b")
_NOT_FIRST_NAMES = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
                    "March", "April", "June", "July", "August", "September", "October", "November", "December",
                    "The", "Today", "Yesterday", "Tomorrow", "Zoom", "Teams", "We", "They", "He", "She", "I", "And",
                    "At", "On", "In", "From", "With", "About", "Re", "Our", "Their", "Next", "Last", "This"}
_TITLED = re.compile(r"([\u4e00-\u9fff])(总监|总裁|总|经理|工|主任|老师|院长|博士|主管|部长|处长|科长|局长|董)")


def gather(msg: Message, ctx: ParseContext) -> Facts:
    index = index_for(ctx.directory)
    known = index.scan(msg)
    # a misspelt known name (Northwnd) before a guess at a new company (from Northwnd)
    extra = [] if any(m.kind == "account" for m in known) else fuzzy_accounts(msg, index, known)
    extra += slipped_accounts(msg, index, known, unknown_accounts(msg, known + extra))
    extra += misheard_accounts(msg, index, known + extra)
    mentions = sorted(known + extra, key=lambda m: (m.start, m.kind))
    money = find_money(msg.text, msg.low)
    blocked = [m.span for m in money]
    dates = find_dates(msg.low, blocked)
    times = find_times(msg.low, blocked)
    return Facts(msg, ctx, index, mentions, money, find_discounts(msg.low), dates, times, stage_cues(msg.low))
