"""Spelling the rules do not need to know about: Traditional characters and sales shorthand.

`to_simplified` maps Traditional Chinese to Simplified with OpenCC (下週三 → 下周三, 報價 → 报价),
one character for one, so that every offset into the result is an offset into the input and the
words the user wrote are still cut from the input. `expand` rewrites English shorthand to the
words the rules read (w/ → with, mtg → meeting, 2day → today, this am → this morning), keeping for
each output character the input index it came from.
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
    """`text` with shorthand written out, and the input index of every output character."""
    if not _LOOKS_SHORT.search(text):
        return text, origin
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _matches(text):
        if m.start() < pos or m.end() == m.start():
            continue
        out.append(text[pos:m.start()])
        where.extend(origin[pos:m.start()])
        word = _SHORTHAND[int(m.lastgroup[1:])][1]
        if m.group()[:1].isupper():
            word = word[:1].upper() + word[1:]
        if word.startswith(" ") and out and out[-1].endswith(" "):
            word = word.lstrip()
        if word.endswith(" ") and text[m.end():m.end() + 1] == " ":
            word = word.rstrip()
        out.append(word)
        span = origin[m.start():m.end()]
        where.extend(span[min(k * len(span) // len(word), len(span) - 1)] for k in range(len(word)))
        pos = m.end()
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
