"""The deal index on disk and in memory: one SQLite file of documents (text, metadata, BM25
tokens, dense vector), searched in memory by BM25 and by exact cosine over a vector matrix.

Layout of `KNOWLEDGE_DIR`::

    deals-<model>-<id>.sqlite   the documents of one build (the manifest names the live one)
    index.json                  the manifest: live file, embedding model, database it was built from
    generation                  changes on every write, so other processes know to reload

A rebuild fills a new file and then points the manifest at it, so a running bot keeps answering
from the old one until the new one is complete. In memory every document has a slot: its row in
the vector matrix, its BM25 postings and its filter columns; a write replaces its deal's slots
only (`replace_deals`), so the next search sees it without rebuilding anything. The dense side
needs the embedding model: until it is loaded (`DealIndex.dense_ready`), searches rank by BM25.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.columns import Column, grown, new_column
from knowledge.columns import put as put_value
from knowledge.bm25 import Bm25Index
from knowledge.documents import Doc
from knowledge.embedder import Embedder
from knowledge.expand import EXPANSION_WEIGHT, expanded
from knowledge.filters import Filters
from knowledge.tokenize import tokens

# Bump when documents or tokens change: an index of another format must be rebuilt.
FORMAT = 6
SCHEMA = """
CREATE TABLE IF NOT EXISTS doc (
    id TEXT PRIMARY KEY, deal_id INTEGER NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL,
    tokens TEXT NOT NULL, vector BLOB
);
CREATE INDEX IF NOT EXISTS doc_deal ON doc (deal_id);
"""


class IndexUnavailable(RuntimeError):
    """There is no usable index; the message says why and how to build one."""


@dataclass(frozen=True)
class Manifest:
    collection: str
    embedding_model: str
    database: str  # a digest of DATABASE_URL: an index answers for one database only
    built_at: str
    deals: int
    documents: int
    format: int = FORMAT

    @classmethod
    def read(cls, directory: Path) -> Manifest | None:
        try:
            data = json.loads((directory / "index.json").read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None

    def write(self, directory: Path) -> None:
        _atomic_write(directory / "index.json", json.dumps(asdict(self), ensure_ascii=False, indent=1))


def database_digest(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def collection_name(embedding_model: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", embedding_model.rsplit("/", 1)[-1]).strip("-").lower()[:24] or "model"
    return f"deals-{slug}-{uuid.uuid4().hex[:8]}"


def store_path(directory: Path, collection: str) -> Path:
    return directory / f"{collection}.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(SCHEMA)
    return conn


@dataclass(frozen=True)
class Row:
    """A document as stored: what BM25, the filters and the dense side need."""

    doc: Doc
    tokens: list[str]
    vector: np.ndarray | None


def rows_of(docs: list[Doc], embedder: Embedder | None) -> list[Row]:
    """Tokens for BM25 and, with an embedder, the vectors of the documents' dense texts (one batch).
    A document in a language the model cannot read gets no vector: the dense side abstains on it
    at search time anyway (`knowledge.retriever`), so embedding it would be wasted work."""
    readable = [i for i, d in enumerate(docs)
                if embedder is not None and embedder.reads_language(str(d.meta.get("lang", "")))]
    # a text is embedded once however many documents share it (a note quoted by several deals)
    unique = list(dict.fromkeys(docs[i].dense_text for i in readable))
    vectors = embedder.embed_documents(unique) if unique else None
    by_text = {text: vectors[n] for n, text in enumerate(unique)} if vectors is not None else {}
    by_doc = {i: by_text[docs[i].dense_text] for i in readable} if by_text else {}
    return [Row(d, tokens(d.text), by_doc.get(i)) for i, d in enumerate(docs)]


def write_rows(conn: sqlite3.Connection, rows: list[Row]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO doc (id, deal_id, text, meta, tokens, vector) VALUES (?, ?, ?, ?, ?, ?)",
        [(r.doc.id, r.doc.deal_id, r.doc.text, json.dumps(r.doc.meta, ensure_ascii=False), " ".join(r.tokens),
          None if r.vector is None else r.vector.astype(np.float32).tobytes()) for r in rows])


@dataclass(frozen=True)
class DocHit:
    id: str
    meta: dict[str, Any]
    score: float


class DealIndex:
    """One open build. Thread-safe; share one per process (see `knowledge.service`)."""

    def __init__(self, directory: Path, embedder: Embedder, manifest: Manifest) -> None:
        self.directory = directory
        self.embedder = embedder
        self.manifest = manifest
        self._lock = threading.RLock()
        self._conn = connect(store_path(directory, manifest.collection))
        self._seen = read_generation(directory)
        self._loaded = False
        self._reset()

    def _reset(self) -> None:
        self._slot: dict[str, int] = {}
        self._free: list[int] = []
        self._metas: list[dict[str, Any] | None] = []
        self._alive = np.zeros(0, dtype=bool)
        self._columns: dict[str, Column] = {key: new_column(key) for key in Filters.COLUMNS}
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._has_vector = np.zeros(0, dtype=bool)
        self._dense_rows: tuple[np.ndarray, np.ndarray] | None = None  # (slots, their vectors), compact
        self._bm25 = Bm25Index()

    # --- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        self.load()
        return int(self._alive.sum())

    def term_statistics(self) -> Bm25Index:
        """The BM25 index of every document (for idf elsewhere)."""
        self.load()
        return self._bm25

    def dense_ready(self) -> bool:
        """Whether a dense search can run now without loading a model inside the request."""
        return self.embedder.loaded or self.embedder.loads_fast

    def dense(self, query: str, filters: Filters | None, n: int) -> list[DocHit]:
        """Up to `n` documents nearest to `query` (score: cosine similarity), best first. Exact:
        one matrix product over every vector, masked by `filters`."""
        self.load()
        vector = self.embedder.embed_query(query)
        with self._lock:
            size = len(self._metas)
            if not size or self._vectors.shape[1] != vector.shape[0]:
                return []
            slots, vectors = self._dense_matrix()
            scores = vectors @ vector
            if filters is not None:  # a dropped document has no vector: only filters remove more
                passing = self._keep(filters, size)[slots]
                slots, scores = slots[passing], scores[passing]
            return self._top(slots, scores, n)

    def _dense_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """The documents that have a vector and their vectors as one contiguous matrix, so a query
        multiplies only those (a Chinese document has none under the English model); rebuilt on
        the first search after a write changed which vectors there are."""
        if self._dense_rows is None:
            slots = np.flatnonzero(self._has_vector[: len(self._metas)])
            self._dense_rows = (slots, np.ascontiguousarray(self._vectors[slots]))
        return self._dense_rows

    def bm25(self, query: str, filters: Filters | None, n: int) -> list[DocHit]:
        """Up to `n` documents with a positive BM25 score for `query`, best first."""
        self.load()
        own, extra = expanded(query)
        with self._lock:
            size = len(self._metas)
            scores = self._bm25.scores(own, size, extra, EXPANSION_WEIGHT)
            if scores is None:
                return []
            slots = np.flatnonzero(self._keep(filters, size) & (scores > 0))
            return self._top(slots, scores[slots], n)

    def _keep(self, filters: Filters | None, size: int) -> np.ndarray:
        keep = self._alive[:size].copy()
        if filters is not None:
            mask = filters.mask({k: v[:size] for k, v in self._columns.items()})
            if mask is not None:
                keep &= mask
        return keep

    def _top(self, slots: np.ndarray, scores: np.ndarray, n: int) -> list[DocHit]:
        """The `n` best of the candidate `slots` (ascending) by their `scores`, best first."""
        take = min(n, len(slots))
        if take <= 0:
            return []
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.lexsort((slots[top], -scores[top]))]  # best first, ties by slot: stable results
        hits = []
        for j in top:
            meta = self._metas[int(slots[j])]
            hits.append(DocHit(meta["_id"], _public(meta), float(scores[j])))
        return hits

    def texts(self, doc_ids: list[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        with self._lock:
            marks = ",".join("?" * len(doc_ids))
            return dict(self._conn.execute(f"SELECT id, text FROM doc WHERE id IN ({marks})", doc_ids).fetchall())

    def refresh(self) -> None:
        """Pick up what another process wrote (a write, or a rebuild that switched files)."""
        current = read_generation(self.directory)
        if current == self._seen:
            return
        with self._lock:
            manifest = Manifest.read(self.directory)
            if manifest is not None and manifest.collection != self.manifest.collection:
                self._conn.close()
                self._conn = connect(store_path(self.directory, manifest.collection))
                self.manifest = manifest
            self._loaded = False
            self._seen = current

    def load(self) -> None:
        """Read every document into memory (once, and again after another process wrote)."""
        self.refresh()
        with self._lock:
            if self._loaded:
                return
            self._reset()
            cursor = self._conn.execute("SELECT id, meta, tokens, vector FROM doc ORDER BY id")
            postings = []
            for doc_id, meta, token_text, blob in cursor:
                vector = np.frombuffer(blob, dtype=np.float32) if blob else None
                slot = self._put(doc_id, json.loads(meta), None, vector)
                postings.append((slot, token_text.split()))
            self._bm25.put_many(postings)
            self._loaded = True

    def _put(self, doc_id: str, meta: dict[str, Any], doc_tokens: list[str] | None,
             vector: np.ndarray | None) -> int:
        """Give the document a slot (its own again when it has one); BM25 too unless `doc_tokens`
        is None (the caller indexes many at once). Returns the slot."""
        slot = self._slot.get(doc_id)
        if slot is None:
            slot = self._free.pop() if self._free else len(self._metas)
            if slot == len(self._metas):
                self._metas.append(None)
                self._grow(slot + 1, vector)
            self._slot[doc_id] = slot
        if vector is not None and self._vectors.shape[1] == 0:
            self._vectors = np.zeros((len(self._alive), vector.shape[0]), dtype=np.float32)
        self._metas[slot] = meta | {"_id": doc_id}
        self._alive[slot] = True
        for key, column in self._columns.items():
            put_value(column, slot, meta.get(key))
        self._dense_rows = None
        if vector is not None and vector.shape[0] == self._vectors.shape[1]:
            self._vectors[slot] = vector
            self._has_vector[slot] = True
        else:
            self._has_vector[slot] = False
        if doc_tokens is not None:
            self._bm25.put(slot, doc_tokens)
        return slot

    def _grow(self, needed: int, vector: np.ndarray | None) -> None:
        if needed <= len(self._alive):
            return
        size = max(needed, 2 * len(self._alive), 256)
        self._alive = grown(self._alive, size)
        self._has_vector = grown(self._has_vector, size)
        self._columns = {k: grown(v, size) for k, v in self._columns.items()}
        dim = self._vectors.shape[1] or (vector.shape[0] if vector is not None else 0)
        vectors = np.zeros((size, dim), dtype=np.float32)
        if self._vectors.shape[1] == dim:
            vectors[: len(self._vectors)] = self._vectors
        self._vectors = vectors

    def _drop(self, doc_id: str) -> None:
        slot = self._slot.pop(doc_id, None)
        if slot is None:
            return
        self._metas[slot] = None
        self._alive[slot] = False
        self._has_vector[slot] = False
        self._dense_rows = None
        for column in self._columns.values():
            put_value(column, slot, None)
        self._bm25.remove(slot)
        self._free.append(slot)

    # --- writing ---------------------------------------------------------------------------

    def replace_deals(self, deal_ids: Iterable[int], docs: list[Doc]) -> None:
        """Make the deals' documents exactly `docs` (a deal with no documents is removed): on disk,
        then in memory, touching only these deals' slots."""
        deal_ids = sorted(set(deal_ids))
        if not deal_ids:
            return
        rows = rows_of(docs, self.embedder)
        with self._lock:
            self.refresh()
            marks = ",".join("?" * len(deal_ids))
            with self._conn:
                existing = [r[0] for r in self._conn.execute(
                    f"SELECT id FROM doc WHERE deal_id IN ({marks})", deal_ids).fetchall()]
                stale = sorted(set(existing) - {d.id for d in docs})
                self._conn.executemany("DELETE FROM doc WHERE id = ?", [(s,) for s in stale])
                write_rows(self._conn, rows)
            others_wrote = read_generation(self.directory) != self._seen
            if self._loaded and not others_wrote:
                for doc_id in stale:
                    self._drop(doc_id)
                for row in rows:
                    self._put(row.doc.id, row.doc.meta, row.tokens, row.vector)
            elif others_wrote:
                self._loaded = False  # someone else wrote too: reload everything at the next search
            self._seen = bump_generation(self.directory)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def build_store(directory: Path, name: str, batches: Iterator[list[Doc]], embedder: Embedder) -> int:
    """Write a new build `name` from `batches` of documents; returns how many were written."""
    path = store_path(directory, name)
    path.unlink(missing_ok=True)
    conn = connect(path)
    written = 0
    try:
        for docs in batches:
            rows = rows_of(docs, embedder)
            with conn:
                write_rows(conn, rows)
            written += len(rows)
    finally:
        conn.close()
    return written


def drop_builds(directory: Path, keep: str) -> list[str]:
    """Delete every build but `keep` (old builds, and the chromadb folder of older versions)."""
    import shutil

    dropped = []
    for path in directory.glob("deals-*.sqlite*"):
        if not path.name.startswith(f"{keep}.sqlite"):
            path.unlink(missing_ok=True)
            dropped.append(path.name)
    if (directory / "chroma").is_dir():
        shutil.rmtree(directory / "chroma", ignore_errors=True)
        dropped.append("chroma")
    return dropped


def _public(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k != "_id"}


def read_generation(directory: Path) -> str:
    try:
        return (directory / "generation").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def bump_generation(directory: Path) -> str:
    value = uuid.uuid4().hex
    _atomic_write(directory / "generation", value)
    return value


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
