"""BM25 over jieba tokens, kept in memory and updated in place.

Documents live in slots (`knowledge.index` gives each document one); the index keeps, per term,
the slots it occurs in and how often, each slot's length, and the live documents' total length.
Adding or removing a document touches only its own terms, so a write re-indexes one deal without
rebuilding anything; idf and the average length are read from the counts at query time, so
scores are exactly BM25's (Lucene's idf) over the documents present at that moment.
"""
from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

BM25_PARAMS = {"k1": 1.2, "b": 0.75}


class Bm25Index:
    def __init__(self, k1: float = BM25_PARAMS["k1"], b: float = BM25_PARAMS["b"]) -> None:
        self.k1, self.b = k1, b
        self._postings: dict[str, dict[int, int]] = {}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # term → (slots, tf), built on demand
        self._terms: dict[int, list[str]] = {}  # slot → its distinct terms
        self._length = np.zeros(0, dtype=np.float32)
        self._total = 0.0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._terms)

    def vocabulary(self) -> set[str]:
        return set(self._postings)

    def put(self, slot: int, tokens: Sequence[str]) -> None:
        """Index `tokens` in `slot`, replacing what the slot held."""
        with self._lock:
            self._remove(slot)
            self._put(slot, tokens, fresh=False)

    def put_many(self, items: Iterable[tuple[int, Sequence[str]]]) -> None:
        """Index many empty slots at once (loading an index: no slot held anything before)."""
        with self._lock:
            for slot, tokens in items:
                self._put(slot, tokens, fresh=True)

    def _put(self, slot: int, tokens: Sequence[str], *, fresh: bool) -> None:
        if slot >= len(self._length):
            grown = np.zeros(max(slot + 1, 2 * len(self._length), 64), dtype=np.float32)
            grown[: len(self._length)] = self._length
            self._length = grown
        counts = Counter(tokens)
        postings = self._postings
        for term, tf in counts.items():
            found = postings.get(term)
            if found is None:
                postings[term] = {slot: tf}
            else:
                found[slot] = tf
        if not fresh:
            for term in counts:
                self._arrays.pop(term, None)
        self._terms[slot] = list(counts)
        self._length[slot] = len(tokens)
        self._total += len(tokens)

    def remove(self, slot: int) -> None:
        with self._lock:
            self._remove(slot)

    def _remove(self, slot: int) -> None:
        terms = self._terms.pop(slot, None)
        if terms is None:
            return
        for term in terms:
            postings = self._postings.get(term)
            if postings is not None:
                postings.pop(slot, None)
                if not postings:
                    del self._postings[term]
            self._arrays.pop(term, None)
        self._total -= float(self._length[slot])
        self._length[slot] = 0

    def idf(self, term: str) -> float:
        """Lucene's idf of `term` here (a term in no document: as rare as can be)."""
        live = len(self._terms)
        df = len(self._postings.get(term, ()))
        return math.log(1 + (live - df + 0.5) / (df + 0.5))

    def scores(self, query_tokens: Iterable[str], size: int, extra_tokens: Iterable[str] = (),
               extra_weight: float = 1.0, reference: Bm25Index | None = None) -> np.ndarray | None:
        """BM25 score of every slot below `size` (None: no query word is in any document).
        `extra_tokens` (a query's expansion) score `extra_weight` times the query's own words.
        With a `reference` index, idf comes from it: a handful of sentences scored with the
        whole corpus's sense of which words are common."""
        with self._lock:
            live = len(self._terms)
            if not live:
                return None
            weighted = [(t, 1.0) for t in dict.fromkeys(query_tokens) if t in self._postings]
            weighted += [(t, extra_weight) for t in dict.fromkeys(extra_tokens)
                         if t in self._postings and all(t != w for w, _ in weighted)]
            if not weighted:
                return None
            avg = self._total / live if self._total else 1.0
            norm = self.k1 * (1 - self.b + self.b * self._length[:size] / avg)
            scores = np.zeros(size, dtype=np.float32)
            for term, weight in weighted:
                slots, tf = self._array(term)
                df = len(slots)
                idf = reference.idf(term) if reference is not None else math.log(1 + (live - df + 0.5) / (df + 0.5))
                keep = slots < size
                slots, tf = slots[keep], tf[keep]
                scores[slots] += weight * idf * tf * (self.k1 + 1) / (tf + norm[slots])
            return scores

    def _array(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        found = self._arrays.get(term)
        if found is None:
            postings = self._postings[term]
            found = (np.fromiter(postings.keys(), dtype=np.int64, count=len(postings)),
                     np.fromiter(postings.values(), dtype=np.float32, count=len(postings)))
            self._arrays[term] = found
        return found
