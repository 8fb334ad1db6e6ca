from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tools.periods import PERIODS, period_range

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize("period, start, last", [
    ("today", date(2026, 11, 25), date(2026, 11, 25)),
    ("this_week", date(2026, 11, 23), date(2026, 11, 29)),
    ("last_week", date(2026, 11, 16), date(2026, 11, 22)),
    ("next_week", date(2026, 11, 30), date(2026, 12, 6)),
    ("this_month", date(2026, 11, 1), date(2026, 11, 30)),
    ("last_month", date(2026, 10, 1), date(2026, 10, 31)),
    ("this_quarter", date(2026, 10, 1), date(2026, 12, 31)),
    ("last_quarter", date(2026, 7, 1), date(2026, 9, 30)),
    ("this_year", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_contract_periods_from_the_reference_wednesday(period, start, last):
    span = period_range(period, WEDNESDAY)
    assert (span.start, span.to_json()["end"]) == (start, last.isoformat())
    assert start in span and last in span


def test_every_contract_period_is_handled():
    assert set(PERIODS) == {"today", "this_week", "last_week", "next_week", "this_month", "last_month",
                            "this_quarter", "last_quarter", "this_year"}
    for period in PERIODS:
        span = period_range(period, WEDNESDAY)
        assert span.start < span.end


def test_year_boundaries():
    january = date(2027, 1, 14)
    assert period_range("last_month", january).start == date(2026, 12, 1)
    assert period_range("last_quarter", january).start == date(2026, 10, 1)
    assert period_range("this_quarter", january).end == date(2027, 4, 1)
    sunday = date(2026, 11, 29)
    assert period_range("this_week", sunday).start == date(2026, 11, 23)


def test_bounds_are_local_midnights():
    tz = ZoneInfo("Asia/Shanghai")
    span = period_range("today", WEDNESDAY)
    start, end = span.bounds(tz)
    assert start == datetime(2026, 11, 25, tzinfo=tz) and end == datetime(2026, 11, 26, tzinfo=tz)
    late_utc = datetime(2026, 11, 25, 17, 30, tzinfo=ZoneInfo("UTC"))  # 01:30 on the 26th in Shanghai
    assert not span.contains_instant(late_utc, tz)
