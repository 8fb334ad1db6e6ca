"""Dates, times of day and report periods, in Chinese and English (CONTRACT.md "Values").

`find_dates` returns every date expression with what it means *relative to today*; `resolve` turns
one into a calendar day for a field, because the field decides the direction: a bare weekday or a
date without a year is the nearest one in the past for `occurred_on` and in the future for `due_at`
and `expected_close`. Weeks run Monday to Sunday; 下周三 / next Wednesday is the Wednesday of next
week. A quarter means its last day. `find_times` returns times of day (下午3点 → 15:00, 9:30am,
noon, 8 tonight); `find_period` the report period of a question (本周 → this_week).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from intents.rules.numerals import EN_NUMBER, number
from intents.rules.text import Span

Field = Literal["occurred_on", "due_at", "expected_close"]

_N = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"  # a day, month or hour, in digits or Chinese
_WEEK_PREFIX = r"(下下个?|下个?|上上个?|上个?|本|这个?|这一|今)"
_WEEKDAY_CN = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
               "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_WEEKDAY_EN = {"mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
               "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
               "saturday": 5, "sat": 5, "sunday": 6, "sun": 6}
_MONTHS_EN = {"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
              "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
              "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
              "november": 11, "dec": 12, "december": 12}
_MONTH_EN = "|".join(sorted(_MONTHS_EN, key=len, reverse=True))
_WEEKDAY_EN_RE = "monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu|friday|fri|saturday|sunday"
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_QUARTER_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NOT_AFTER_NUMBER = r"(?![\d万亿千百kK%折个])"
_BEFORE = r"(?:之前|以前|前(?![天年]))?"  # 周五前, 月底之前: by that day
_WEEKDAY_AFTER = r"(?:\s*[(（]?\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）]?)?"  # 12月7日（周一）: the same day
# what makes a date a deadline rather than the day something happened: by Dec 4, 12月4日前
_DEADLINE_BEFORE = re.compile(r"(?:\b(?:by|before|due|until|till|no later than|deadline)\s+(?:on\s+|the\s+)?|截止到?|最晚|不晚于)\s*$", re.ASCII)
_DEADLINE_AFTER = re.compile(r"\s*(?:之前|以前|前(?![天年])|截止)")


@dataclass(frozen=True)
class DateMention:
    """A date expression. `kind` says which of the other fields matter:

    day (days from today) · weekday (weekday 0=Mon, week: None bare, 'coming', or weeks from this
    one) · week (week offset, no day: its Monday) · month_day (month or None, day, year or None,
    months: offset when the month is relative) · month (month or months offset) · month_end ·
    month_start · year_end (years) · quarter (quarter, years or None; or quarters offset) · delta
    (days or months from today, negative for 'ago').
    """

    start: int
    end: int
    kind: str
    days: int = 0
    weekday: int = 0
    week: int | str | None = None
    month: int | None = None
    day: int = 1
    year: int | None = None
    months: int | None = None
    years: int | None = None
    quarter: int | None = None
    quarters: int | None = None
    deadline: bool = False  # said as a limit (by Dec 4, 周五前), not as when something happened

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    hour: int
    minute: int = 0
    exact: bool = True  # False for a part of day alone (上午, tonight): a default hour

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def _int(text: str | None) -> int | None:
    if not text:
        return None
    value = number(text)
    return None if value is None else int(value)


def _week_offset(prefix: str | None) -> int | None:
    if not prefix:
        return None
    if prefix.startswith("下下"):
        return 2
    if prefix.startswith("下"):
        return 1
    if prefix.startswith("上上"):
        return -2
    if prefix.startswith("上"):
        return -1
    return 0


def _month_offset(prefix: str | None) -> int:
    if not prefix:
        return 0
    if prefix.startswith("下下"):
        return 2
    if prefix.startswith("下") or prefix == "next":
        return 1
    if prefix.startswith("上") or prefix == "last":
        return -1
    return 0


def _year_offset(prefix: str | None) -> int | None:
    return {"今年": 0, "本年": 0, "明年": 1, "下一年": 1, "下年": 1, "去年": -1,
            "this year": 0, "next year": 1, "last year": -1}.get((prefix or "").strip())


# Each rule: (regex, builder(match) -> DateMention fields or None). Earlier rules win ties.
_DAY_WORDS = {"大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨儿": -1, "昨晚": -1, "昨早": -1,
              "今天": 0, "今日": 0, "今儿": 0, "今早": 0, "今晚": 0, "今晨": 0, "当天": 0,
              "明天": 1, "明日": 1, "明儿": 1, "明早": 1, "明晚": 1, "大后天": 3, "后天": 2,
              "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
              "earlier today": 0, "yesterday": -1, "yday": -1, "last night": -1,
              "tomorrow": 1, "tmrw": 1, "tmr": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1,
              "the day after tomorrow": 2, "day after tomorrow": 2,
              "the day before yesterday": -2, "day before yesterday": -2}


def _rules():
    by_length = sorted(_DAY_WORDS, key=len, reverse=True)
    cn_days = "|".join(w for w in by_length if not w.isascii())
    en_days = "|".join(re.escape(w) for w in by_length if w.isascii())
    return [
        (r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?",
         lambda m: dict(kind="month_day", year=int(m[1]), month=int(m[2]), day=int(m[3]))),
        (rf"(今年|明年|去年)?\s*({_N})\s*月\s*({_N})\s*(?:日|号)?{_NOT_AFTER_NUMBER}{_WEEKDAY_AFTER}{_BEFORE}",
         lambda m: dict(kind="month_day", month=_int(m[2]), day=_int(m[3]), years=_year_offset(m[1]))),
        (rf"(下下个?|下个?|本|这个?|当)\s*月\s*({_N})\s*(?:日|号)",
         lambda m: dict(kind="month_day", month=None, day=_int(m[2]), months=_month_offset(m[1]))),
        (rf"(今年|明年)?\s*({_N})\s*月\s*(初|中)(?!旬)",
         lambda m: dict(kind="month_day", month=_int(m[2]), day=1 if m[3] == "初" else 15, years=_year_offset(m[1]))),
        (rf"(今年|明年)?\s*({_N})\s*月\s*(上|中)旬",
         lambda m: dict(kind="month_day", month=_int(m[2]), day=10 if m[3] == "上" else 20, years=_year_offset(m[1]))),
        (rf"(今年|明年)?\s*({_N})\s*月\s*(?:份)?\s*(?:底|末|下旬)",
         lambda m: dict(kind="month_end", month=_int(m[2]), years=_year_offset(m[1]))),
        (rf"(下下个?|下个?|上个?|本|这个?|当)?\s*月\s*(?:底|末){_BEFORE}",
         lambda m: dict(kind="month_end", months=_month_offset(m[1]))),
        (r"(下下个?|下个?|本|这个?)\s*月\s*(上|中|下)旬",
         lambda m: dict(kind="month_end", months=_month_offset(m[1])) if m[2] == "下" else
         dict(kind="month_day", month=None, day=10 if m[2] == "上" else 20, months=_month_offset(m[1]))),
        (r"(下下个?|下个?|本|这个?)?\s*月\s*(初|中)(?!旬)",
         lambda m: dict(kind="month_start", months=_month_offset(m[1]) if m[1] else None,
                        day=1 if m[2] == "初" else 15)),
        (r"元旦\s*(?:之|以)?前", lambda m: dict(kind="month_end", month=12)),  # before New Year's Day: by Dec 31
        (r"元旦", lambda m: dict(kind="month_day", month=1, day=1)),
        (r"(今|明|本)?年\s*年?\s*(?:底|末)",
         lambda m: dict(kind="year_end", years=1 if m[1] == "明" else 0)),
        (r"(明年|今年|下一?年)?\s*第?\s*([一二三四1-4])\s*季度?\s*(?:末|底)?(?!\d)",
         lambda m: dict(kind="quarter", quarter=_QUARTER_CN[m[2]], years=_year_offset(m[1]))),
        (r"(?:\b(?:by\s+)?(?:the\s+)?end\s+of\s+)?(明年|今年)?\s*q([1-4])(?![\d])(?:\s*(?:of\s+)?(next year|this year|(?:fy)?'?(\d{2,4})))?",
         lambda m: dict(kind="quarter", quarter=int(m[2]),
                        years=_year_offset(m[1]) if m[1] else _year_offset(m[3]),
                        year=_full_year(m[4]))),
        (r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?(next year|this year|\d{4}))?",
         lambda m: dict(kind="quarter", quarter=_ORDINAL[m[1]], years=_year_offset(m[2]),
                        year=_full_year(m[2]))),
        (r"(下个?|本|这个?|当)\s*季度?\s*(?:末|底)?|季度?\s*(?:末|底)",
         lambda m: dict(kind="quarter", quarters=_month_offset(m[1]))),
        (r"\b(?:by\s+)?(?:the\s+)?(?:end of (?:the\s+)?(this|next)?\s*quarter|(this|next)?\s*quarter[- ]end|eoq)\b",
         lambda m: dict(kind="quarter", quarters=1 if "next" in (m[1] or m[2] or "") else 0)),
        (r"\b(this|next)\s+quarter\b",
         lambda m: dict(kind="quarter", quarters=_month_offset(m[1]))),
        (rf"({_N}|\d+|半)\s*(个)?\s*(天|日|周|星期|礼拜|月|年)\s*(?:以后|之后|后|过后)",
         _cn_delta),
        (rf"过\s*({_N})\s*(天|周|个月)", lambda m: _cn_delta(m, unit=m[2])),
        (rf"({_N}|\d+)\s*(个)?\s*(天|周|星期|月)\s*(?:以前|之前|前)(?!天)", lambda m: _cn_delta(m, sign=-1)),
        (rf"\bin\s+({EN_NUMBER})\s+(day|week|month)s?\b", _en_delta),
        (rf"\b({EN_NUMBER})\s+(day|week|month)s?\s+(?:from now|from today|later|out)\b", _en_delta),
        (rf"\b({EN_NUMBER})\s+(day|week|month)s?\s+ago\b", lambda m: _en_delta(m, sign=-1)),
        (r"\bin\s+a\s+fortnight\b", lambda m: dict(kind="delta", days=14)),
        (r"\b(?:by\s+)?(?:the\s+)?(?:end of (?:the\s+)?(this\s+|next\s+)?month|(this\s+|next\s+)?month[- ]end|eom)\b",
         lambda m: dict(kind="month_end", months=1 if "next" in (m[1] or m[2] or "") else 0)),
        (r"\b(?:by\s+)?(?:the\s+)?(?:end of (?:the\s+)?(this\s+|next\s+)?year|(this\s+|next\s+)?year[- ]end|eoy)\b",
         lambda m: dict(kind="year_end", years=1 if "next" in (m[1] or m[2] or "") else 0)),
        (rf"\b(?:the\s+)?(?:end of|late)\s+({_MONTH_EN})\b",
         lambda m: dict(kind="month_end", month=_MONTHS_EN[m[1]])),
        (rf"{_WEEK_PREFIX}?\s*(?:周|星期|礼拜)\s*([一二三四五六日天七1-7])(?![\d号日]){_BEFORE}",
         lambda m: dict(kind="weekday", weekday=_WEEKDAY_CN[m[2]], week=_week_offset(m[1]))),
        (rf"{_WEEK_PREFIX}?\s*(?:周|星期|礼拜)末",
         lambda m: dict(kind="weekday", weekday=5, week=_week_offset(m[1]))),
        (r"(下下个?|下个?|上上个?|上个?|本|这个?)\s*(?:周|星期|礼拜)(?![一二三四五六日天七1-7末])",
         lambda m: dict(kind="week", week=_week_offset(m[1]))),
        (r"\b(?:by\s+)?(?:the\s+)?(?:end of (?:the\s+)?(this\s+|next\s+)?week|(this\s+|next\s+)?week[- ]end|eow)\b(?!\s*(?:of|in|at)\b)",
         lambda m: dict(kind="weekday", weekday=4, week=1 if "next" in (m[1] or m[2] or "") else 0)),
        (r"\b(this|next)\s+weekend\b",
         lambda m: dict(kind="weekday", weekday=5, week=1 if m[1] == "next" else 0)),
        (r"\b(?:early|beginning of|start of)\s+(next|this)\s+week\b",
         lambda m: dict(kind="weekday", weekday=0, week=1 if m[1] == "next" else 0)),
        (rf"\bmid[- ]?({_MONTH_EN})\b",
         lambda m: dict(kind="month_day", month=_MONTHS_EN[m[1]], day=15)),
        (rf"\b(this|next|last)\s+week(?:'s)?\s+(?:on\s+)?({_WEEKDAY_EN_RE})\b",
         lambda m: dict(kind="weekday", weekday=_WEEKDAY_EN[m[2]], week={"this": 0, "next": 1, "last": -1}[m[1]])),
        (rf"\b({_WEEKDAY_EN_RE})\s+(?:of\s+)?(this|next|last)\s+week\b",
         lambda m: dict(kind="weekday", weekday=_WEEKDAY_EN[m[1]], week={"this": 0, "next": 1, "last": -1}[m[2]])),
        (rf"\b({EN_NUMBER})\s+weeks?\s+(?:from|after)\s+(?:this\s+|next\s+)?({_WEEKDAY_EN_RE})\b",
         lambda m: dict(kind="weekday", weekday=_WEEKDAY_EN[m[2]], week="coming", days=7 * int(number(m[1]) or 1))),
        (rf"\b(?:(this coming|this|next|last|coming|past|on)\s+)?({_WEEKDAY_EN_RE})\b(?!['’])",
         _en_weekday),
        (r"\b(this|next|last|the following|following)\s+week\b",
         lambda m: dict(kind="week", week={"this": 0, "last": -1}.get(m[1], 1))),
        (rf"\b(?:on\s+)?(?:{_WEEKDAY_EN_RE}|sat|sun)\.?,?\s+(?:the\s+)?(?:({_MONTH_EN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_EN}))\b(?:,?\s*(\d{{4}}))?",
         lambda m: dict(kind="month_day", month=_MONTHS_EN[m[1] or m[4]], day=int(m[2] or m[3]), year=_full_year(m[5]))),
        (rf"\b(?:on\s+)?(?:{_WEEKDAY_EN_RE}|sat|sun)\.?,?\s+(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{2,4}}))?(?![\d/%])", _slash_date),
        (rf"\b({_MONTH_EN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(\d{{4}}))?(?!\s*(?:%|k\b|m\b|am|pm|:))",
         lambda m: dict(kind="month_day", month=_MONTHS_EN[m[1]], day=int(m[2]), year=_full_year(m[3]))),
        (rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_EN})\b(?:,?\s*(\d{{4}}))?",
         lambda m: dict(kind="month_day", month=_MONTHS_EN[m[2]], day=int(m[1]), year=_full_year(m[3]))),
        # 12.15 / 1.8号: month.day, unless it is a figure (1.5万, 8.5折, 1.2M) or a clock time (明天9.30)
        (r"(?<![\d.$¥€£a-z])(?<!周[一二三四五六日天])(?<![天日早晚午])(1[0-2]|0?[1-9])\.(3[01]|[12]\d|0?[1-9])(?![\d.])"
         r"(?!\s*(?:[万亿千百折倍个%元块版星分小点级期w]|k\b|m\b|mm\b|bn\b|million|billion|thousand|percent|pct|am\b|pm\b|x\b))\s*(?:日|号)?",
         lambda m: dict(kind="month_day", month=int(m[1]), day=int(m[2]))),
        (r"(?<![\d/.$])(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?![\d/%])", _slash_date),
        (r"(?:下下个?|下个?|本|这个?)\s*月(?![底末初中\d一二三四五六七八九十份])",
         lambda m: dict(kind="month", months=_month_offset(m[0]))),
        (rf"(?<![\d一二两三四五六七八九十个])({_N})\s*月份?(?![底末初中\d一二三四五六七八九十])",
         lambda m: dict(kind="month", month=_int(m[1]))),
        (r"\b(next|this)\s+month\b", lambda m: dict(kind="month", months=_month_offset(m[1]))),
        (rf"\b(?:in|by|for|during|to|until|till|into)\s+({_MONTH_EN})\b(?!\s*\d)",
         lambda m: dict(kind="month", month=_MONTHS_EN[m[1]])),
        (r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b", lambda m: dict(kind="month_day", month=None, day=int(m[1]))),
        (rf"(?<![\d月周期拜])({_N})\s*(?:号|日)(?![本\d])",
         lambda m: dict(kind="month_day", month=None, day=_int(m[1]))),
        (rf"{cn_days}|\b(?:{en_days})\b", lambda m: dict(kind="day", days=_DAY_WORDS[m[0]])),
    ]


def _full_year(text: str | None) -> int | None:
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    y = int(digits)
    return y + 2000 if y < 100 else y


def _cn_delta(m, unit: str | None = None, sign: int = 1):
    amount_text = m[1]
    unit = unit or m[3]
    n = 0.5 if amount_text == "半" else _int(amount_text)
    if n is None:
        return None
    if unit in ("天", "日"):
        return dict(kind="delta", days=sign * int(n))
    if unit in ("周", "星期", "礼拜"):
        return dict(kind="delta", days=sign * int(n * 7))
    if unit in ("月", "个月"):
        return dict(kind="delta", days=sign * 15) if n == 0.5 else dict(kind="delta", months=sign * int(n))
    return dict(kind="delta", months=sign * 12 * int(n))


def _en_delta(m, sign: int = 1):
    n = number(m[1])
    if n is None:
        return None
    n = int(n)
    return {"day": dict(kind="delta", days=sign * n), "week": dict(kind="delta", days=sign * 7 * n),
            "month": dict(kind="delta", months=sign * n)}[m[2]]


def _slash_date(m):
    """3/12 is March 12; 14/12 (a first number that cannot be a month) is 14 December."""
    first, second = int(m[1]), int(m[2])
    if first > 12 >= second:
        first, second = second, first
    return dict(kind="month_day", month=first, day=second, year=_full_year(m[3]))


def _en_weekday(m):
    prefix = (m[1] or "").strip()
    week = {"this": 0, "next": 1, "last": -1, "past": -1, "coming": "coming", "this coming": "coming"}.get(prefix)
    return dict(kind="weekday", weekday=_WEEKDAY_EN[m[2]], week=week)


_COMPILED = [(re.compile(p, re.ASCII), build) for p, build in _rules()]


def find_dates(low: str, blocked: list[Span] = ()) -> list[DateMention]:
    """Every date expression in `low` (lower-cased message text), left to right, not overlapping
    each other or the `blocked` spans (amounts, quote ids)."""
    found: list[tuple[int, int, int, dict]] = []
    for rank, (rx, build) in enumerate(_COMPILED):
        for m in rx.finditer(low):
            if m.end() == m.start():
                continue
            fields = build(m)
            if fields is None or not _valid(fields):
                continue
            start, end = m.start(), m.end()
            while start < end and low[start].isspace():  # an optional prefix left its space: 本周小结; 周二…
                start += 1
            while end > start and low[end - 1].isspace():
                end -= 1
            found.append((start, end, rank, fields))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2]))
    taken: list[DateMention] = []
    for start, end, _rank, fields in found:
        span = Span(start, end)
        if any(span.overlaps(t.span) for t in taken) or any(span.overlaps(b) for b in blocked):
            continue
        deadline = fields["kind"] != "delta" and bool(
            _DEADLINE_BEFORE.search(low, max(0, start - 24), start) or _DEADLINE_AFTER.match(low, end)
            or re.search(r"(?:之前|以前|前)$", low[start:end]))
        taken.append(DateMention(start, end, **fields, deadline=deadline))
    taken.sort(key=lambda d: d.start)
    return taken


def _valid(f: dict) -> bool:
    month, day = f.get("month"), f.get("day", 1)
    if month is not None and not 1 <= month <= 12:
        return False
    if f["kind"] == "month_day" and not (day and 1 <= day <= 31):
        return False
    return True


# --- resolution -----------------------------------------------------------------------------


def resolve(m: DateMention, today: date, field: Field) -> date | None:
    """The day `m` means for `field`, seen from `today`; None when it names no single day."""
    future = field != "occurred_on"
    k = m.kind
    if k == "day":
        return today + timedelta(days=m.days)
    if k == "delta":
        if m.months:
            return _add_months(today, m.months)
        return today + timedelta(days=m.days)
    if k == "weekday":
        return _weekday(m, today, future) + timedelta(days=m.days)  # days: a week from Friday
    if k == "week":
        if not isinstance(m.week, int) or m.week <= 0:
            return None
        return today - timedelta(days=today.weekday()) + timedelta(weeks=m.week)
    if k == "month_day":
        return _month_day(m, today, future)
    if k == "month_end":
        if m.month is not None:
            year = today.year + (m.years or 0)
            candidate = _last_day(year, m.month)
            if m.years is None and future and candidate < today:
                candidate = _last_day(year + 1, m.month)
            if m.years is None and not future and candidate > today:
                candidate = _last_day(year - 1, m.month)
            return candidate
        first = _add_months(today.replace(day=1), m.months or 0)
        return _last_day(first.year, first.month)
    if k == "month_start":
        if m.months is None:
            candidate = today.replace(day=m.day)
            if future and candidate < today:
                candidate = _add_months(candidate, 1)
            return candidate
        return _add_months(today.replace(day=1), m.months).replace(day=m.day)
    if k == "year_end":
        return date(today.year + (m.years or 0), 12, 31)
    if k == "quarter":
        return _quarter_end(m, today, future)
    if k == "month":
        if field == "occurred_on":
            return None
        if m.month is not None:
            year = today.year if m.month >= today.month else today.year + 1
            first = date(year, m.month, 1)
        else:
            first = _add_months(today.replace(day=1), m.months or 0)
        if field == "expected_close":
            return _last_day(first.year, first.month)
        return max(first, today) if first.month == today.month and first.year == today.year else first
    return None


def _weekday(m: DateMention, today: date, future: bool) -> date:
    monday = today - timedelta(days=today.weekday())
    if m.week is None or m.week == "coming":
        diff = m.weekday - today.weekday()
        if future or m.week == "coming":
            return today + timedelta(days=diff if diff > 0 else diff + 7)
        return today + timedelta(days=diff if diff <= 0 else diff - 7)
    return monday + timedelta(weeks=int(m.week), days=m.weekday)


def _month_day(m: DateMention, today: date, future: bool) -> date | None:
    if m.month is None:
        if m.months is not None:
            first = _add_months(today.replace(day=1), m.months)
            return _safe(first.year, first.month, m.day)
        options = [_safe(d.year, d.month, m.day) for d in
                   (_add_months(today.replace(day=1), k) for k in (-1, 0, 1))]
    elif m.year is not None:
        return _safe(m.year, m.month, m.day)
    elif m.years is not None:
        return _safe(today.year + m.years, m.month, m.day)
    else:
        options = [_safe(today.year + k, m.month, m.day) for k in (-1, 0, 1)]
    options = [d for d in options if d is not None]
    if future:
        ahead = [d for d in options if d >= today]
        return min(ahead) if ahead else None
    behind = [d for d in options if d <= today]
    return max(behind) if behind else None


def _quarter_end(m: DateMention, today: date, future: bool) -> date:
    current = (today.month - 1) // 3 + 1
    if m.quarter is None:
        index = today.year * 4 + current - 1 + (m.quarters or 0)
        year, q = divmod(index, 4)
        return _last_day(year, (q + 1) * 3)
    if m.year is not None:
        return _last_day(m.year, m.quarter * 3)
    if m.years is not None:
        return _last_day(today.year + m.years, m.quarter * 3)
    end = _last_day(today.year, m.quarter * 3)
    if future and end < today:
        end = _last_day(today.year + 1, m.quarter * 3)
    if not future and end > today:
        end = _last_day(today.year - 1, m.quarter * 3)
    return end


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, min(d.day, calendar.monthrange(year, month0 + 1)[1]))


# --- times of day ---------------------------------------------------------------------------

_PM = {"下午", "午后", "傍晚", "晚上", "晚", "夜里", "今晚", "明晚", "昨晚", "pm", "p.m.", "tonight",
       "this evening", "in the evening", "evening", "in the afternoon", "this afternoon", "at night"}
_AM = {"凌晨", "早上", "早晨", "清晨", "一早", "上午", "早", "今早", "明早", "今晨", "am", "a.m.",
       "in the morning", "this morning", "morning"}
_PART_DEFAULT = {"凌晨": 6, "早上": 9, "早晨": 9, "清晨": 8, "一早": 9, "上午": 9, "今早": 9, "明早": 9,
                 "今晨": 9, "中午": 12, "午饭": 12, "午后": 14, "下午": 14, "傍晚": 18, "晚上": 20,
                 "今晚": 20, "明晚": 20, "夜里": 21, "noon": 12, "midday": 12, "lunchtime": 12,
                 "midnight": 0, "tonight": 20, "this evening": 19, "this afternoon": 14, "morning": 9,
                 "afternoon": 14, "evening": 19,
                 "this morning": 9, "in the morning": 9, "in the afternoon": 14,
                 "in the evening": 19, "first thing": 9, "end of day": 17, "end of the day": 17, "eod": 17, "cob": 17}
_PART_CN = "凌晨|早上|早晨|清晨|一早|上午|中午|午后|下午|傍晚|晚上|夜里|今早|今晚|明早|明晚|今晨|昨晚|早|晚"
_MIN_CN = r"半|一刻|三刻|\d{1,2}|[零一二三四五六七八九十]{1,3}"
_HOUR_EN = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12}
_HOUR_WORD = r"1[0-2]|0?[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_PART_EN = (r"a\.m\.|p\.m\.|am|pm|in the morning|in the afternoon|in the evening|at night|tonight|this morning|"
            r"this afternoon|this evening")
_MINUTES_EN = {"half": 30, "a half": 30, "a quarter": 15, "quarter": 15, "three quarters": 45}
_TIME_RULES = [
    # half past three, a quarter to 5 pm, 20 minutes past 4, ten to six in the evening
    (re.compile(rf"(?:\bat\s+|@\s*)?\b(half|a quarter|quarter|three quarters|\d{{1,2}}|five|ten|twenty|twenty[- ]five)"
                rf"(?:\s+min(?:ute)?s?)?\s+(past|after|to|till|before)\s+({_HOUR_WORD})\b(?:\s*o'?clock)?(?:\s*({_PART_EN})(?![a-z]))?",
                re.ASCII), "en_clock"),
    # half three (British: 3:30)
    (re.compile(rf"(?:\bat\s+)?\bhalf\s+({_HOUR_WORD})\b(?!\s*(?:hours?|hrs?|days?|weeks?|months?|years?|of|[%k万]|million))"
                rf"(?:\s*({_PART_EN})(?![a-z]))?", re.ASCII), "en_half"),
    # three thirty pm, four o'clock, eleven am
    (re.compile(rf"(?:\bat\s+|@\s*)?\b({_HOUR_WORD})(?:\s+(fifteen|thirty|forty[- ]five))?\s*(?:o'?clock\s*)?({_PART_EN})(?![a-z])|"
                rf"(?:\bat\s+|@\s*)?\b({_HOUR_WORD})\s*o'?clock\b", re.ASCII), "en_words"),
    # 差一刻5点, 五点差十分
    (re.compile(rf"({_PART_CN})?\s*差\s*(一刻|\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*分?钟?\s*(\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})\s*点|"
                rf"({_PART_CN})?\s*(\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})\s*点\s*差\s*(一刻|\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*分?钟?",
                re.ASCII), "cn_to"),
    (re.compile(rf"({_PART_CN})?\s*(\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})\s*(?:点钟|点|时)\s*(?:({_MIN_CN})\s*分?)?(?![\d万亿千百折%倍])", re.ASCII), "cn"),
    (re.compile(rf"(?:\bat\s+|@\s*)?({_PART_CN})?\s*(?<![\d:])(\d{{1,2}}):(\d{{2}})(?![\d:])\s*(a\.m\.|p\.m\.|am|pm)?", re.ASCII), "colon"),
    (re.compile(r"(?:\bat\s+|@\s*)?\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.m\.|p\.m\.|am|pm)(?![a-z])", re.ASCII), "ampm"),
    (re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s+(tonight|this evening|in the evening|in the morning|this morning|in the afternoon|this afternoon)\b", re.ASCII), "part_after"),
    (re.compile(r"\b(\d{1,2})\s*o'?clock\b", re.ASCII), "bare"),
    (re.compile(r"\bat\s+(\d{1,2})(?::(\d{2}))?\b(?!\s*(?:%|percent|k\b|m\b|days?|weeks?|months?|[/.,]\d))", re.ASCII), "bare"),
    (re.compile(r"(?:\bat\s+)?\b(first thing|noon|midday|lunchtime|midnight|tonight|this evening|this afternoon|this morning|end of (?:the )?day|eod|cob|"
                r"morning|afternoon|evening)\b", re.ASCII), "part"),
    (re.compile(rf"({_PART_CN[:-4]}|中午|午饭)", re.ASCII), "part"),
]


# words without which a rule cannot match: skip its scan (the clock-word rules are slow to fail)
_NEEDS = {"en_clock": re.compile(r"\b(?:past|after|to|till|before)\b", re.ASCII),
          "en_words": re.compile(r"o'?clock|[ap]\.?m\b|morning|afternoon|evening|night", re.ASCII),
          "cn_to": re.compile("差"), "en_half": re.compile(r"\bhalf\b", re.ASCII)}


def find_times(low: str, blocked: list[Span] = ()) -> list[TimeMention]:
    """Times of day, left to right; a part of day alone (上午, tonight) gives its usual hour."""
    found: list[TimeMention] = []
    for rx, kind in _TIME_RULES:
        if kind in _NEEDS and not _NEEDS[kind].search(low):
            continue
        for m in rx.finditer(low):
            t = _time(m, kind)
            if t is None:
                continue
            start, end = t.start, t.end
            while start < end and low[start].isspace():
                start += 1
            while end > start and low[end - 1].isspace():
                end -= 1
            t = replace(t, start=start, end=end)
            span = t.span
            if any(span.overlaps(x.span) for x in found) or any(span.overlaps(b) for b in blocked):
                continue
            found.append(t)
    found.sort(key=lambda t: t.start)
    return found


def _time(m, kind: str) -> TimeMention | None:
    if kind == "en_half":
        hour = _HOUR_EN.get(m[1]) or _int(m[1])
        return None if not hour else TimeMention(m.start(), m.end(), _clock_hour(hour, m[2]), 30)
    if kind in ("en_clock", "en_words", "cn_to"):
        return _clock_words(m, kind)
    if kind == "part":
        hour = _PART_DEFAULT.get(m[1])
        return None if hour is None else TimeMention(m.start(), m.end(), hour, 0, exact=False)
    if kind == "cn":
        part, hour, minute = m[1], _int(m[2]), _cn_minute(m[3])
    elif kind == "colon":
        part, hour, minute = m[1] or m[4], int(m[2]), int(m[3])
    elif kind in ("ampm", "part_after"):
        part, hour, minute = m[3], int(m[1]), int(m[2] or 0)
    else:
        part, hour, minute = None, int(m[1]), int(m[2] or 0) if m.lastindex and m.lastindex >= 2 else 0
    if hour is None or minute is None or hour > 24 or minute > 59:
        return None
    return TimeMention(m.start(), m.end(), _clock_hour(hour, part), minute)


def _clock_words(m, kind: str) -> TimeMention | None:
    """Clock times said in words: half past three, a quarter to 5, three thirty pm, 差一刻5点."""
    if kind == "en_clock":
        words, direction, hour_text, part = m[1], m[2], m[3], m[4]
        minutes = _MINUTES_EN.get(words) or _int(words.replace("-", " ").replace("twenty five", "25"))
    elif kind == "en_words":
        hour_text, part = (m[1], m[3]) if m[1] else (m[4], None)
        minutes = {"fifteen": 15, "thirty": 30}.get(m[2] or "", 45 if m[2] else 0)
        direction = "past"
    else:
        part, to_text, hour_text = (m[1], m[2], m[3]) if m[3] else (m[4], m[6], m[5])
        minutes, direction = (15 if to_text == "一刻" else _int(to_text)), "to"
    hour = _HOUR_EN.get(hour_text) or _int(hour_text)
    if hour is None or minutes is None or not 0 <= minutes < 60 or not 0 <= hour <= 12:
        return None
    if direction in ("to", "till", "before"):
        hour, minutes = (hour - 1) % 12 or 12, 60 - minutes if minutes else 0
        if minutes == 60:
            minutes = 0
    return TimeMention(m.start(), m.end(), _clock_hour(hour, part), minutes)


def _cn_minute(text: str | None) -> int | None:
    if not text:
        return 0
    return {"半": 30, "一刻": 15, "三刻": 45}.get(text) or _int(text)


def _clock_hour(hour: int, part: str | None) -> int:
    part = (part or "").strip()
    if part in _PM:
        return hour + 12 if hour < 12 else hour
    if part == "中午":
        return hour + 12 if 1 <= hour <= 3 else hour
    if part in _AM:
        return 0 if hour == 12 and part in ("am", "a.m.") else hour
    if 1 <= hour <= 6:  # a bare "3点" / "at 3" in office talk is the afternoon
        return hour + 12
    return hour


# --- report periods -------------------------------------------------------------------------

_PERIODS = [
    ("today", r"今天|今日|今儿|today"),
    ("this_week", r"本周|这周|这个?星期|本星期|这个?礼拜|this week|this wk"),
    ("last_week", r"上周|上个?星期|上个?礼拜|last week|past week"),
    ("next_week", r"下周|下个?星期|下个?礼拜|next week"),
    ("this_month", r"本月|这个?月|当月|this month|mtd|month to date|for the month\b"),
    ("last_month", r"上个?月|last month|past month"),
    ("this_quarter", r"本季度?|这个?季度|当季|this quarter|this qtr|qtd|quarter to date|for the quarter\b"),
    ("last_quarter", r"上个?季度|上季|last quarter|last qtr|previous quarter"),
    ("this_year", r"今年|本年度?|全年|this year|ytd|year to date|for the year\b|\byear[- ]end\b|\bfull[- ]year\b"),
]
_PERIOD_RX = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PERIODS), re.ASCII)


def find_period(low: str) -> str | None:
    """The first report period named in `low`, as CONTRACT.md's enum."""
    m = _PERIOD_RX.search(low)
    return m.lastgroup if m else None


def find_periods(low: str) -> list[tuple[int, str]]:
    """(position, period) of every report period named in `low`."""
    return [(m.start(), m.lastgroup) for m in _PERIOD_RX.finditer(low)]
