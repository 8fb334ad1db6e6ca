"""Message text as the rules see it: normalised, lower-cased in place, cut into sentences and clauses.

`Message.text` is the NFKC form of the input (full-width digits and punctuation become ASCII, so one
pattern serves both), with control characters blanked and runs of spaces collapsed; `Message.low` is
the same string lower-cased character by character, so an offset found in one is valid in the other.
Every span the engine keeps is a pair of offsets into these strings.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from intents.rules.normalize import expand, to_simplified

MAX_CHARS = 4000  # longer input is cut: a chat message is never this long, a paste of a file is

_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060\ufeff\ud800-\udfff]")
_WIDE_BREAKS = {"，": ", ", "；": "; "}
_SENTENCE_END = re.compile(r"[。!?\n]+|\.(?=\s|$)")
_ABBREVIATIONS = {"dr", "mr", "mrs", "ms", "st", "vs", "etc", "inc", "corp", "co", "ltd", "no", "jr",
                  "sr", "e.g", "i.e", "approx", "est", "dept", "prof"}
# a space between two Chinese characters is a comma typed without one (去青松 赵主任 孙工都在)
_CLAUSE_BREAK = re.compile(r"[,;]|:(?!\d)|(?<=\s)[-–—]+(?=\s)|\s(?=then\b)|(?=另外|然后|接着|之后又)|"
                           r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_TRIM = " \t\n,.:;!?~、。-–—\"'()[]{}<>《》“”‘’…·*_，：；！？（）【】「」～"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[a-z0-9]")


class Span(NamedTuple):
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Message:
    raw: str
    text: str
    low: str
    origin: list[int] = field(default_factory=list)  # text index → raw index
    sentences: list[Span] = field(default_factory=list)
    clauses: list[Span] = field(default_factory=list)

    @property
    def chinese(self) -> bool:
        """Whether the message is (mostly) Chinese: decides e.g. that 万 means CNY."""
        return CJK.search(self.text) is not None

    def asked(self, sentence: Span) -> bool:
        """Whether `sentence` ends with a question mark (the mark ends it, so it lies just outside)."""
        return self.low[sentence.end:sentence.end + 1] in ("?", "？") or \
            self.low[max(sentence.start, sentence.end - 1):sentence.end] in ("?", "？")

    def sentence_of(self, pos: int) -> int:
        """The sentence holding `pos` (a separator belongs to the sentence before it)."""
        return max(0, bisect_right(self._sentence_starts, pos) - 1)

    def clause_of(self, pos: int) -> int:
        """The clause holding `pos` (a separator belongs to the clause before it)."""
        return max(0, bisect_right(self._clause_starts, pos) - 1)

    def split_clause(self, pos: int) -> None:
        """Start a new clause at `pos` (a report and a request run together with no comma)."""
        ci = self.clause_of(pos)
        clause = self.clauses[ci]
        if not clause.start < pos < clause.end:
            return
        parts: list[Span] = []
        _add_span(parts, self.low, clause.start, pos)
        _add_span(parts, self.low, pos, clause.end)
        self.clauses[ci:ci + 1] = parts
        self.index()

    def index(self) -> None:
        self._sentence_starts = [s.start for s in self.sentences]
        self._clause_starts = [c.start for c in self.clauses]

    def original(self, start: int, end: int) -> str:
        """The input as the user wrote it between two offsets of `text`."""
        if start >= end or not self.origin:
            return ""
        return tidy(self.raw[self.origin[start]:self.origin[end - 1] + 1])


def prepare(raw: str) -> Message:
    """Normalise `raw` (Traditional characters made Simplified, shorthand written out) and split
    it; never fails, whatever the input."""
    text, origin = expand(*_normalise(to_simplified(str(raw)[: MAX_CHARS * 2])))
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    msg = Message(raw=str(raw), text=text, low=low, origin=origin)
    msg.sentences = _sentences(low)
    msg.clauses = [c for s in msg.sentences for c in _clauses(low, s)]
    msg.index()
    return msg


def _normalise(raw: str) -> tuple[str, list[int]]:
    """NFKC character by character, keeping for each output character the index of the input
    character it came from (free-text arguments are cut from the input as the user wrote it).
    A Chinese comma becomes ", " so that it never reads as a thousands separator (280,000，88折)."""
    out: list[str] = []
    origin: list[int] = []
    space = False
    for i, c in enumerate(raw):
        if c.isascii() and c.isprintable():
            piece = c
        elif c in _WIDE_BREAKS:
            piece = _WIDE_BREAKS[c]
        elif _INVISIBLE.match(c):
            piece = " "
        else:
            piece = unicodedata.normalize("NFKC", c)
        for p in piece:
            if p in " \t\r\f\v":
                if space:
                    continue
                p, space = " ", True
            else:
                space = False
            out.append(p)
            origin.append(i)
            if len(out) >= MAX_CHARS:
                return "".join(out), origin
    return "".join(out), origin


def tidy(text: str) -> str:
    return text.strip(_TRIM).strip()


def _sentences(low: str) -> list[Span]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(low):
        if m.group() == ".":
            word = re.search(r"(?<![a-z0-9_$])([a-z.]+)$", low[start:m.start()])
            before = word.group(1) if word else ""
            if before in _ABBREVIATIONS or len(before) == 1:
                continue
        _add_span(spans, low, start, m.start())
        start = m.end()
    _add_span(spans, low, start, len(low))
    return spans or [Span(0, len(low))]


def _clauses(low: str, sentence: Span) -> list[Span]:
    spans, start = [], sentence.start
    for m in _CLAUSE_BREAK.finditer(low, sentence.start, sentence.end):
        if m.group() == "," and _digit(low, m.start() - 1) and _digits_after(low, m.end()) == 3:
            continue  # 280,000
        _add_span(spans, low, start, m.start())
        start = m.end()
    _add_span(spans, low, start, sentence.end)
    return spans


def _digit(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isdigit()


def _digits_after(text: str, i: int) -> int:
    n = 0
    while i + n < len(text) and text[i + n].isdigit():
        n += 1
    return n


def _add_span(spans: list[Span], low: str, start: int, end: int) -> None:
    while start < end and low[start] in _TRIM:
        start += 1
    while end > start and low[end - 1] in _TRIM:
        end -= 1
    if end > start:
        spans.append(Span(start, end))
