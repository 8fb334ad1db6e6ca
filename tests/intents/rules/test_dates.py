from datetime import date

import pytest

from intents.rules.dates import find_dates, find_period, find_times, resolve

WED = date(2026, 11, 25)  # the contract's reference day, a Wednesday
SUN = date(2026, 11, 29)
YEAR_END = date(2026, 12, 30)


def only(text: str, today: date, field: str) -> str | None:
    found = find_dates(text.lower())
    assert len(found) == 1, found
    day = resolve(found[0], today, field)
    return day.isoformat() if day else None


@pytest.mark.parametrize("text, occurred, due", [
    ("今天", "2026-11-25", "2026-11-25"), ("昨天", "2026-11-24", "2026-11-24"), ("前天", "2026-11-23", "2026-11-23"),
    ("明天", "2026-11-26", "2026-11-26"), ("后天", "2026-11-27", "2026-11-27"), ("大后天", "2026-11-28", "2026-11-28"),
    ("today", "2026-11-25", "2026-11-25"), ("yesterday", "2026-11-24", "2026-11-24"), ("tmrw", "2026-11-26", "2026-11-26"),
    ("this morning", "2026-11-25", "2026-11-25"), ("the day after tomorrow", "2026-11-27", "2026-11-27"),
    ("周一", "2026-11-23", "2026-11-30"), ("周五", "2026-11-20", "2026-11-27"), ("星期天", "2026-11-22", "2026-11-29"),
    ("monday", "2026-11-23", "2026-11-30"), ("on friday", "2026-11-20", "2026-11-27"), ("thurs", "2026-11-19", "2026-11-26"),
    ("本周五", "2026-11-27", "2026-11-27"), ("这周一", "2026-11-23", "2026-11-23"), ("this friday", "2026-11-27", "2026-11-27"),
    ("上周五", "2026-11-20", "2026-11-20"), ("last friday", "2026-11-20", "2026-11-20"),
    ("下周三", "2026-12-02", "2026-12-02"), ("next wednesday", "2026-12-02", "2026-12-02"), ("next wed", "2026-12-02", "2026-12-02"),
    ("下下周一", "2026-12-07", "2026-12-07"), ("下礼拜五", "2026-12-04", "2026-12-04"),
    ("月底", "2026-11-30", "2026-11-30"), ("end of month", "2026-11-30", "2026-11-30"),
    ("下个月底", "2026-12-31", "2026-12-31"), ("end of next month", "2026-12-31", "2026-12-31"),
    ("年底", "2026-12-31", "2026-12-31"), ("end of the year", "2026-12-31", "2026-12-31"), ("明年底", "2027-12-31", "2027-12-31"),
    ("下个月15号", "2026-12-15", "2026-12-15"), ("下个月初", "2026-12-01", "2026-12-01"),
    ("3天后", "2026-11-28", "2026-11-28"), ("两周后", "2026-12-09", "2026-12-09"), ("半个月后", "2026-12-10", "2026-12-10"),
    ("in 3 days", "2026-11-28", "2026-11-28"), ("in two weeks", "2026-12-09", "2026-12-09"), ("in a week", "2026-12-02", "2026-12-02"),
    ("2 days ago", "2026-11-23", "2026-11-23"), ("三天前", "2026-11-22", "2026-11-22"),
    ("12月15日", "2025-12-15", "2026-12-15"), ("1月10号", "2026-01-10", "2027-01-10"), ("11月20号", "2026-11-20", "2027-11-20"),
    ("Dec 3", "2025-12-03", "2026-12-03"), ("jan 5", "2026-01-05", "2027-01-05"), ("3rd of December", "2025-12-03", "2026-12-03"),
    ("11/20", "2026-11-20", "2027-11-20"), ("12/8", "2025-12-08", "2026-12-08"), ("2026-12-15", "2026-12-15", "2026-12-15"),
    ("2027年1月8日", "2027-01-08", "2027-01-08"), ("明年1月10号", "2027-01-10", "2027-01-10"),
    ("15号", "2026-11-15", "2026-12-15"), ("the 28th", "2026-10-28", "2026-11-28"),
    ("明年一季度", "2027-03-31", "2027-03-31"), ("Q1 next year", "2027-03-31", "2027-03-31"), ("本季度末", "2026-12-31", "2026-12-31"),
    ("end of quarter", "2026-12-31", "2026-12-31"), ("Q2", "2026-06-30", "2027-06-30"), ("下季度", "2027-03-31", "2027-03-31"),
    ("12月中旬", "2025-12-20", "2026-12-20"), ("12月底", "2025-12-31", "2026-12-31"),
    ("end of the week", "2026-11-27", "2026-11-27"), ("EOW", "2026-11-27", "2026-11-27"),
    ("end of next week", "2026-12-04", "2026-12-04"), ("early next week", "2026-11-30", "2026-11-30"),
    ("this weekend", "2026-11-28", "2026-11-28"), ("mid december", "2025-12-15", "2026-12-15"),
    ("mid-jan", "2026-01-15", "2027-01-15"), ("十二月初", "2025-12-01", "2026-12-01"), ("1月中", "2026-01-15", "2027-01-15"),
    ("下个月中旬", "2026-12-20", "2026-12-20"), ("下个月下旬", "2026-12-31", "2026-12-31"),
    ("周五之前", "2026-11-20", "2026-11-27"), ("月底前", "2026-11-30", "2026-11-30"), ("12月15号前", "2025-12-15", "2026-12-15"),
    ("12.15", "2025-12-15", "2026-12-15"), ("12.20号", "2025-12-20", "2026-12-20"), ("1.8", "2026-01-08", "2027-01-08"),
    ("next week tuesday", "2026-12-01", "2026-12-01"), ("tuesday next week", "2026-12-01", "2026-12-01"),
    ("this coming monday", "2026-11-30", "2026-11-30"), ("in a fortnight", "2026-12-09", "2026-12-09"),
    ("end of Q1", "2026-03-31", "2027-03-31"), ("元旦前", "2025-12-31", "2026-12-31"), ("元旦", "2026-01-01", "2027-01-01"),
])
def test_dates_point_back_for_what_happened_and_forward_for_what_is_due(text, occurred, due):
    assert only(text, WED, "occurred_on") == occurred
    assert only(text, WED, "due_at") == due
    assert only(text, WED, "expected_close") == due


