"""Clock times said in words, dates with a weekday in front or a year, day/month order, and
deadlines that are not the day something happened."""
from datetime import date

import pytest

from intents.rules.dates import find_dates, find_times, resolve

WED = date(2026, 11, 25)


@pytest.mark.parametrize("text, hour, minute", [
    ("half past four", 16, 30),
    ("at half past ten", 10, 30),
    ("a quarter past eight in the morning", 8, 15),
    ("quarter past 2", 14, 15),
    ("a quarter to six", 17, 45),
    ("quarter to 9 am", 8, 45),
    ("ten to three", 14, 50),
    ("twenty past eleven", 11, 20),
    ("five thirty pm", 17, 30),
    ("at seven o'clock", 7, 0),
    ("eleven am", 11, 0),
    ("at noon", 12, 0),
    ("midnight", 0, 0),
    ("差一刻十点", 9, 45),
    ("下午差十分四点", 15, 50),
    ("三点差一刻", 14, 45),
    ("晚上八点一刻", 20, 15),
    ("half three", 15, 30),
    ("at half nine in the morning", 9, 30),
    ("2.30pm", 14, 30),
    ("at 10.45 am", 10, 45),
])
def test_clock_words(text, hour, minute):
    (t,) = find_times(text.lower())
    assert (t.hour, t.minute) == (hour, minute)


@pytest.mark.parametrize("text", ["half the team", "a quarter of the budget", "twenty past deals", "past two weeks",
                                  "half an hour", "half 3 hours"])
def test_words_that_are_not_a_clock(text):
    assert find_times(text) == []


@pytest.mark.parametrize("text, due", [
    ("Thu, Dec 3", "2026-12-03"),
    ("Fri 4 December", "2026-12-04"),
    ("Monday, the 7th of December", "2026-12-07"),
    ("wed 12/9", "2026-12-09"),
    ("12月7日（周一）", "2026-12-07"),
    ("12月8号星期二", "2026-12-08"),
])
def test_weekday_before_or_after_a_date_is_one_date(text, due):
    (d,) = find_dates(text.lower())
    assert resolve(d, WED, "due_at").isoformat() == due


@pytest.mark.parametrize("text, day", [
    ("2027年5月8日", "2027-05-08"), ("2027年1月3号", "2027-01-03"), ("5/8/2027", "2027-05-08"),
    ("May 8, 2027", "2027-05-08"), ("8 May 2027", "2027-05-08"), ("2027-02-01", "2027-02-01"),
])
def test_dates_with_a_year(text, day):
    (d,) = find_dates(text.lower())
    assert resolve(d, WED, "occurred_on").isoformat() == day
    assert resolve(d, WED, "due_at").isoformat() == day


@pytest.mark.parametrize("text, day", [("23/11", "2026-11-23"), ("30/11", "2026-11-30"), ("17/12/2026", "2026-12-17")])
def test_day_first_when_the_first_number_cannot_be_a_month(text, day):
    (d,) = find_dates(text)
    assert resolve(d, WED, "due_at" if day > "2026-11-25" else "occurred_on").isoformat() == day


@pytest.mark.parametrize("text, deadline", [
    ("by Dec 4", True), ("before the 20th", True), ("due Friday", True), ("周五前", True), ("12月10日之前", True),
    ("on Dec 4", False), ("周五", False), ("三天前", False), ("2 weeks ago", False),
])
def test_deadlines(text, deadline):
    (d,) = find_dates(text.lower())
    assert d.deadline is deadline


@pytest.mark.parametrize("text, user, due", [
    ("remind me Friday at half past four to call Peter", 4, "2026-11-27T16:30"),
    ("remind me Thu, Dec 3 at a quarter to ten to prep the Acme review", 4, "2026-12-03T09:45"),
    ("remind me 30/11 at noon to chase the Umbrella PO", 4, "2026-11-30T12:00"),
    ("周五差一刻十点提醒我给金桥周总打电话", 1, "2026-11-27T09:45"),
    ("2027年1月5日提醒我给青松发年度回顾", 1, "2027-01-05T09:00"),
    ("12月7日（周一）上午提醒我去海纳", 6, "2026-12-07T09:00"),
])
def test_reminders_with_clock_words_and_dates(calls, text, user, due):
    (call,) = calls(text, user=user)
    assert call["name"] == "create_reminder" and call["args"]["due_at"] == due


