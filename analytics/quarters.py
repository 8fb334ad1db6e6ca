"""Calendar quarters and months as half-open date ranges: `Quarter.parse("2026Q4")`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        m = _QUARTER.match(text or "")
        if not m:
            raise ValueError(f"not a quarter: {text!r} (write it as 2026Q4)")
        return cls(int(m[1]), int(m[2]))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:
        """The first day after the quarter."""
        return self.next().start

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end

    def months(self) -> list[date]:
        return [date(self.year, 3 * self.q - 2 + i, 1) for i in range(3)]

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1
