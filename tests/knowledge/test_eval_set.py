"""The labelled retrieval set: big enough, both languages, and labels that still follow from what
each query means over the current demo data (not from any retriever)."""
from knowledge.eval.facts import demo_facts, relevant
from knowledge.eval.label import read_queries
from knowledge.eval.run import reciprocal_rank, recall_at


def test_the_set_has_sixty_queries_or_more_in_both_languages():
    queries = read_queries()
    assert len(queries) >= 60
    assert sum(q["lang"] == "zh" for q in queries) >= 30 and sum(q["lang"] == "en" for q in queries) >= 30
    assert len({q["id"] for q in queries}) == len(queries)


def test_labels_match_their_meaning_over_the_demo():
    _, facts = demo_facts()
    for query in read_queries():
        assert query["relevant"] == relevant(facts, query["where"]), query["id"]


def test_demo_facts_come_from_the_notes():
    _, facts = demo_facts()
    won = [d for d in facts.values() if d.outcome == "won"]
    assert won and all(d.drivers for d in won)  # every won deal's closing note names what won it
    lost = [d for d in facts.values() if d.outcome == "lost"]
    assert all(d.lost_reason for d in lost)


def test_metrics():
    assert recall_at([1, 2, 3, 4, 5, 6], {1, 9}) == 0.5
    assert recall_at([1, 2, 3, 4, 5], {1, 2, 3, 4, 5, 6, 7}) == 1.0
    assert reciprocal_rank([4, 2, 1], {1}) == 1 / 3 and reciprocal_rank([4], {1}) == 0.0
