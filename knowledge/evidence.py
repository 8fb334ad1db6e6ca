"""Advice from the evidence itself: the sentences of similar won deals' visits that best answer a
question, and the reasons similar deals were lost.

    best_sentences(question, deals, stage=, lang=, embedder=, cache=) -> [Quote]

Every sentence of the deals' visit summaries and next steps is a candidate. They are ranked by
BM25 over the same tokens and bilingual expansion as the index and, when the embedding model is
loaded, by cosine similarity to the question; the two ranks are fused (weighted RRF, as for
deals). The word lists of `knowledge.plays` only add to a sentence's score (a play a won deal
ran, an objection settled, a visit at the deal's stage, the rep's language, the deal's own
rank): a sentence in words no list knows still wins when it answers the question.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.bm25 import Bm25Index
from knowledge.expand import EXPANSION_WEIGHT, expanded
from knowledge.plays import SETTLED, objections_in, plays_in, sentences
from knowledge.records import DealRecord
from knowledge.tokenize import tokens
from knowledge.vocab import language_of
from storage.models import Stage

RRF_K = 20
WEIGHTS = {"bm25": 1.0, "dense": 0.6}
# What the word lists add, in units of a first place in one ranker (1 / (RRF_K + 1)).
BOOSTS = {"topic": 0.8, "play": 0.35, "settled": 0.35, "stage": 0.25, "language": 0.2, "deal_rank": 0.5,
          "later": 0.5}
# A second quote must score at least this share of the first: a weak match is noise, not advice.
KEEP_SHARE = 0.75
QUOTE_CHARS = {"zh": 70, "en": 150}
MIN_CHARS = 6


@dataclass(frozen=True)
class Quote:
    deal_id: int
    text: str  # the sentence, shortened to a brief quote
    score: float
    plays: tuple[str, ...]
    objections: tuple[str, ...]
    from_next_step: bool


@dataclass(frozen=True)
class _Candidate:
    deal_id: int
    text: str
    in_stage: bool
    from_next_step: bool
    deal_rank: int
    later: bool  # after the deal's first visit (the first one usually states the problem)


def candidates(deals: Sequence[DealRecord], stage: Stage | None) -> list[_Candidate]:
    """Every distinct sentence of the deals' visit summaries and next steps."""
    out: list[_Candidate] = []
    seen: set[str] = set()
    for rank, deal in enumerate(deals):
        entered = deal.entered(stage) if stage is not None else None
        after = deal.left(stage) if stage is not None else None
        for number, visit in enumerate(deal.visits):
            in_stage = entered is not None and visit.occurred_on >= entered and (
                after is None or visit.occurred_on < after[1])
            parts = [(s, False) for s in sentences(visit.summary)]
            parts += [(s, True) for s in sentences(visit.next_step or "")]
            for text, is_next in parts:
                key = text.casefold()
                if len(text) >= MIN_CHARS and key not in seen:
                    seen.add(key)
                    out.append(_Candidate(deal.id, text, in_stage, is_next, rank, number > 0 or is_next))
    return out


def best_sentences(question: str, deals: Sequence[DealRecord], *, stage: Stage | None, lang: str,
                   embedder=None, cache: dict[str, np.ndarray] | None = None, limit: int = 3,
                   reference: Bm25Index | None = None) -> list[Quote]:
    """The sentences that best answer `question`, at most one per deal, best first. `reference`:
    the index whose idf BM25 uses (the whole corpus), else the sentences' own."""
    pool = candidates(deals, stage)
    if not pool or not question.strip():
        return []
    ranks: dict[str, list[int]] = {"bm25": _bm25_order(question, pool, reference)}
    if embedder is not None:
        ranks["dense"] = _dense_order(question, pool, embedder, cache if cache is not None else {})
    unit = 1.0 / (RRF_K + 1)
    asked = set(objections_in(question))
    scored = []
    for i, cand in enumerate(pool):
        score = sum(WEIGHTS[name] / (RRF_K + order.index(i) + 1) for name, order in ranks.items() if i in order)
        topics = tuple(objections_in(cand.text))
        on_topic = bool(asked & set(topics))
        if score == 0 and not on_topic:
            continue  # nothing of the question in it
        if on_topic:
            score += unit * BOOSTS["topic"]
        plays = tuple(plays_in(cand.text))
        lowered = cand.text.casefold()
        score += unit * BOOSTS["deal_rank"] / (1 + cand.deal_rank)
        if plays:
            score += unit * BOOSTS["play"]
        if any(w in lowered for w in SETTLED):
            score += unit * BOOSTS["settled"]
        if cand.in_stage:
            score += unit * BOOSTS["stage"]
        if cand.later:
            score += unit * BOOSTS["later"]
        if language_of(cand.text) == lang:
            score += unit * BOOSTS["language"]
        scored.append((score, i, cand, plays, topics))
    scored.sort(key=lambda t: (-t[0], t[1]))
    out: list[Quote] = []
    used: set[int] = set()
    for score, _, cand, plays, topics in scored:
        if cand.deal_id in used or (out and score < KEEP_SHARE * out[0].score):
            continue
        used.add(cand.deal_id)
        out.append(Quote(cand.deal_id, brief(cand.text), round(score, 5), plays, topics, cand.from_next_step))
        if len(out) >= limit:
            break
    return out


def _bm25_order(question: str, pool: list[_Candidate], reference: Bm25Index | None) -> list[int]:
    index = Bm25Index()
    for i, cand in enumerate(pool):
        index.put(i, tokens(cand.text))
    own, extra = expanded(question)
    scores = index.scores(own, len(pool), extra, EXPANSION_WEIGHT, reference=reference)
    if scores is None:
        return []
    return [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]


def _dense_order(question: str, pool: list[_Candidate], embedder, cache: dict[str, np.ndarray]) -> list[int]:
    """Sentences the model can read, by cosine similarity to the question (none when it cannot
    read the question). Sentence vectors are kept in `cache` between questions."""
    if not embedder.reads(question):
        return []
    readable = [i for i, c in enumerate(pool) if embedder.reads_language(language_of(c.text))]
    missing = [pool[i].text for i in readable if pool[i].text not in cache]
    if missing:
        for text, vector in zip(missing, embedder.embed_documents(missing)):
            cache[text] = vector
    if not readable:
        return []
    query = embedder.embed_query(question)
    scores = np.array([float(cache[pool[i].text] @ query) for i in readable])
    return [readable[j] for j in np.argsort(-scores, kind="stable")]


def brief(sentence: str) -> str:
    """The sentence, cut at a clause boundary when it is long."""
    text = sentence.strip().rstrip("。.;；")
    limit = QUOTE_CHARS[language_of(text)]
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "，,;；：:")
    return (text[:cut] if cut > limit // 2 else text[:limit]).rstrip() + "…"


def loss_quote(deal: DealRecord) -> str | None:
    """Why a lost deal was lost, in its own words: the recorded reason, else its last note."""
    if deal.lost_reason:
        return brief(deal.lost_reason)
    if deal.visits and deal.visits[-1].summary:
        return brief(sentences(deal.visits[-1].summary)[-1] if sentences(deal.visits[-1].summary) else "")
    return None
