"""Search filters, as a mask over the index's documents (BM25 and dense alike)."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from storage.models import Stage

OUTCOMES = ("won", "lost", "open")


@dataclass(frozen=True)
class Filters:
    """Every given condition must hold; None means no condition.

    - industry, region: the account's, exactly as stored;
    - stage: the deal went through this stage at some point (a won deal went through negotiation);
    - outcome: won, lost or open, or several of them (closed deals: `("won", "lost")`);
    - exclude_deals: deals never returned (the deal being advised on).
    """

    industry: str | None = None
    region: str | None = None
    stage: Stage | None = None
    outcome: tuple[str, ...] | None = None
    exclude_deals: frozenset[int] = field(default_factory=frozenset)

    COLUMNS = ("industry", "region", "outcome", "deal_id", *(f"reached_{s.value}" for s in Stage))

    def __post_init__(self) -> None:
        if isinstance(self.outcome, str):
            object.__setattr__(self, "outcome", (self.outcome,))
        if self.outcome is not None:
            unknown = [o for o in self.outcome if o not in OUTCOMES]
            if unknown or not self.outcome:
                raise ValueError(f"outcome must be among {OUTCOMES}, got {self.outcome!r}")
        if self.stage is not None:
            object.__setattr__(self, "stage", Stage(self.stage))
        if not isinstance(self.exclude_deals, frozenset):
            object.__setattr__(self, "exclude_deals", frozenset(self.exclude_deals))

    @classmethod
    def of(cls, *, industry: str | None = None, region: str | None = None, stage: str | None = None,
           outcome: str | Collection[str] | None = None, exclude_deals: Collection[int] = ()) -> Filters:
        return cls(industry=industry or None, region=region or None, stage=Stage(stage) if stage else None,
                   outcome=(outcome,) if isinstance(outcome, str) else tuple(outcome) if outcome else None,
                   exclude_deals=frozenset(exclude_deals))

    def mask(self, columns: dict[str, Any]) -> np.ndarray | None:
        """Which of the index's documents pass (None: all of them). Each condition is one
        vectorised comparison: `columns` are numpy arrays or `knowledge.columns.CodedColumn`s;
        `reached_*` columns may be bool or object (None reads as no)."""
        size = len(columns["deal_id"])
        keep = np.ones(size, dtype=bool)
        if self.industry is not None:
            keep &= columns["industry"] == self.industry
        if self.region is not None:
            keep &= columns["region"] == self.region
        if self.stage is not None:
            reached = columns[f"reached_{self.stage.value}"]
            keep &= reached if reached.dtype == bool else reached == True  # noqa: E712 (object array)
        if self.outcome is not None:
            outcome = columns["outcome"]  # equalities: np.isin cannot read a coded column
            keep &= np.logical_or.reduce([outcome == o for o in self.outcome])
        if self.exclude_deals:
            keep &= ~np.isin(columns["deal_id"].astype(np.int64, copy=False), np.fromiter(self.exclude_deals, np.int64))
        return None if keep.all() else keep

    def describe(self) -> dict[str, Any]:
        return {k: v for k, v in {
            "industry": self.industry, "region": self.region,
            "stage": self.stage.value if self.stage else None,
            "outcome": list(self.outcome) if self.outcome else None,
            "exclude_deals": sorted(self.exclude_deals) or None}.items() if v is not None}
