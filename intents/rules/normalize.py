"""Spelling the rules do not need to know about: Traditional characters and sales shorthand.

`to_simplified` maps Traditional Chinese to Simplified with OpenCC (下週三 → 下周三, 報價 → 报价),
one character for one, so that every offset into the result is an offset into the input and the
words the user wrote are still cut from the input. `expand` rewrites English shorthand to the
words the rules read (w/ → with, mtg → meeting, 2day → today, this am → this morning) and corrects
misspelt cue words (contract reveiw, negotation, tommorow), keeping for each output character the
input index it came from.
"""
from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=1)
def _converter():
    import opencc  # a C extension with its dictionaries inside the wheel: no files, no network

    return opencc.OpenCC("t2s.json")


_DIALECT = str.maketrans({"俺": "我"})  # 提醒俺…: northern speech, one character for one
# the pinyin input method's slips on the words the rules key on (same sound, same length)
# (only slips that are no word themselves: 在联系 and 签月 are real phrases, so they stay)
_HOMOPHONES = {"根进": "跟进", "更进一下": "跟进一下", "题醒": "提醒", "提星": "提醒", "拜仿": "拜访", "拜方": "拜访",
               "谈盼": "谈判", "谈叛": "谈判", "报介": "报价", "回仿": "回访", "丢丹": "丢单"}
_HOMOPHONE_RX = re.compile("|".join(sorted(_HOMOPHONES, key=len, reverse=True)))


def to_simplified(text: str) -> str:
    """`text` with Traditional characters made Simplified, of the same length: each run of Han
    characters is converted as a phrase, or character by character if that would change its length.
    A dialect 俺 becomes 我, and an input-method slip on a cue word (根进, 题醒, 拜仿) the word meant."""
    if not _HAN.search(text):
        return text
    try:
        converted = _converter().convert(text)  # one call for the whole text, the usual case
    except UnicodeError:  # a lone surrogate: convert the Han runs only
        converted = ""
    if len(converted) != len(text):
        converted = _HAN_RUN.sub(_simplify_run, text)
    converted = converted.translate(_DIALECT)
    return _HOMOPHONE_RX.sub(lambda m: _HOMOPHONES[m.group()], converted) if _HOMOPHONE_RX.search(converted) else converted


def _simplify_run(m: re.Match) -> str:
    convert = _converter().convert
    run = m.group()
    converted = convert(run)
    if len(converted) == len(run):
        return converted
    return "".join(s if len(s := convert(c)) == 1 else c for c in run)


# word (as a case-insensitive regex) → what the rules read; each a whole word of the input
_SHORTHAND = [
    (r"w/o\b", "without"),
    (r"\bw/(?=\s|[a-z]{2})", "with "),
    (r"(?<![\w.])@(?=\s*[a-z0-9])", " at "),
    (r"(?<![\w'])re:\s*|(?<![\w'])re\s+(?=[a-z])", "about "),
    (r"\bmtgs\b", "meetings"), (r"\bmtg\b", "meeting"),
    (r"\baccts\b", "accounts"), (r"\bacct\b", "account"),
    (r"\bpls\b|\bplz\b", "please"),
    (r"\bthru\b", "through"),
    (r"\b2day\b|\btdy\b", "today"),
    (r"\b2mor+o?w?\b|\btmw\b", "tomorrow"),
    (r"\byest\b", "yesterday"),
    (r"\bnxt\b", "next"),
    (r"\bwks\b", "weeks"), (r"\bwk\b", "week"),
    (r"\bthis am\b", "this morning"), (r"\bthis pm\b", "this afternoon"),
    (r"\b(?:tomorrow|tmrw|tmr) am\b", "tomorrow morning"),
    (r"\bph(?=\s+(?:call|convo|chat)\b)", "phone"),
    (r"\bvid(?=\s+(?:call|chat|mtg|meeting)\b)", "video"),
    (r"\bf/u\b|\bfu\b(?=\s+(?:with|w/|on|re)\b)", "follow up"),
    (r"\bconvo\b", "conversation"),
    (r"\bdemo'?d\b", "demoed"),
    (r"\bb4\b", "before"),
    (r"\bmgr\b", "manager"),
    (r"\b(?:vistied|visted|visitted|vsited|viisted)\b", "visited"),
    (r"\bcal+ed\b", "called"),
]
_SHORTHAND_RX = re.compile("|".join(f"(?P<s{i}>{rx})" for i, (rx, _) in enumerate(_SHORTHAND)), re.IGNORECASE)
_LOOKS_SHORT = re.compile(r"[@/]|\b(?:mtgs?|accts?|pls|plz|thru|2day|tdy|2mor+o?w?|tmw|yest|nxt|wks?|am|pm|ph|vid|fu|convo|"
                          r"demo'?d|b4|mgr|vistied|visted|visitted|vsited|viisted|cal+ed|re)\b", re.IGNORECASE)