@pytest.mark.parametrize("text, today, field, expected", [
    ("下周一", YEAR_END, "due_at", "2027-01-04"), ("next monday", YEAR_END, "due_at", "2027-01-04"),
    ("后天", YEAR_END, "due_at", "2027-01-01"), ("下周五", YEAR_END, "due_at", "2027-01-08"),
    ("jan 5", YEAR_END, "due_at", "2027-01-05"), ("下个月底", YEAR_END, "expected_close", "2027-01-31"),
    ("明年一季度", YEAR_END, "expected_close", "2027-03-31"), ("上周五", YEAR_END, "occurred_on", "2026-12-25"),
    ("on friday", SUN, "occurred_on", "2026-11-27"), ("tmrw", SUN, "due_at", "2026-11-30"),
    ("下周", WED, "due_at", "2026-11-30"), ("next week", SUN, "due_at", "2026-11-30"),
    ("下个月", WED, "expected_close", "2026-12-31"), ("next month", WED, "due_at", "2026-12-01"),
])
def test_other_days(text, today, field, expected):
    assert only(text, today, field) == expected


@pytest.mark.parametrize("text", ["30-day pilot", "gone quiet for 2 weeks", "3家门店", "一个月", "年后再细聊", "40 warehouses",
                                  "a sunny day", "sat down with them", "may be", "1.5万", "打8.5折", "$1.2m", "v2.1", "1.2 million"])
def test_not_dates(text):
    assert find_dates(text.lower()) == []


def test_a_bare_week_names_no_past_day():
    (week,) = find_dates("上周")
    assert resolve(week, WED, "occurred_on") is None


@pytest.mark.parametrize("text, hour, minute", [
    ("下午3点", 15, 0), ("下午三点", 15, 0), ("上午十点半", 10, 30), ("晚上8点", 20, 0), ("中午", 12, 0), ("中午1点", 13, 0),
    ("早上9点半", 9, 30), ("两点半", 14, 30), ("十点", 10, 0), ("3点一刻", 15, 15), ("下午3:30", 15, 30),
    ("9:30am", 9, 30), ("5:15pm", 17, 15), ("3pm", 15, 0), ("10 am", 10, 0), ("12am", 0, 0), ("noon", 12, 0),
    ("8 tonight", 20, 0), ("at 3", 15, 0), ("at 10", 10, 0), ("14:00", 14, 0), ("tonight", 20, 0), ("下午", 14, 0),
])
def test_times_of_day(text, hour, minute):
    (t,) = find_times(text.lower())
    assert (t.hour, t.minute) == (hour, minute)


def test_a_part_of_day_alone_is_not_an_exact_time():
    assert not find_times("上午")[0].exact and find_times("上午10点")[0].exact


@pytest.mark.parametrize("text", ["at 30%", "in 3 days", "80万", "Q-101"])
def test_not_times(text):
    assert find_times(text.lower()) == []


@pytest.mark.parametrize("text, period", [
    ("今天有啥待办", "today"), ("本周团队哪些客户最活跃", "this_week"), ("这周", "this_week"), ("last week", "last_week"),
    ("上周", "last_week"), ("下周要跟进的", "next_week"), ("next week", "next_week"), ("这个月我的pipeline", "this_month"),
    ("this month", "this_month"), ("上个月团队签单", "last_month"), ("last month", "last_month"),
    ("本季度的转化率", "this_quarter"), ("this quarter", "this_quarter"), ("上季度的销售漏斗", "last_quarter"),
    ("last quarter", "last_quarter"), ("今年在谈", "this_year"), ("YTD", "this_year"), ("我的提醒", None),
])
def test_report_periods(text, period):
    assert find_period(text.lower()) == period
