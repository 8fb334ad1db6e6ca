"""The index's filter columns: one value per document slot, compared in one vectorised step.

Whether a deal reached a stage is a bool array and its id an int64 array; the account's industry
and region and the deal's outcome are `CodedColumn`s — strings kept as integer codes, because `==`
over a numpy object array compares Python strings one by one (about 1 ms per 10,000 documents per
condition, paid by BM25 and the dense ranker on every filtered search).
"""
from __future__ import annotations

from typing import Any

import numpy as np

MISSING = -1  # the code of None: an empty slot, or a document without the value
UNKNOWN = -2  # a value no document has: matches nothing


class CodedColumn:
    """Strings (or None) per slot as int32 codes; `column == value` gives a bool array. Slices
    and grown copies share one vocabulary (`codes` of each value and the values by code)."""

    def __init__(self, codes: np.ndarray | None = None, vocabulary: dict[str, int] | None = None,
                 values: list[str] | None = None) -> None:
        self.codes = codes if codes is not None else np.zeros(0, dtype=np.int32)
        self.vocabulary = vocabulary if vocabulary is not None else {}
        self.values = values if values is not None else []

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return CodedColumn(self.codes[key], self.vocabulary, self.values)
        code = int(self.codes[key])
        return None if code == MISSING else self.values[code]

    def __setitem__(self, slot: int, value: str | None) -> None:
        if value is None:
            self.codes[slot] = MISSING
            return
        value = str(value)
        code = self.vocabulary.get(value)
        if code is None:
            code = self.vocabulary[value] = len(self.values)
            self.values.append(value)
        self.codes[slot] = code

    def __eq__(self, value: object) -> np.ndarray:  # type: ignore[override]
        code = MISSING if value is None else self.vocabulary.get(str(value), UNKNOWN)
        return self.codes == code

    __hash__ = None  # type: ignore[assignment]

    def grown(self, size: int) -> CodedColumn:
        codes = np.full(size, MISSING, dtype=np.int32)
        codes[: len(self.codes)] = self.codes
        return CodedColumn(codes, self.vocabulary, self.values)


Column = np.ndarray | CodedColumn


def new_column(key: str) -> Column:
    """An empty column for filter key `key` (see `knowledge.filters.Filters.COLUMNS`)."""
    if key.startswith("reached_"):
        return np.zeros(0, dtype=bool)
    if key == "deal_id":
        return np.zeros(0, dtype=np.int64)
    return CodedColumn()


def put(column: Column, slot: int, value: Any) -> None:
    """Store `value` (None: an empty slot) in `column` at `slot`."""
    if isinstance(column, CodedColumn):
        column[slot] = value
    elif column.dtype == bool:
        column[slot] = bool(value)
    else:
        column[slot] = -1 if value is None else int(value)


def grown(column: Column, size: int) -> Column:
    if isinstance(column, CodedColumn):
        return column.grown(size)
    out = np.zeros(size, dtype=column.dtype)
    out[: len(column)] = column
    return out
