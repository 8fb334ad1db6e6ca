"""Word error rate of transcripts against what was said, for measuring a model on a set of notes.

    word_error_rate([("what was said", "what the model wrote"), ...]) -> Wer(errors, words)

Both sides are normalised first so that spelling conventions are not counted as errors: case and
punctuation go, "$60,000", "60,000 dollars", "60 thousand dollars" and "60k dollars" all become
"60000 dollars", hyphens split words. Chinese has no spaces, so CJK text is scored by character
(the character error rate, the usual measure for it).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)(\s*(?:k|thousand|m|million)\b)?", re.I)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_SCALED = re.compile(r"(\d+(?:\.\d+)?)\s*(k|thousand|m|million)\b", re.I)
_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}
_CJK = "\u2e80-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:'[^\W_{_CJK}]+)?")


@dataclass(frozen=True)
class Wer:
    errors: int  # substitutions + deletions + insertions
    words: int  # in the references

    @property
    def rate(self) -> float:
        return self.errors / self.words if self.words else 0.0


def normalize(text: str) -> list[str]:
    """The words of `text` as WER compares them (CJK: one character a word)."""
    text = _THOUSANDS.sub("", text or "")
    text = _MONEY.sub(lambda m: f"{m.group(1)}{m.group(2) or ''} dollars", text)
    text = _SCALED.sub(lambda m: _scaled(m.group(1), m.group(2)), text)
    return [word.lower() for word in _WORD.findall(text.replace("-", " "))]


def word_error_rate(pairs: Iterable[tuple[str, str]]) -> Wer:
    """Summed edit distance over summed reference length, for (reference, hypothesis) pairs."""
    errors = words = 0
    for reference, hypothesis in pairs:
        ref, hyp = normalize(reference), normalize(hypothesis)
        errors += edit_distance(ref, hyp)
        words += len(ref)
    return Wer(errors, words)


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        current = [i]
        for j, other in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def _scaled(number: str, scale: str) -> str:
    value = float(number) * _SCALE[scale.lower()]
    return str(int(value)) if value == int(value) else str(value)
