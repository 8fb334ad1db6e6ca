"""`Retriever.search(query, filters, k) -> hits with deal ids`: dense, BM25, or both fused.

Each ranker returns documents; a deal's rank in a ranker is the rank of its best document there.
Hybrid fuses the deal rankings by weighted reciprocal rank fusion, score = Σ w / (RRF_K + rank),
so a deal both rankers like beats one only a single ranker likes, and no score scales need
calibrating; `WEIGHTS` gives the packaged English dense model a fifth of BM25's vote (tuned with
`make eval-knowledge`). The fused deals having more of what the question names (an outcome, an
industry, a region: `knowledge.query`) then come first.

A ranker that cannot read something gives no evidence about it, so it abstains instead of voting:
- the dense ranker only runs when the embedding model can read the query (`Embedder.reads`): the
  packaged English model turns Chinese into [UNK], and its ranking of a Chinese query is noise;
- a deal written in a language the model cannot read gets no dense vote, and its score is the
  mean over the rankers that can judge it, times their number: a Chinese deal is not pushed down
  an English question's results merely because the English model cannot see it.
Chinese retrieval therefore holds through BM25 until a multilingual `EMBEDDING_MODEL` is set.
While the model is still loading (the bot loads it in the background at start), hybrid searches
rank by BM25 alone rather than wait.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from knowledge.filters import Filters
from knowledge.index import DealIndex, DocHit
from knowledge.query import Intent, intent

Mode = Literal["dense", "bm25", "hybrid"]
RRF_K = 60
# Per-ranker weight of a deal's reciprocal rank. BM25 reads both languages and the structured
# facts; the packaged dense model reads only English prose, so its vote counts for less.
WEIGHTS = {"bm25": 1.0, "dense": 0.2}
# Documents each ranker hands to the fusion, per deal asked for.
DEPTH_PER_HIT = 10
MIN_DEPTH = 50


@dataclass(frozen=True)
class Hit:
    """One deal found: its fused score, the document that matched best and where it ranked."""

    deal_id: int
    score: float
    doc_id: str
    kind: str  # deal or visit
    meta: dict[str, Any]
    text: str = ""
    ranks: dict[str, int] = field(default_factory=dict)  # ranker → the deal's rank there, from 1

    @property
    def account_id(self) -> int:
        return int(self.meta["account_id"])

    @property
    def outcome(self) -> str:
        return str(self.meta["outcome"])


class Retriever(Protocol):
    def search(self, query: str, filters: Filters | None = None, k: int = 5) -> list[Hit]: ...


class HybridRetriever:
    """Searches one `DealIndex` by `mode`: dense, bm25 or hybrid (the default)."""

    def __init__(self, index: DealIndex, mode: Mode = "hybrid") -> None:
        self.index = index
        self.mode = mode

    def search(self, query: str, filters: Filters | None = None, k: int = 5) -> list[Hit]:
        query = query.strip()
        if not query or k <= 0:
            return []
        depth = max(MIN_DEPTH, k * DEPTH_PER_HIT)
        rankings: dict[str, list[DocHit]] = {}
        judges: dict[str, Callable[[dict[str, Any]], bool]] = {}
        if self.mode in ("bm25", "hybrid"):
            rankings["bm25"] = self.index.bm25(query, filters, depth)
        if self.mode == "dense" or (self.mode == "hybrid" and self.index.dense_ready()
                                    and self.index.embedder.reads(query)):
            rankings["dense"] = self.index.dense(query, filters, depth)
            if self.mode == "hybrid":
                embedder = self.index.embedder
                judges["dense"] = lambda meta: embedder.reads_language(str(meta.get("lang", "")))
        fused = fuse({name: by_deal(docs) for name, docs in rankings.items()}, judges=judges, weights=WEIGHTS)
        hits = named_facets_first(fused, intent(query))[:k]
        texts = self.index.texts([h.doc_id for h in hits])
        return [Hit(h.deal_id, h.score, h.doc_id, h.kind, h.meta, texts.get(h.doc_id, ""), h.ranks)
                for h in hits]


def named_facets_first(hits: list[Hit], wanted: Intent) -> list[Hit]:
    """The deals having more of what the question names (outcome, industry, region) first; the
    fused order within each group."""
    return sorted(hits, key=lambda h: -wanted.agreement(h.meta))


def by_deal(docs: list[DocHit]) -> list[DocHit]:
    """Each deal once, at the place of its best document."""
    seen: set[int] = set()
    out = []
    for doc in docs:
        deal_id = int(doc.meta["deal_id"])
        if deal_id not in seen:
            seen.add(deal_id)
            out.append(doc)
    return out


def fuse(rankings: dict[str, list[DocHit]], rrf_k: int = RRF_K, *,
         judges: dict[str, Callable[[dict[str, Any]], bool]] | None = None,
         weights: dict[str, float] | None = None) -> list[Hit]:
    """Reciprocal rank fusion of per-deal rankings. `judges[ranker](meta)` says whether a ranker
    can judge a deal at all; one that cannot abstains (see the module docstring). Ties go to the
    deal ranked better anywhere, then to the lower id, so results are stable."""
    judges = judges or {}
    weights = weights or {}
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    best: dict[int, tuple[int, DocHit]] = {}
    for name, docs in rankings.items():
        for rank, doc in enumerate(docs, 1):
            deal_id = int(doc.meta["deal_id"])
            scores[deal_id] = scores.get(deal_id, 0.0) + weights.get(name, 1.0) / (rrf_k + rank)
            ranks.setdefault(deal_id, {})[name] = rank
            if deal_id not in best or rank < best[deal_id][0]:
                best[deal_id] = (rank, doc)
    for deal_id, score in scores.items():
        meta = best[deal_id][1].meta
        able = [name for name in rankings if name not in judges or judges[name](meta)]
        if able and len(able) < len(rankings):
            total = sum(weights.get(name, 1.0) for name in rankings)
            scores[deal_id] = score * total / sum(weights.get(name, 1.0) for name in able)
    order = sorted(scores, key=lambda d: (-scores[d], min(ranks[d].values()), d))
    return [Hit(deal_id=d, score=round(scores[d], 6), doc_id=best[d][1].id, kind=str(best[d][1].meta["kind"]),
                meta=best[d][1].meta, ranks=ranks[d]) for d in order]
