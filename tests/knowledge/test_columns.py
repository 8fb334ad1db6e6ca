"""Coded filter columns select exactly what plain object arrays select, through growth and writes."""
from __future__ import annotations

from random import Random

import numpy as np

from knowledge.columns import CodedColumn, grown, new_column, put
from knowledge.filters import Filters
from storage.models import Stage

INDUSTRIES = ["制造", "Retail", "零售", "Logistics", None]
OUTCOMES = ["won", "lost", "open"]


def _rows(rng: Random, count: int) -> list[dict]:
    return [{"deal_id": rng.randint(1, 40), "industry": rng.choice(INDUSTRIES), "region": rng.choice(["华南", "East", None]),
             "outcome": rng.choice(OUTCOMES), **{f"reached_{s.value}": rng.random() < 0.5 for s in Stage}}
            for _ in range(count)]


def _columns(rows: list[dict]) -> tuple[dict, dict]:
    coded = {key: new_column(key) for key in Filters.COLUMNS}
    for slot, row in enumerate(rows):
        coded = {k: grown(v, slot + 1) if len(v) <= slot else v for k, v in coded.items()}
        for key, column in coded.items():
            put(column, slot, row.get(key))
    plain = {key: np.array([row.get(key) for row in rows], dtype=object) for key in Filters.COLUMNS}
    return coded, plain


def test_every_kind_of_filter_selects_the_same_documents_from_coded_and_object_columns():
    rng = Random(5)
    rows = _rows(rng, 300)
    coded, plain = _columns(rows)
    filters = [Filters.of(industry="制造"), Filters.of(region="East"), Filters.of(outcome=("won", "lost")),
               Filters.of(stage="negotiation", outcome="won"), Filters.of(industry="Unknown"),
               Filters.of(exclude_deals={3, 7, 11}), Filters.of(industry="Retail", region="华南", stage="evaluation")]
    for f in filters:
        got, want = f.mask(coded), f.mask(plain)
        assert (got is None) == (want is None), f
        if want is not None:
            assert got.tolist() == want.tolist(), f
    assert Filters.of(industry="Unknown").mask(coded).sum() == 0


def test_a_coded_column_reads_back_what_was_stored_and_an_emptied_slot_matches_nothing():
    column = CodedColumn().grown(4)
    for slot, value in enumerate(["won", "lost", "won", None]):
        column[slot] = value
    assert [column[i] for i in range(4)] == ["won", "lost", "won", None]
    assert (column == "won").tolist() == [True, False, True, False]
    column[0] = None
    assert (column == "won").tolist() == [False, False, True, False]
    assert (column[1:3] == "lost").tolist() == [True, False]  # a slice shares the codes' meaning
