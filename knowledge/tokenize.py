"""BM25 tokens: jieba's search-mode words for Chinese, lower-cased words for Latin script.

Search mode also emits the short words inside long ones (销售数据平台 → 销售, 数据, 平台, 销售数据平台),
so a question that names part of a compound still meets it. English words lose a plural ending;
stop words of both languages are dropped, and the many ways reps say a deal was won or lost
(拿下, 丢掉, signed, lose...) become one word each. The same function tokenizes documents and
queries, so both sides meet on the same words.
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

_WORD = re.compile(r"[0-9a-z\u3400-\u9fff]+(?:[.'’][0-9a-z]+)*")
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
STOP_WORDS = frozenset(
    "a an the of to in on at for with and or but is are was were be been its this that these those "
    "we our us they them their he she his her you your i my me as by from about into after before than "
    "so if not no do does did has have had will would can could should there here what which who whom "
    "how when where why all any some more most other such only own same too very just also up out "
    "的 了 和 与 及 是 在 有 也 都 就 还 又 把 被 让 给 对 从 到 这 那 这个 那个 我们 他们 你们 它 "
    "一个 一些 什么 怎么 怎样 如何 哪些 哪个 吗 呢 吧 啊 呀 之 而 并 或 等 其 中 上 下 "
    "下来 起来 出来 过来 下去 一下 并且 而且 但是 但 因为 所以 如果 虽然 然后 还是 最后 后来 已经 "
    "可以 需要 进行 之后 以后 以前 之前 时候 为什么 这样 那样 做 做了 才 很 再 过".split()
)
# A negation binds to the word after it: 没通过 must not match a question about 通过.
NEGATIONS = frozenset("没 没有 未 不 无".split())
SAME_AS = {
    **dict.fromkeys(("赢", "赢下", "赢了", "拿下", "成交", "签单", "中标", "签了"), "赢单"),
    **dict.fromkeys(("输", "输掉", "输了", "丢单", "丢掉", "丢了", "失单", "落选"), "输单"),
    **dict.fromkeys(("win", "wins", "winning", "closed-won"), "won"),
    **dict.fromkeys(("lose", "loses", "losing", "loss", "closed-lost"), "lost"),
}
_lock = threading.Lock()
_jieba = None


def _segmenter():
    global _jieba
    with _lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba


def tokens(text: str) -> list[str]:
    """The BM25 tokens of `text`, in order, repeats kept (term frequency counts)."""
    out: list[str] = []
    for chunk in _WORD.findall(text.casefold()):
        if _HAS_CJK.search(chunk):
            out.extend(_cjk_tokens(chunk))
        elif chunk not in STOP_WORDS:
            out.append(_stem(chunk))
    return [SAME_AS.get(t, t) for t in out]


@lru_cache(maxsize=65536)
def _cjk_tokens(chunk: str) -> tuple[str, ...]:
    """jieba's words of one run of Chinese (cached: a deal document repeats its visits' notes,
    and notes repeat phrases, so each run is segmented once)."""
    out: list[str] = []
    negated = False
    for word in _segmenter().cut_for_search(chunk):
        if word in NEGATIONS:
            negated = True
            continue
        if word not in STOP_WORDS and _WORD.fullmatch(word):
            parts = _split_mixed(word)
            if negated and parts:
                parts[0] = "没" + parts[0]
            out.extend(parts)
        negated = False
    return tuple(out)


def _split_mixed(word: str) -> list[str]:
    """jieba keeps 'poc启动' together; split Latin runs off so 'poc' matches either way."""
    parts = re.findall(r"[0-9a-z]+|[\u3400-\u9fff]+", word)
    return [_stem(p) if p.isascii() else p for p in parts if p not in STOP_WORDS]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
