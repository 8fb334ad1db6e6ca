"""Amounts, currencies, discounts and quote numbers (CONTRACT.md "Money" and "Quotes").

An amount needs a sign that it is money: a currency marker ($, ¥, €, USD, 元, 美金...) or a
magnitude (万, 亿, k, M, million); bare numbers are counts (3家门店, 40 warehouses). Its currency
is the marker's, else CNY when the magnitude is 万/亿 or the figure is written in Chinese, else
unstated (`None`): the call leaves it out and the tool takes the deal's, account's or user's
currency (`tools.currency`). A discount is the percentage taken off: 85折 → 15, 九折 → 10, 15% off → 15.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from intents.rules.numerals import CN_DIGITS, CN_NUM_CHARS, chinese, number
from intents.rules.text import Span

_PRE = r"(?P<pre>us\$|usd|rmb|cny|eur|gbp|hkd|hk\$|jpy|sgd|s\$|aud|a\$|cad|chf|\$|¥|€|£)"
_NUM = rf"(?P<num>\d+(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_NUM_CHARS}点]+)"
_UNIT = r"(?P<unit>千万|百万|万|亿|千|(?<=\d)w(?![a-z/])|k(?![a-z])|mm(?![a-z])|mn(?![a-z])|m(?![a-z])|million|billion|bn(?![a-z])|thousand|grand)"
_POST = (r"(?P<post>万元|元|块钱|块|人民币|rmb|cny|美元|美金|usd|us\$|\$|欧元|eur|euros?|€|英镑|gbp|pounds?|港币|港元|hkd|"
         r"日元|日币|jpy|yen|新加坡元|新币|sgd|澳元|澳币|aud|加元|加币|cad|瑞士法郎|chf|dollars?|bucks)")
_MONEY = re.compile(rf"(?<![a-z0-9#\-/.]){_PRE}?\s*~?\s*{_NUM}\s*{_UNIT}?\s*(?:{_POST}(?![a-z]))?(?P<whole>整)?", re.ASCII)
_MULTIPLIER = {"千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "w": 10_000, "亿": 100_000_000, "千": 1000,
               "k": 1000, "m": 1_000_000, "mm": 1_000_000, "mn": 1_000_000, "million": 1_000_000,
               "billion": 1_000_000_000, "bn": 1_000_000_000, "thousand": 1000, "grand": 1000}
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "美元": "USD", "美金": "USD", "dollar": "USD",
             "dollars": "USD", "bucks": "USD", "¥": "CNY", "rmb": "CNY", "cny": "CNY", "元": "CNY",
             "万元": "CNY", "块": "CNY", "块钱": "CNY", "人民币": "CNY", "€": "EUR", "eur": "EUR",
             "euro": "EUR", "euros": "EUR", "欧元": "EUR", "£": "GBP", "gbp": "GBP", "英镑": "GBP",
             "pound": "GBP", "pounds": "GBP", "hkd": "HKD", "hk$": "HKD", "港币": "HKD", "港元": "HKD",
             "jpy": "JPY", "日元": "JPY", "日币": "JPY", "yen": "JPY", "sgd": "SGD", "s$": "SGD",
             "新加坡元": "SGD", "新币": "SGD", "aud": "AUD", "a$": "AUD", "澳元": "AUD", "澳币": "AUD",
             "cad": "CAD", "加元": "CAD", "加币": "CAD", "chf": "CHF", "瑞士法郎": "CHF"}
_CN_MAGNITUDE = {"万", "亿", "千万", "百万", "w"}  # 120w: 万 as typed in chats
_CN_POST = {"元", "块", "块钱", "万元", "美元", "美金", "欧元", "人民币", "英镑", "港币", "港元", "日元", "日币", "新加坡元",
            "新币", "澳元", "澳币", "加元", "加币", "瑞士法郎"}
_AFTER_COUNT = re.compile(r"\s*(?:%|折|天|周|个|家|号|日|月|年|点|人|次|台|套|条|倍|percent|pct|days?|weeks?|months?|years?)", re.ASCII)


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    amount: Decimal
    currency: str | None  # None: no marker and no 万/亿; the call leaves it out
    relative: bool = False  # a change, not a size: 涨了10万, bumped by 20k, 少了5万

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)



def find_money(text: str, low: str, blocked: list[Span] = ()) -> list[Money]:
    """Amounts in a message (`text` and its lower-cased `low`), left to right."""
    found: list[Money] = []
    for m in _MONEY.finditer(low):
        pre, num, unit, post = m["pre"], m["num"], m["unit"], m["post"]
        cn_digits = not num[0].isdigit()
        magnitude = unit in _CN_MAGNITUDE or (cn_digits and any(c in num for c in "万亿"))
        if not (pre or unit or post or magnitude):
            continue
        if cn_digits and not (magnitude or post in _CN_POST):
            continue  # 三家, 九五折, 十点: Chinese numerals are money only with 万/亿/元
        if post == "块" and num in ("一", "1") and _TOGETHER.match(low, m.end()):
            continue  # 一块吃了个饭, 一块儿去: "together", not one yuan
        if unit == "m" and not (pre or post or "." in num or text[m.start("unit")] == "M"):
            continue  # 30m is minutes or metres; 1.2m, $3m, 3M are millions
        if unit == "千" and not (pre or post):
            continue
        if _AFTER_COUNT.match(low, m.end()) and not (pre or post):
            continue
        value = number(num)
        if value is None or value <= 0:
            continue
        if unit:
            value *= _MULTIPLIER[unit]
        marker = post if post and pre in ("$", "¥") else pre or post  # ¥3,000,000 JPY, $50k SGD: the code says which
        currency = _CURRENCY.get(marker) if marker else None
        if currency is None and (magnitude or cn_digits):
            currency = "CNY"
        end = m.end()
        while low[end - 1].isspace():  # the space a missing currency word left: 签约 48万 搞定
            end -= 1
        span = Span(m.start("pre") if pre else m.start("num"), end)
        if any(span.overlaps(b) for b in blocked):
            continue
        relative = bool(_RELATIVE.search(low, max(0, span.start - 16), span.start))
        found.append(Money(span.start, span.end, _clean(value), currency, relative))
    return found


_TOGETHER = re.compile(r"\s*(?:儿|吃|喝|去|来|走|聊|过去|过来|开|玩|出差|拜访|看|商量|讨论|做|干)")
# what comes right before a change of size (涨了10万, 下调了5万, bumped by 20k, up $15k), not a new size
_RELATIVE = re.compile(
    r"(?:涨了|增加了?|多了|加了|追加了?|上涨了?|上调了?|下调了?|降了|降低了?|减少了?|少了|缩水了?|砍了|砍掉了?|缩减了?|"
    r"\b(?:bumped|increased|raised|grew|went up|cut|reduced|decreased|dropped|lowered|shrank|trimmed)\s+by|"
    r"(?<!wrapped )(?<!wrap )(?<!signed )(?<!sign )(?<!follow )(?<!followed )(?<!set )(?<!closed )\b(?:up|down)(?:\s+by)?|\bby\s+(?:another|an extra)|\bextra|\banother|\+)\s*(?:约|大概|~|about|around|roughly)?\s*$",
    re.ASCII)


_PCT = r"(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent|pct)"
_DISCOUNT_PCT = [
    re.compile(rf"{_PCT}\s*(?:off|discount|disc(?:t|ount)?\b|dsct\b|折扣|优惠|的折扣|rebate)", re.ASCII),
    re.compile(rf"(?:discount|折扣|优惠|降价|降|让利|让|打折|减|便宜|off|knock|\bminus|\bless)\s*(?:of|by|at|是|为|了)?\s*{_PCT}", re.ASCII),
    re.compile(r"百分之(?P<cn>[零一二两三四五六七八九十点]+)\s*(?:的)?\s*(?:折扣|优惠|off)", re.ASCII),
    # 优惠10个点, 让利五个点, 10个点的折扣: points are percent
    re.compile(r"(?:优惠|让利|让|降价?|折扣|便宜|打折|减|少)\s*(?:了|个)?\s*(?P<cn>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*个\s*点", re.ASCII),
    re.compile(r"(?P<cn>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*个\s*点\s*的?\s*(?:折扣|优惠|让利|off|discount)", re.ASCII),
]
# no discount at all: 不打折, 无折扣, no discount, at list price → 0 off
_NO_DISCOUNT = re.compile(r"不打折|不给?(?:折扣|优惠)|无折扣|没有?(?:任何)?折扣|零折扣|按原价|"
                          r"\bno (?:discount|disc)\b|\bwithout (?:a |any )?discount\b|\bzero discount\b|"
                          r"\bat (?:full )?list price\b|\bat full price\b", re.ASCII)
_ZHE = re.compile(r"(?<![\d.])(?:打\s*)?(?P<n>\d{1,2}(?:\.\d)?|[一二三四五六七八九]{1,2})\s*折(?!扣)", re.ASCII)


@dataclass(frozen=True)
class Discount:
    start: int
    end: int
    pct_off: Decimal

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def find_discounts(low: str) -> list[Discount]:
    """Discounts as percentage off: 打85折 / 八五折 / 85折 → 15, 九折 → 10, 7.5折 → 25, 15% off → 15,
    7.5% disc → 7.5, 不打折 / no discount → 0."""
    found: list[Discount] = []
    for m in _ZHE.finditer(low):
        n = number(m["n"])
        if n is None or n <= 0:
            continue
        rate = n * 10 if (n < 10 and (len(m["n"]) == 1 or "." in m["n"])) else n
        if not 0 < rate < 100:
            continue
        found.append(Discount(m.start(), m.end(), _clean(Decimal(100) - rate)))
    for rx in _DISCOUNT_PCT:
        for m in rx.finditer(low):
            value = number(m["pct"]) if "pct" in m.groupdict() and m["pct"] else number(m["cn"] or "")
            if value is None or not 0 < value < 100:
                continue
            d = Discount(m.start(), m.end(), _clean(value))
            if not any(d.span.overlaps(x.span) for x in found):
                found.append(d)
    if not found:  # a discount stated anywhere wins over "no discount" said of something else
        found = [Discount(m.start(), m.end(), Decimal(0)) for m in _NO_DISCOUNT.finditer(low)]
    found.sort(key=lambda d: d.start)
    return found


def _clean(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


# --- quote numbers --------------------------------------------------------------------------

_QUOTE_ID = [
    re.compile(r"(?<![a-z0-9])q\s*[-#]?\s*(\d{2,7})(?!\d)", re.ASCII),
    re.compile(r"#\s*(\d{1,7})(?!\d)", re.ASCII),
    re.compile(r"(?:第\s*)?(\d{1,7})\s*号?\s*报价单?", re.ASCII),
    re.compile(r"报价单?\s*(?:号\s*)?[#:]?\s*(\d{2,6})(?![\d,.万亿千元块kmk%])", re.ASCII),
    re.compile(r"quotes?\s*(?:#|no\.?|number|id)?\s*(\d{2,7})(?!\d)", re.ASCII),
]
_BARE_ID = re.compile(r"(?<![\d.,$¥€%\-/:a-z])(\d{2,7})(?![\d%万亿千:/]|[.,]\d|\s*(?:%|折|元|块|天|周|月|年|号(?!报价|\s*(?:和|、|与|跟|及|,)\s*\d)|个(?!报价)|家|人|days?|weeks?|percent|k\b|m\b))", re.ASCII)


_BARE_NUMBERED = re.compile(r"(?<![\d.,$¥€%\-/:a-z])(\d{3,7})\s*号", re.ASCII)  # 102号都通过: too big for a day


def find_quote_ids(low: str, *, bare: bool) -> list[tuple[int, int, int]]:
    """(start, end, id) of every quote number; `bare` also takes plain numbers (102批了, approve
    101 and 103), which only a decision about quotes may do."""
    found: list[tuple[int, int, int]] = []
    for rx in _QUOTE_ID:
        for m in rx.finditer(low):
            _add_id(found, m.start(1), m.end(1), int(m[1]))
    for m in _CN_QUOTE_ID.finditer(low):
        value = _cn_id(m["before"] or m["after"])
        if value is not None:
            group = "before" if m["before"] else "after"
            _add_id(found, m.start(group), m.end(group), value)
    if bare:
        for rx in (_BARE_ID, _BARE_NUMBERED):
            for m in rx.finditer(low):
                _add_id(found, m.start(1), m.end(1), int(m[1]))
    found.sort()
    return found


_CN_ID = r"[零〇一二三四五六七八九]{2,7}|[一二三四五六七八九]?千[零〇一二三四五六七八九十百]{0,5}|[一二三四五六七八九]百[零〇一二三四五六七八九十]{0,3}"
# 一零四号报价, 第一百零四号报价, 报价单一零四: a quote number said or typed in Chinese numerals
_CN_QUOTE_ID = re.compile(rf"(?:第\s*)?(?P<before>{_CN_ID})\s*号\s*报价单?|报价单?\s*(?:号\s*|编号\s*)?(?P<after>{_CN_ID})\s*号")


def _cn_id(text: str) -> int | None:
    """一零四 → 104 (digit by digit, as ids are read out), 一百零四 → 104."""
    if all(ch in CN_DIGITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    value = chinese(text)
    return int(value) if value is not None and value == value.to_integral_value() else None


def _add_id(found: list[tuple[int, int, int]], start: int, end: int, value: int) -> None:
    if value > 0 and not any(s < end and start < e for s, e, _ in found):
        found.append((start, end, value))
