"""Reading a change to an open card: "金额改成120万", "竞品是纷享销客", "only Initech and Contoso".

`read_edit(text, calls, ctx)` returns the card's calls with the change applied, or None when the
message does not read as a change to this card (then it is a new request). A change is found by
what it names and by the type of the value it states, never by matching whole sentences:

- a field named by its word (金额/amount, 提醒/reminder, 竞品/competitor, 联系人/contacts,
  阶段/stage, 拜访日期/visit date, 预计成交/close date, 折扣/discount, 客户/account,
  方式/channel) takes the value stated after it;
- a bare value goes to the field whose type it fits: money → amount, a discount → discount,
  a stage → stage, a channel → channel; a date that lies ahead → the reminder, else the
  deal's close date; a date that lies behind → the visit's date. A future date never becomes
  the date of a visit.
- contacts and a handover's accounts are lists: "只有/only" replaces, "加上/also/add" adds,
  "去掉/remove/drop" removes.

`expecting=True` (the user pressed Edit) also reads a reply that is only a list of names as
the card's contacts or handover accounts, and lets the engine read the reply as a message
whose calls of the card's tools are merged in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from intents.base import IntentEngine, ParseContext
from intents.rules.dates import find_dates, find_times, resolve
from intents.rules.lexicon import channel_in, stage_cues
from intents.rules.money import find_discounts, find_money
from intents.rules.text import prepare
from intents.values import extract_value
from tools.base import ToolCall

# Words that introduce a change; stripped before deciding whether anything but a value is left.
_CHANGE_WORDS = re.compile(
    r"改成|改为|改到|改一下|改下|换成|变成|调成|调到|调整为|调整成|应该是|其实是|实际是|不是.{0,12}?而?是|"
    r"更正|修改|把|将|设为|设成|定为|定在|挪到|推到|延到|提前到|只有|只是|仅有|就是|是|为|要|的|了|吧|呢|啊|"
    r"不对|错了|对了|还有|另外|\b(?:change|changed|make|set|move|update|correct|fix)\b(?:\s+(?:it|that|this|the))?"
    r"(?:\s+(?:to|at|for))?|\b(?:actually|rather|instead|should be|it'?s|is|was|were|are|to|the|it|please|"
    r"no|not|but|oh|sorry|and|only|just|we|they|i|we'?re|they'?re|i'?m|we are|they are)\b")
_FILLER = re.compile(r"[\s,.;:!?~、。，：；！？“”\"'()（）\-—]+")

_AMOUNT = re.compile(r"金额|价格|总价|报价金额|合同额|单子大小|\b(?:amount|price|deal size|deal value|value|size)\b")
_REMINDER = re.compile(r"提醒|跟进|回访|\b(?:reminder|remind me|follow[- ]?up|follow up)\b")
_VISIT_DATE = re.compile(r"拜访(?:日期|时间)|见面(?:日期|时间)|(?<!成交)(?<!签约)日期|\b(?:visit(?:ed)?|met|meeting) (?:date|on|was)\b|\bdate\b")
_CLOSE_DATE = re.compile(r"预计成交|成交(?:日期|时间)|签约(?:日期|时间)|结单|\b(?:close|closing|expected close)(?: date)?\b")
_STAGE = re.compile(r"阶段|\bstage\b")
_CONTRACT_NO = re.compile(r"(?:合同(?:编号|号)|\bcontract (?:no\.?|number|#))\s*(?:是|改成|改为|应该是|is|should be|to|[:：])?\s*"
                          r"(?P<no>[A-Za-z0-9][A-Za-z0-9\-_/]{2,40})", re.IGNORECASE)
_DISCOUNT = re.compile(r"折扣|\bdiscount\b")
_CHANNEL = re.compile(r"方式|渠道|沟通|通话|聊的|\b(?:channel|it was a|by|call|meeting|chat)\b")
_COMPETITOR = re.compile(
    r"(?:竞品|竞争对手|对手|竞争方)\s*(?:是|为|改成|改为|换成|[:：])?\s*(?P<zh>[^，,。；;]+)|"
    r"\b(?:competitor|competition|competing with|up against|lost to|went with)\b\s*(?:is|was|:|=)?\s*(?P<en>[^,.;]+)",
    re.IGNORECASE)
_CONTACTS = re.compile(
    r"(?:联系人|对接人|见的人|见了|见的是|客户方)\s*(?P<zhop>只有|只是|仅有|就|改成|改为|换成|是|为|加上|加|还有|去掉|删掉|删除|不含|[:：])?\s*(?P<zh>[^，,。；;]+)|"
    r"\b(?:contacts?|met with|people)\b\s*(?P<enop>(?:are|is|were|was|:)?\s*(?:only|just)|add|also|remove|drop|without|are|is|were|was|:)?\s*(?P<en>[^,;.]+)",
    re.IGNORECASE)
_ONLY = re.compile(r"只有|只是|仅有|只交接|只给|只转|只|仅|就\b|\b(?:only|just)\b", re.IGNORECASE)
_LEADING_ONLY = re.compile(r"^\s*(?:只有|只是|仅有|就|只|仅|\bonly\b|\bjust\b)", re.IGNORECASE)
_ADD = re.compile(r"加上|加|还有|也有|\b(?:add|also|plus|and also)\b", re.IGNORECASE)
_REMOVE = re.compile(r"去掉|删掉|删除|不含|不要|除了|\b(?:remove|drop|without|not|except)\b", re.IGNORECASE)
_ACCOUNT = re.compile(r"(?:客户|公司|账户)\s*(?:是|改成|改为|换成|应该是)\s*(?P<zh>[^，,。]+)|"
                      r"\b(?:account|customer|company)\s*(?:is|should be|to)\s*(?P<en>[^,.;]+)", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:、|,|，|和|与|跟|及|以及|/|&|\band\b|\bplus\b)\s*", re.IGNORECASE)
_NAME_TRIM = " \t\n.。!！?？:：;；\"'“”()（）"
_TAKES = {
    "amount": ("update_opportunity", "create_quote", "file_contract"),
    "discount_pct": ("create_quote",),
    "stage": ("update_opportunity",),
    "expected_close": ("update_opportunity",),
    "competitor": ("update_opportunity",),
    "occurred_on": ("log_visit",),
    "channel": ("log_visit",),
    "contacts": ("log_visit",),
    "due_at": ("create_reminder",),
    "signed_on": ("file_contract",),
    "contract_no": ("file_contract",),
}


@dataclass(frozen=True)
class Edit:
    calls: list[ToolCall]
    fields: tuple[str, ...]  # what changed, e.g. ("amount",)


def read_edit(text: str, calls: list[ToolCall], ctx: ParseContext, engine: IntentEngine | None = None, *,
              expecting: bool = False) -> Edit | None:
    """The card's calls with the change `text` states applied, or None when it states none."""
    reader = _Reader(text, [ToolCall(c.name, dict(c.args)) for c in calls], ctx)
    for step in (reader.handover, reader.contacts, reader.competitor, reader.account, reader.fields):
        step()  # one message may change several fields: 金额改成130万，竞品是纷享销客
    if (reader.changed or reader.matched) and (expecting or reader.only_values()):
        return Edit(reader.calls, tuple(dict.fromkeys(reader.changed)))
    if expecting or _LEADING_ONLY.match(reader.text):
        names = reader.bare_names()
        if names and (reader.set_handover(reader.known(names, "account"), "replace")
                      or reader.set_contacts(reader.known(names, "contact"), "replace")):
            return Edit(reader.calls, tuple(dict.fromkeys(reader.changed)))
        if expecting and engine is not None:
            return _merge_engine(text, calls, ctx, engine)
    return None


