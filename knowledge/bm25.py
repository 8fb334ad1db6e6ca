"""BM25 over jieba tokens (bm25s), kept in memory beside the chromadb collection.

Local chromadb has no BM25 of its own, so every document's tokens are stored in its chromadb
metadata (`tokens`): the collection is the only thing on disk, and this index is rebuilt from it
when a process starts or another process wrote. A write in this process replaces the deal's
documents here too and marks the index stale; the next search re-indexes (bm25s builds 10k
documents in a fraction of a second), so a search never misses a write.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

import numpy as np

from knowledge.filters import Filters

BM25_PARAMS = {"k1": 1.2, "b": 0.75}


class Bm25Index:
    def __init__(self) -> None:
        self._docs: dict[str, tuple[list[str], dict]] = {}
        self._order: list[str] = []
        self._metas: list[dict] = []
        self._model = None
        self._columns: dict[str, np.ndarray] = {}
        self._stale = True
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._docs)

    def load(self, rows: Iterable[tuple[str, list[str], dict]]) -> None:
        """Replace everything with `rows` of (doc id, tokens, metadata)."""
        with self._lock:
            self._docs = {doc_id: (tokens, meta) for doc_id, tokens, meta in rows}
            self._stale = True

    def replace(self, remove: Iterable[str], add: Iterable[tuple[str, list[str], dict]]) -> None:
        with self._lock:
            for doc_id in remove:
                self._docs.pop(doc_id, None)
            for doc_id, tokens, meta in add:
                self._docs[doc_id] = (tokens, meta)
            self._stale = True

    def search(self, query_tokens: list[str], filters: Filters | None, n: int,
               extra_tokens: Sequence[str] = (), extra_weight: float = 1.0) -> list[tuple[str, dict, float]]:
        """Up to `n` (doc id, metadata, score) with a positive score, best first. `extra_tokens`
        (a query's expansion) score `extra_weight` times what the query's own words score."""
        with self._lock:
            if self._stale:
                self._build()
            if self._model is None:
                return []
            known = [t for t in query_tokens if t in self._model.vocab_dict]
            added = [t for t in extra_tokens if t in self._model.vocab_dict]
            if not known and not added:
                return []
            mask = filters.mask(self._columns) if filters else None
            weight_mask = None if mask is None else mask.astype(np.float32)
            scores = np.zeros(len(self._order), dtype=np.float32)
            if known:
                scores += self._model.get_scores(known, weight_mask=weight_mask)
            if added:
                scores += extra_weight * self._model.get_scores(added, weight_mask=weight_mask)
            order, metas = self._order, self._metas
        positive = int(np.count_nonzero(scores > 0))
        take = min(n, positive)
        if take == 0:
            return []
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(order[i], metas[i], float(scores[i])) for i in top]

    def _build(self) -> None:
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)

        self._order = sorted(self._docs)
        self._stale = False
        if not self._order:
            self._model, self._columns = None, {}
            return
        corpus = [self._docs[doc_id][0] or [""] for doc_id in self._order]
        model = bm25s.BM25(**BM25_PARAMS)
        model.index(corpus, show_progress=False)
        self._model = model
        metas = [self._docs[doc_id][1] for doc_id in self._order]
        self._metas = metas
        self._columns = {key: np.array([m.get(key) for m in metas], dtype=object)
                         for key in Filters.COLUMNS}
