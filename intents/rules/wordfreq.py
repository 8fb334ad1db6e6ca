"""Chinese word frequencies, for telling a name from the middle of another word.

A short name found inside Chinese text may be a coincidence: 周总 in 这周总结, 何总 in 如何总结,
明远 in 说明远程, 许工 in 允许工程师. `is_word_at` runs jieba's unigram model on a small window
around the match, with the name added as a word, and keeps the match only when the best
segmentation has it as one token. Frequencies come from jieba's own dictionary file, read once
(≈0.1 s, words of up to three characters) instead of building jieba's full prefix dictionary (≈0.5 s).
"""
from __future__ import annotations

import importlib.util
import math
import threading
from pathlib import Path

from intents.rules.text import CJK

_NAME_FREQ = 2_000  # a name weighs like a fairly common word: it beats chance splits, not real words
_MAX_WORD = 3
_lock = threading.Lock()
_freq: dict[str, int] | None = None
_log_total = math.log(60_101_967)  # the sum of frequencies in jieba's dict.txt


def _dictionary_path() -> Path | None:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "dict.txt"
    return path if path.exists() else None


def frequencies() -> dict[str, int]:
    """Word → frequency for the words of up to three characters in jieba's dictionary."""
    global _freq
    if _freq is None:
        with _lock:
            if _freq is None:
                table: dict[str, int] = {}
                path = _dictionary_path()
                if path is not None:
                    with path.open(encoding="utf-8") as fh:
                        for line in fh:
                            word, _, rest = line.partition(" ")
                            if len(word) <= _MAX_WORD:
                                count = int(rest.split(" ", 1)[0] or 0)
                                if count >= 10:
                                    table[word] = count
                _freq = table
    return _freq


def is_word_at(text: str, start: int, end: int, extra: frozenset[str] = frozenset()) -> bool:
    """Whether text[start:end] is one token of the likeliest segmentation of its Chinese run.
    `extra` are other names to treat as words too (a neighbouring name must not split this one)."""
    lo = start
    while lo > 0 and start - lo < 4 and CJK.match(text[lo - 1]):
        lo -= 1
    hi = end
    while hi < len(text) and hi - end < 4 and CJK.match(text[hi]):
        hi += 1
    if lo == start and hi == end:
        return True
    freq = frequencies()
    window = text[lo:hi]
    name = text[start:end]
    n = len(window)
    best = [0.0] + [-math.inf] * n  # best[i]: log-prob of the best split of window[:i]
    back = [0] * (n + 1)
    for i in range(1, n + 1):
        for j in range(max(0, i - max(_MAX_WORD, len(name))), i):
            piece = window[j:i]
            if piece == name or piece in extra:
                count = _NAME_FREQ
            else:
                count = freq.get(piece, 0)
                if count == 0:
                    if i - j > 1:
                        continue
                    count = 1
            score = best[j] + math.log(count) - _log_total
            if score > best[i]:
                best[i], back[i] = score, j
    i, cuts = n, set()
    while i > 0:
        cuts.add((back[i], i))
        i = back[i]
    return (start - lo, end - lo) in cuts
