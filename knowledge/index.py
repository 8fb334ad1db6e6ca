"""The deal index on disk: a chromadb collection (dense vectors, documents, metadata) plus the
in-memory BM25 built from it.

Layout of `KNOWLEDGE_DIR`::

    chroma/        chromadb PersistentClient (telemetry off)
    index.json     the manifest: live collection, embedding model, database it was built from
    generation     changes on every write, so other processes know to reload BM25

A rebuild fills a new collection and then points the manifest at it, so a running bot keeps
answering from the old one until the new one is complete.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from knowledge.bm25 import Bm25Index
from knowledge.documents import Doc
from knowledge.embedder import Embedder, one_thread
from knowledge.expand import EXPANSION_WEIGHT, expanded
from knowledge.filters import Filters
from knowledge.tokenize import tokens

# Bump when documents or tokens change: an index of another format must be rebuilt.
FORMAT = 5
PAGE = 2000


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


@dataclass(frozen=True)
class DocHit:
    id: str
    meta: dict[str, Any]
    score: float


class DealIndex:
    """One open collection. Thread-safe; share one per process (see `knowledge.service`)."""

    def __init__(self, directory: Path, embedder: Embedder, manifest: Manifest) -> None:
        self.directory = directory
        self.embedder = embedder
        self.manifest = manifest
        self._client = open_client(directory)
        self._collection = self._client.get_collection(manifest.collection,
                                                       embedding_function=embedder.function)
        self._bm25 = Bm25Index()
        self._bm25_loaded = False
        self._seen = read_generation(directory)
        self._lock = threading.RLock()

    # --- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        self.refresh()
        return self._collection.count()

    def dense(self, query: str, filters: Filters | None, n: int) -> list[DocHit]:
        """Up to `n` documents nearest to `query` (score: cosine similarity), best first."""
        self.refresh()
        where = filters.where() if filters else None
        with one_thread():
            result = self._collection.query(query_texts=[query], n_results=n, where=where,
                                            include=["metadatas", "distances"])
        return [DocHit(doc_id, _public(meta), 1.0 - float(dist)) for doc_id, meta, dist in
                zip(result["ids"][0], result["metadatas"][0], result["distances"][0])]

    def bm25(self, query: str, filters: Filters | None, n: int) -> list[DocHit]:
        """Up to `n` documents with a positive BM25 score for `query`, best first."""
        self.refresh()
        with self._lock:
            if not self._bm25_loaded:
                self._load_bm25()
        own, extra = expanded(query)
        found = self._bm25.search(own, filters, n, extra, EXPANSION_WEIGHT)
        return [DocHit(doc_id, meta, score) for doc_id, meta, score in found]

    def texts(self, doc_ids: list[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        rows = self._collection.get(ids=doc_ids, include=["documents"])
        return dict(zip(rows["ids"], rows["documents"]))

    def refresh(self) -> None:
        """Pick up what another process wrote (a write, or a rebuild that swapped collections)."""
        current = read_generation(self.directory)
        if current == self._seen:
            return
        with self._lock:
            manifest = Manifest.read(self.directory)
            if manifest is not None and manifest.collection != self.manifest.collection:
                self._collection = self._client.get_collection(manifest.collection,
                                                               embedding_function=self.embedder.function)
                self.manifest = manifest
            self._bm25_loaded = False
            self._seen = current

    def _load_bm25(self) -> None:
        rows = []
        offset = 0
        while True:
            page = self._collection.get(include=["metadatas"], limit=PAGE, offset=offset)
            for doc_id, meta in zip(page["ids"], page["metadatas"]):
                rows.append((doc_id, str(meta.get("tokens", "")).split(), _public(meta)))
            if len(page["ids"]) < PAGE:
                break
            offset += PAGE
        self._bm25.load(rows)
        self._bm25_loaded = True

    # --- writing ---------------------------------------------------------------------------

    def replace_deals(self, deal_ids: Iterable[int], docs: list[Doc]) -> None:
        """Make the deals' documents exactly `docs` (a deal with no documents is removed)."""
        deal_ids = sorted(set(deal_ids))
        if not deal_ids:
            return
        with self._lock:
            existing = self._collection.get(where={"deal_id": {"$in": deal_ids}}, include=[])["ids"]
            stale = sorted(set(existing) - {d.id for d in docs})
            if stale:
                self._collection.delete(ids=stale)
            stored = [stored_meta(d) for d in docs]
            if docs:
                self._collection.upsert(ids=[d.id for d in docs], documents=[d.text for d in docs],
                                        metadatas=stored)
            self._after_write(remove=stale, add=list(zip(docs, stored)))

    def _after_write(self, *, remove: Iterable[str], add: list[tuple[Doc, dict[str, Any]]]) -> None:
        with self._lock:
            previous = read_generation(self.directory)
            if self._bm25_loaded:
                if previous != self._seen:
                    self._bm25_loaded = False  # someone else wrote too: reload everything
                else:
                    self._bm25.replace(remove, [(d.id, meta["tokens"].split(), d.meta) for d, meta in add])
            self._seen = bump_generation(self.directory)


def open_client(directory: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    directory.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(directory / "chroma"),
                                     settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))


def create_collection(directory: Path, embedder: Embedder, name: str):
    client = open_client(directory)
    return client.create_collection(name, embedding_function=embedder.function,
                                    configuration={"hnsw": {"space": "cosine"}},
                                    metadata={"embedding_model": embedder.setting})


def drop_collections(directory: Path, keep: str) -> list[str]:
    """Delete every collection but `keep` (old builds); returns their names."""
    client = open_client(directory)
    dropped = []
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name != keep:
            client.delete_collection(name)
            dropped.append(name)
    return dropped


def stored_meta(doc: Doc) -> dict[str, Any]:
    """What chromadb keeps with a document: its metadata and its BM25 tokens."""
    return doc.meta | {"tokens": " ".join(tokens(doc.text))}


def _public(meta: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meta.items() if k != "tokens"}


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