class _Reader:
    def __init__(self, text: str, calls: list[ToolCall], ctx: ParseContext) -> None:
        self.msg = prepare(text)
        self.text, self.low = self.msg.text.strip(), self.msg.low.strip()
        self.calls, self.ctx = calls, ctx
        self.changed: list[str] = []
        self.matched = False  # a field was named and found on the card (maybe already so)
        self.consumed: list[tuple[int, int]] = []  # spans of the text read as names or values

    # --- the card -----------------------------------------------------------------------

    def _set(self, field: str, value, *, add_with: dict | None = None) -> bool:
        targets = [i for i, c in enumerate(self.calls) if c.name in _TAKES.get(field, ())]
        if not targets and add_with is not None and self._account():
            self.calls.append(ToolCall(add_with["name"], {"account": self._account(), **add_with["args"]}))
            targets = [len(self.calls) - 1]
        hit = False
        self.matched |= bool(targets)
        for i in targets:
            args = dict(self.calls[i].args)
            if args.get(field) != value:
                args[field] = value
                self.calls[i] = ToolCall(self.calls[i].name, args)
                self.changed.append(field)
            hit = True
        return hit

    def _account(self) -> str | None:
        return next((c.args["account"] for c in self.calls if c.args.get("account")), None)

    def _has(self, tool: str) -> bool:
        return any(c.name == tool for c in self.calls)

    # --- named fields ---------------------------------------------------------------------

    def competitor(self) -> bool:
        match = _COMPETITOR.search(self.text)
        if not match:
            return False
        name = (match.group("zh") or match.group("en") or "").strip(_NAME_TRIM)
        name = re.sub(r"^(?:是|为|改成|is|was)\s*", "", name).strip(_NAME_TRIM)
        if not name:
            return False
        self.consumed.append(match.span())
        return self._set("competitor", name[:100], add_with={"name": "update_opportunity", "args": {}})

    def contacts(self) -> bool:
        if not self._has("log_visit"):
            return False
        match = _CONTACTS.search(self.text)
        if not match:
            return False
        op_text = match.group("zhop") or match.group("enop") or ""
        names = _names(match.group("zh") or match.group("en") or "")
        if not names:
            return False
        self.consumed.append(match.span())
        mode = "remove" if _REMOVE.search(op_text) else "add" if _ADD.search(op_text) else "replace"
        return self.set_contacts(names, mode)

    def set_contacts(self, names: list[str], mode: str) -> bool:
        if not names:
            return False
        for i, call in enumerate(self.calls):
            if call.name != "log_visit":
                continue
            current = list(call.args.get("contacts") or [])
            if mode == "add":
                new = current + [n for n in names if n not in current]
            elif mode == "remove":
                new = [c for c in current if c not in names]
            else:
                new = names
            self.matched = True
            if new != current:
                self.calls[i] = ToolCall(call.name, {**call.args, "contacts": new})
                self.changed.append("contacts")
            return True
        return False

    def handover(self) -> bool:
        handovers = [c for c in self.calls if c.name == "reassign_accounts"]
        if not handovers:
            return False
        accounts = self._accounts_named()
        if not accounts:
            return False
        mode = "remove" if _REMOVE.search(self.low) else "add" if _ADD.search(self.low) and not _ONLY.search(
            self.low) else "replace"
        return self.set_handover([name for name, _ in accounts], mode)

    def set_handover(self, accounts: list[str], mode: str) -> bool:
        handovers = [c for c in self.calls if c.name == "reassign_accounts"]
        if not handovers or not accounts:
            return False
        base = {k: v for k, v in handovers[0].args.items() if k != "account"}
        current = [c.args["account"] for c in handovers if c.args.get("account")]
        if mode == "add":
            wanted = current + [a for a in accounts if a not in current]
        elif mode == "remove":
            everyone = current or []
            wanted = [a for a in everyone if a not in accounts]
        else:
            wanted = accounts
        if not wanted or wanted == current:
            return bool(wanted)
        rest = [c for c in self.calls if c.name != "reassign_accounts"]
        self.calls[:] = [ToolCall("reassign_accounts", {**base, "account": a}) for a in wanted] + rest
        self.changed.append("accounts")
        return True

    def _accounts_named(self) -> list[tuple[str, tuple[int, int]]]:
        found = []
        for part, span in _parts(self.text):
            resolution = self.ctx.directory.resolve("account", part)
            if resolution.entry is not None:
                found.append((resolution.entry.name, span))
        for _, span in found:
            self.consumed.append(span)
        return found

    def account(self) -> bool:
        match = _ACCOUNT.search(self.text)
        if not match:
            return False
        said = (match.group("zh") or match.group("en") or "").strip(_NAME_TRIM)
        resolution = self.ctx.directory.resolve("account", said)
        name = resolution.entry.name if resolution.entry is not None else said
        if not name:
            return False
        self.consumed.append(match.span())
        for i, call in enumerate(self.calls):
            if "account" in call.args and call.args["account"] != name:
                self.calls[i] = ToolCall(call.name, {**call.args, "account": name})
                self.changed.append("account")
        return True

    # --- typed values -------------------------------------------------------------------------

    def fields(self) -> bool:
        low, found = self.low, False
        number = _CONTRACT_NO.search(self.text) if self._has("file_contract") else None
        if number:
            self.consumed.append(number.span())
            found |= self._set("contract_no", number.group("no"))
            self.low = low = low[:number.start()] + " " * (number.end() - number.start()) + low[number.end():]
        money = [m for m in find_money(self.msg.text, low) if not m.relative]
        discounts = find_discounts(low)
        if discounts and self._has("create_quote"):
            self.consumed += [d.span for d in discounts]
            found |= self._set("discount_pct", _plain(discounts[0].pct_off))
        if money and (_AMOUNT.search(low) or not discounts or not _overlaps(money[0].span, discounts)):
            self.consumed += [m.span for m in money]
            found |= self._set("amount", _plain(money[0].amount),
                               add_with={"name": "update_opportunity", "args": {}})
        cues = stage_cues(low)
        if cues:
            self.consumed += [(c.start, c.end) for c in cues]
            found |= self._set("stage", cues[0].value, add_with={"name": "update_opportunity", "args": {}})
        channel = channel_in(low, 0, len(low))
        if channel and self._has("log_visit") and (not (money or cues) or _CHANNEL.search(low)):
            self.consumed.append(_channel_span(low))
            found |= self._set("channel", channel)
        found |= self.dates()
        return found

    def dates(self) -> bool:
        low = self.low
        mentions = find_dates(low)
        times = [t for t in find_times(low) if not any(_inside(t.span, d.span) for d in mentions)]
        timed = any(t.exact for t in times)
        if not mentions and not timed:
            return False
        self.consumed += [m.span for m in mentions] + [t.span for t in times]
        if self._has("file_contract"):  # the one date a contract card has: when it was signed
            return self._set("signed_on", self._day(mentions, "occurred_on"))
        if _CLOSE_DATE.search(low) and self._account():
            return self._set("expected_close", self._day(mentions, "expected_close"),
                             add_with={"name": "update_opportunity", "args": {}})
        if _VISIT_DATE.search(low) and self._has("log_visit"):
            return self._set("occurred_on", self._day(mentions, "occurred_on"))
        today = self.ctx.now.date().isoformat()
        ahead = self._day(mentions, "due_at") if mentions else None
        behind = self._day(mentions, "occurred_on") if mentions else None
        if ahead and behind and ahead != behind:  # 周三, 12月20号: the nearer of the two readings
            nearer_ahead = _days(ahead, today) <= _days(today, behind)
            ahead, behind = (ahead, ahead) if nearer_ahead else (behind, behind)
        fixed = ahead == behind  # 昨天, 下周三: one day whichever way the field points
        future = bool(ahead and ahead > today) if mentions else timed
        if _REMINDER.search(low) or timed or (self._has("create_reminder") and (future or not fixed)):
            return self._reminder()
        if fixed and not future and self._has("log_visit"):
            return self._set("occurred_on", behind)
        if future or not fixed:
            if self._has("update_opportunity"):
                return self._set("expected_close", self._day(mentions, "expected_close"))
            if not fixed and self._has("log_visit"):
                return self._set("occurred_on", behind)
            return self._reminder()
        return False

    def _reminder(self) -> bool:
        due = extract_value("due_at", self.text, self.ctx)
        if due is None:
            return False
        current = next((c.args.get("due_at") for c in self.calls if c.name == "create_reminder"), None)
        if current and not find_dates(self.low):
            due = str(current)[:10] + due[10:]  # a time alone moves the reminder within its day
        if self._has("create_reminder"):
            return self._set("due_at", due)
        if self._account() is None:
            return False
        visit = next((c for c in self.calls if c.name == "log_visit"), None)
        step = (visit.args.get("next_step") if visit else None) or _reminder_text(self.ctx.user.language)
        self.calls.append(ToolCall("create_reminder", {"due_at": due, "text": step, "account": self._account()}))
        self.changed.append("due_at")
        return True

    def _day(self, mentions, field: str) -> str | None:
        for mention in mentions:
            day = resolve(mention, self.ctx.now.date(), field)
            if day is not None:
                return day.isoformat()
        return None

    # --- what is left ---------------------------------------------------------------------------

    def only_values(self) -> bool:
        """Whether the message says nothing but the change (and words that introduce it)."""
        rest = self.msg.low
        for start, end in sorted(self.consumed, reverse=True):
            rest = rest[:start] + " " + rest[end:]
        for rx in (_AMOUNT, _REMINDER, _VISIT_DATE, _CLOSE_DATE, _STAGE, _DISCOUNT, _CHANNEL):
            rest = rx.sub(" ", rest)
        rest = _CHANGE_WORDS.sub(" ", rest)
        rest = _FILLER.sub("", rest)
        return len(rest) <= 2

    def known(self, names: list[str], kind: str) -> list[str]:
        """The names, canonical, when every one is a known account or contact; else none (a reply
        that is only words is not a list of people)."""
        found = []
        for name in names:
            entry = self.ctx.directory.resolve(kind, name).entry
            if entry is None:
                return []
            found.append(entry.name)
        return found

    def bare_names(self) -> list[str]:
        if find_money(self.msg.text, self.low) or find_dates(self.low):
            return []
        return _names(_ONLY.sub(" ", self.text))


