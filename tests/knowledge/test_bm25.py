"""BM25 updated in place scores exactly as one built from scratch over the same documents."""
from __future__ import annotations

import numpy as np

from knowledge.bm25 import Bm25Index

DOCS = {0: "price objection solved with a three year deal".split(), 1: "security review passed".split(),
        2: "price too high lost to a cheaper vendor".split(), 3: "on site demo with their data".split()}


def built(docs):
    index = Bm25Index()
    for slot, words in docs.items():
        index.put(slot, words)
    return index


def test_replacing_and_removing_documents_matches_a_fresh_build():
    index = built(DOCS)
    index.put(1, "security review failed badly".split())
    index.remove(3)
    fresh = built({0: DOCS[0], 1: "security review failed badly".split(), 2: DOCS[2]})
    for query in (["price"], ["security", "review"], ["demo"], ["price", "vendor"]):
        a, b = index.scores(query, 4), fresh.scores(query, 4)
        if b is None:
            assert a is None or not a.any()
        else:
            assert np.allclose(a[:3], b[:3]) and a[3] == 0


def test_idf_can_come_from_a_reference_corpus():
    corpus = built(DOCS)
    small = built({0: ["price", "vendor"], 1: ["demo"]})
    own = small.scores(["demo"], 2)
    shared = small.scores(["demo"], 2, reference=corpus)
    assert own[1] > 0 and shared[1] > own[1]  # rarer in the corpus than among the two
    assert small.scores(["nothing"], 2) is None
