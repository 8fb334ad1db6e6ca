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


class CodedColumn:
    """Strings (or None) per slot as int32 codes; `column == value` gives a bool array."""

    def __init__(self, codes: np.ndarray | None = None, vocabulary: dict[str, int] | None = None) -> None:
        self.codes = codes if codes is not None else np.zeros(0, dtype=np.int32)
        self.vocabulary = vocabulary if vocabulary is not None else {}
        self._values: list[str] = sorted(self.vocabulary, key=self.vocabulary.__getitem__)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return CodedColumn(self.codes[key], self.vocabulary)  # a view sharing the vocabulary
        code = int(self.codes[key])
        return None if code == MISSING else self._values[code]

    def __setitem__(self, slot: int, value: str | None) -> None:
        self.codes[slot] = self.code(value, add=True)

    def code(self, value: str | None, *, add: bool = False) -> int:
        if value is None:
            return MISSING
        value = str(value)
        found = self.vocabulary.get(value)
        if found is None:
            if not add:
                return -2  # matches nothing
            found = self.vocabulary[value] = len(self._values)
            self._values.append(value)
        return found

    def __eq__(self, value: object) -> np.ndarray:  # type: ignore[override]
        return self.codes == self.code(value if value is None else str(value))

    def __ne__(self, value: object) -> np.ndarray:  # type: ignore[override]
        return ~(self == value)

    __hash__ = None  # type: ignore[assignment]

    def grown(self, size: int) -> CodedColumn:
        codes = np.full(size, MISSING, dtype=np.int32)
        codes[: len(self.codes)] = self.codes
        out = CodedColumn(codes, self.vocabulary)
        out._values = self._values
        return out


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