def _merge_engine(text: str, calls: list[ToolCall], ctx: ParseContext, engine: IntentEngine) -> Edit | None:
    """The engine reads the reply as a message; its calls of the card's tools replace the arguments
    they state (never a visit's date with one that has not come yet)."""
    patched = [ToolCall(c.name, dict(c.args)) for c in calls]
    changed: list[str] = []
    today = ctx.now.date().isoformat()
    for new in engine.parse(text, ctx).calls:
        for i, old in enumerate(patched):
            if old.name != new.name:
                continue
            stated = {k: v for k, v in new.args.items()
                      if not (k == "account" and old.args.get("account"))
                      and not (k == "occurred_on" and str(v) > today)
                      and not (k in ("summary", "occurred_on") and old.name == "log_visit")}
            merged = {**old.args, **stated}
            if merged != old.args:
                changed += [k for k in stated if old.args.get(k) != stated[k]]
                patched[i] = ToolCall(old.name, merged)
            break
    return Edit(patched, tuple(dict.fromkeys(changed))) if changed else None


def _names(raw: str) -> list[str]:
    raw = re.sub(r"^(?:只有|只是|仅有|就是|就|是|为|有|only|just|are|is)\s*", "", raw.strip(), flags=re.IGNORECASE)
    raw = re.sub(r"(?:两个人|两位|几位|等人|这几个|them|those)\s*$", "", raw)
    names = [n.strip(_NAME_TRIM) for n in _NAME_SPLIT.split(raw)]
    names = [re.sub(r"^(?:only|just|and)\s+", "", n, flags=re.IGNORECASE) for n in names]
    return [n for n in names if n and len(n) <= 40][:10]