@pytest.mark.parametrize("text, user, occurred", [
    ("Spoke with Nancy at Northwind on Nov 18; they want the revised SOW by Dec 2", 4, "2026-11-18"),
    ("met Ken at Contoso Bank Monday, proposal due Friday", 4, "2026-11-23"),
    ("11月20日在明远见了吴老师，她要我们12月5日前交方案", 1, "2026-11-20"),
])
def test_a_deadline_is_not_when_the_visit_happened(calls, text, user, occurred):
    (visit,) = [c for c in calls(text, user=user) if c["name"] == "log_visit"]
    assert visit["args"]["occurred_on"] == occurred


@pytest.mark.parametrize("text, due", [("by end of Q2", "2027-06-30"), ("the end of Q1", "2027-03-31"), ("end of q4", "2026-12-31")])
def test_end_of_a_quarter(text, due):
    (d,) = find_dates(text.lower())
    assert d.start == 0 or text.lower().startswith("by ")
    assert resolve(d, WED, "expected_close").isoformat() == due


@pytest.mark.parametrize("text, user, close", [
    ("Globex analytics slipped, now expected end of Q2", 4, "2027-06-30"),
    ("Umbrella data platform pushed - ETA end of January", 4, "2027-01-31"),
    ("天衡储能二期推迟了，预计明年3月底", 1, "2027-03-31"),
])
def test_a_slip_then_the_new_date(calls, text, user, close):
    (deal,) = [c for c in calls(text, user=user) if c["name"] == "update_opportunity"]
    assert deal["args"]["expected_close"] == close


@pytest.mark.parametrize("text, user, due, words", [
    ("remind me on Wednesday the 9th of December at half past one to call Sam", 4, "2026-12-09T13:30", "call Sam"),
    ("coffee w/ Nancy @ Northwind tmrw @ noon, pls remind me", 4, "2026-11-26T12:00", "coffee w/ Nancy @ Northwind"),
    ("麻烦设个提醒：下个月3号给明远吴老师寄发票", 2, "2026-12-03T09:00", "给明远吴老师寄发票"),
])
def test_reminder_text_leaves_out_the_time_and_the_politeness(calls, text, user, due, words):
    (call,) = calls(text, user=user)
    assert call["args"]["due_at"] == due and call["args"]["text"] == words


@pytest.mark.parametrize("text, due", [("Sat Dec 12", "2026-12-12"), ("sun 12/13", "2026-12-13"), ("on Sat, the 5th of December", "2026-12-05")])
def test_weekend_days_before_a_date(text, due):
    (d,) = find_dates(text.lower())
    assert resolve(d, WED, "due_at").isoformat() == due


def test_sat_down_is_not_a_saturday():
    assert find_dates("sat down with bill") == []


@pytest.mark.parametrize("text, user, due", [
    ("remind me a week from Thursday to chase the Initech PO", 4, "2026-12-03T09:00"),
    ("remind me two weeks from Monday to review the Acme pilot", 4, "2026-12-14T09:00"),
    ("remind me first thing tomorrow to send Nancy the contract", 4, "2026-11-26T09:00"),
])
def test_weeks_from_a_day_and_first_thing(calls, text, user, due):
    (call,) = calls(text, user=user)
    assert call["args"]["due_at"] == due


@pytest.mark.parametrize("text, user", [
    ("Umbrella signed on Nov 23! €95k", 4),
    ("Tailspin closed on the 20th, $410k", 4),
    ("11月23号在明远签了排课系统，三十万", 2),
])
def test_the_signing_day_is_not_a_close_date(calls, text, user):
    (deal,) = [c for c in calls(text, user=user) if c["name"] == "update_opportunity"]
    assert deal["args"]["stage"] == "won" and "expected_close" not in deal["args"]
