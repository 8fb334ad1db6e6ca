"""What the intent classifier reads: a message with its values masked, as character n-grams and
dictionary words.

Names, dates, times, amounts and discounts are replaced by one placeholder character each (`mask`;
a date says whether it lies before today, after it, or either)
so that the model learns how requests are phrased, not which customers the training data named.
`analyze` turns the masked text into features: character 1–3-grams and the words of a greedy
longest-match segmentation over jieba's dictionary (words of up to three characters, the same
table `wordfreq` reads: no jieba start-up cost), plus English words. Training and inference call
the same function, so they can never disagree about a feature.
"""
from __future__ import annotations

import re

MARKS = {"account": "Ⓐ", "contact": "Ⓒ", "user": "Ⓤ", "opportunity": "Ⓞ", "date": "Ⓓ", "past": "Ⓔ",
         "future": "Ⓕ", "time": "Ⓣ",
         "money": "Ⓜ", "discount": "Ⓟ", "number": "Ⓝ"}
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SPACES = re.compile(r"\s+")
_EN_WORD = re.compile(r"[a-z][a-z'\-]*|[ⒶⒸⓊⓄⒹⒺⒻⓉⓂⓅⓃ]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def mask(low: str, spans: list[tuple[int, int, str]]) -> str:
    """`low` with each (start, end, kind) span replaced by its placeholder; earlier spans win
    overlaps. Remaining digit runs become Ⓝ."""
    out: list[str] = []
    pos = 0
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < pos:
            continue
        out.append(low[pos:start])
        out.append(" " + MARKS[kind] + " ")
        pos = end
    out.append(low[pos:])
    text = _DIGITS.sub(" " + MARKS["number"] + " ", "".join(out))
    return _SPACES.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Greedy longest-match words of each Chinese run (dictionary words of up to three characters,
    else single characters) and the English words, in order."""
    from intents.rules.wordfreq import frequencies  # a leaf module; imported here, the rules package imports us

    freq = frequencies()
    out: list[str] = []
    for m in re.finditer(r"[\u4e00-\u9fff]+|[a-z][a-z'\-]*|[ⒶⒸⓊⓄⒹⒺⒻⓉⓂⓅⓃ]", text):
        run = m.group()
        if not _CJK_RUN.match(run):
            out.append(run)
            continue
        i = 0
        while i < len(run):
            for size in (3, 2, 1):
                piece = run[i:i + size]
                if len(piece) == size and (size == 1 or piece in freq):
                    out.append(piece)
                    i += size
                    break
    return out


def analyze(text: str) -> list[str]:
    """Features of a masked message: `c:` character 1–3-grams (spaces squeezed), `w:` words and
    `b:` word bigrams."""
    feats: list[str] = []
    compact = text.replace(" ", "_")
    for n in (1, 2, 3):
        feats.extend("c:" + compact[i:i + n] for i in range(len(compact) - n + 1)
                     if not (n == 1 and compact[i] == "_"))
    ws = words(text)
    feats.extend("w:" + w for w in ws)
    feats.extend(f"b:{a}|{b}" for a, b in zip(ws, ws[1:]))
    return feats