def _parts(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Pieces of the text between separators, with their spans (candidate names)."""
    parts, pos = [], 0
    for match in _NAME_SPLIT.finditer(text):
        parts.append((text[pos:match.start()], (pos, match.start())))
        pos = match.end()
    parts.append((text[pos:], (pos, len(text))))
    out = []
    for part, (start, end) in parts:
        stripped = _ONLY.sub(" ", part)
        stripped = re.sub(r"交接|转给|转|给|的客户|客户|accounts?|hand(?:ed)? over|\bover\b|\bto\b", " ", stripped,
                          flags=re.IGNORECASE).strip(_NAME_TRIM + " ")
        if stripped:
            out.append((stripped, (start, end)))
    return out


def _days(later: str, earlier: str) -> int:
    from datetime import date

    return (date.fromisoformat(later) - date.fromisoformat(earlier)).days


def _reminder_text(language: str) -> str:
    return "Follow up" if language == "en" else "跟进"


def _plain(value):
    from decimal import Decimal

    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _overlaps(span, others) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


def _inside(inner, outer) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _channel_span(low: str) -> tuple[int, int]:
    from intents.rules.lexicon import CHANNELS

    for _, rx in CHANNELS:
        match = rx.search(low)
        if match:
            return match.span()
    return (0, 0)