def expand(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """`text` with shorthand written out and misspelt cue words corrected (`respell`), and the
    input index of every output character."""
    if _LOOKS_SHORT.search(text):
        text, origin = _rewrite(text, origin, ((m.start(), m.end(), _SHORTHAND[int(m.lastgroup[1:])][1]) for m in _matches(text)))
    return respell(text, origin)


# the English words the rules key on, which a hurried thumb misspells (contract reveiw, negotation,
# tommorow): a word of the text that is one of these with two neighbouring letters swapped, one
# letter left out or one doubled is read as the word; words that are real words themselves stay
_CUE_WORDS = (
    "review", "reviewing", "reviewed", "contract", "contracts", "negotiation", "negotiations", "negotiating", "negotiate",
    "evaluation", "evaluating", "proposal", "pricing", "approved", "approve", "approval", "approvals", "rejected",
    "reject", "remind", "reminder", "reminders", "meeting", "meetings", "visited", "signed", "tomorrow", "yesterday",
    "follow", "pipeline", "discount", "quote", "quotes", "procurement", "renewal", "account", "accounts", "overview",
    "pending", "quarter", "forecast", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "september", "october", "november", "december", "customer", "customers", "schedule",
)
_REAL_WORDS = {"contact", "contacts", "contrast", "reviw", "singed", "trail", "quoet", "meting", "fallow", "remand",
               "accounts", "signde", "pricking", "prices", "approver", "quota", "customs"}


def _misspellings() -> dict[str, str]:
    out: dict[str, str] = {}
    for word in _CUE_WORDS:
        typos = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
        if len(word) >= 6:
            typos |= {word[:i] + word[i + 1:] for i in range(1, len(word))}  # one left out (not the first)
            typos |= {word[:i] + word[i] + word[i:] for i in range(1, len(word))}  # one doubled
        for typo in typos:
            if typo != word and typo not in _REAL_WORDS and typo not in _CUE_WORDS:
                out.setdefault(typo, word)
    return out


_MISSPELT = _misspellings()
_LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]{5,}(?![A-Za-z])")


def respell(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """`text` with misspelt cue words (reveiw, negotation) written as the word meant."""
    fixes = [(m.start(), m.end(), _MISSPELT[m.group().lower()]) for m in _LATIN_WORD.finditer(text)
             if m.group().lower() in _MISSPELT]
    return _rewrite(text, origin, fixes) if fixes else (text, origin)


def _rewrite(text: str, origin: list[int], replacements) -> tuple[str, list[int]]:
    """`text` with each (start, end, word) replaced, in order and not overlapping, keeping the input
    index of every output character."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for start, end, word in replacements:
        if start < pos or end == start:
            continue
        out.append(text[pos:start])
        where.extend(origin[pos:start])
        if text[start:start + 1].isupper():
            word = word[:1].upper() + word[1:]
        if word.startswith(" ") and out and out[-1].endswith(" "):
            word = word.lstrip()
        if word.endswith(" ") and text[end:end + 1] == " ":
            word = word.rstrip()
        out.append(word)
        span = origin[start:end]
        where.extend(span[min(k * len(span) // len(word), len(span) - 1)] for k in range(len(word)))
        pos = end
    out.append(text[pos:])
    where.extend(origin[pos:])
    return "".join(out), where


def _matches(text: str):
    """The shorthand matches, looked for only around the words that may start one (the full pattern
    is slow to scan a whole message with)."""
    pos = 0
    while (hint := _LOOKS_SHORT.search(text, pos)) is not None:
        m = _SHORTHAND_RX.search(text, max(pos, hint.start() - 9), min(len(text), hint.end() + 12))
        if m is None or m.start() > hint.start():
            pos = hint.end()
            continue
        yield m
        pos = max(m.end(), hint.end())
