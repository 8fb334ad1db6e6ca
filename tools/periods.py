"""CONTRACT.md's named periods as date ranges in the user's timezone.

A range is half-open, [start, end): `this_week` on Wednesday 2026-11-25 is 2026-11-23 (Monday)
to 2026-11-30 (the next Monday). Weeks run Monday to Sunday; quarters are calendar quarters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tools.schemas import Period

PERIODS: tuple[Period, ...] = ("today", "this_week", "last_week", "next_week", "this_month",
                               "last_month", "this_quarter", "last_quarter", "this_year")


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # exclusive

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The range as aware datetimes: local midnight of `start` to local midnight of `end`."""
        return (datetime.combine(self.start, time(), tzinfo=tz),
                datetime.combine(self.end, time(), tzinfo=tz))

    def contains_instant(self, moment: datetime, tz: ZoneInfo) -> bool:
        return moment.astimezone(tz).date() in self

    def to_json(self) -> dict[str, str]:
        """Start and the last day included, both ISO dates."""
        return {"start": self.start.isoformat(), "end": (self.end - timedelta(days=1)).isoformat()}


def period_range(period: Period, today: date) -> DateRange:
    """The dates `period` covers, seen from `today` (the user's local date)."""
    if period == "today":
        return DateRange(today, today + timedelta(days=1))
    if period in ("this_week", "last_week", "next_week"):
        monday = today - timedelta(days=today.weekday())
        shift = {"this_week": 0, "last_week": -7, "next_week": 7}[period]
        start = monday + timedelta(days=shift)
        return DateRange(start, start + timedelta(days=7))
    if period == "this_month":
        start = today.replace(day=1)
        return DateRange(start, _add_months(start, 1))
    if period == "last_month":
        end = today.replace(day=1)
        return DateRange(_add_months(end, -1), end)
    if period in ("this_quarter", "last_quarter"):
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if period == "last_quarter":
            start = _add_months(start, -3)
        return DateRange(start, _add_months(start, 3))
    if period == "this_year":
        return DateRange(date(today.year, 1, 1), date(today.year + 1, 1, 1))
    raise ValueError(f"unknown period {period!r}")


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
