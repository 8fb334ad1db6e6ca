from decimal import Decimal

import pytest

from intents.rules.money import find_discounts, find_money, find_quote_ids
from intents.rules.text import prepare


def money(text: str) -> list[tuple[Decimal, str | None]]:
    msg = prepare(text)
    return [(m.amount, m.currency) for m in find_money(msg.text, msg.low)]


@pytest.mark.parametrize("text, amount, currency", [
    ("50万", 500_000, "CNY"), ("五十万", 500_000, "CNY"), ("三百二十万", 3_200_000, "CNY"), ("1.5亿", 150_000_000, "CNY"),
    ("一点五亿", 150_000_000, "CNY"), ("两百万整", 2_000_000, "CNY"), ("28万元", 280_000, "CNY"), ("120w", 1_200_000, "CNY"),
    ("¥280,000", 280_000, "CNY"), ("￥280,000", 280_000, "CNY"), ("RMB 50,000", 50_000, "CNY"), ("5000块", 5000, "CNY"),
    ("$80,000", 80_000, "USD"), ("$1.2M", 1_200_000, "USD"), ("~$500k", 500_000, "USD"), ("200k USD", 200_000, "USD"),
    ("US$50k", 50_000, "USD"), ("50万美元", 500_000, "USD"), ("30万美金", 300_000, "USD"), ("3 million dollars", 3_000_000, "USD"),
    ("€120k", 120_000, "EUR"), ("45,000 EUR", 45_000, "EUR"), ("1.2M EUR", 1_200_000, "EUR"), ("20万欧元", 200_000, "EUR"),
    ("200k", 200_000, None), ("1.2 million", 1_200_000, None), ("3M", 3_000_000, None),
    ("HKD 800,000", 800_000, "HKD"), ("80万港币", 800_000, "HKD"), ("1200万日元", 12_000_000, "JPY"), ("£60k", 60_000, "GBP"),
    ("¥3,000,000 JPY", 3_000_000, "JPY"), ("250,000 SGD", 250_000, "SGD"), ("S$120k", 120_000, "SGD"), ("50万新币", 500_000, "SGD"), ("AUD 90k", 90_000, "AUD"),
])
def test_amounts_and_their_currency(text, amount, currency):
    assert money(text) == [(Decimal(amount), currency)]


@pytest.mark.parametrize("text", ["3家门店", "40 warehouses", "30-day pilot", "line 2", "3-year term", "十点半", "八五折",
                                  "15% off", "Q-101", "#102", "30m walk", "w/ 5% off", "11/20"])
def test_counts_times_and_ids_are_not_money(text):
    assert money(text) == []


@pytest.mark.parametrize("text, relative", [
    ("金额涨了20万", True), ("预算追加了10万", True), ("bumped by 20k", True), ("amount up $15k", True), ("下调了5万", True),
    ("涨到60万", False), ("上调到300万", False), ("down to $80k", False), ("wrapped up $200k", False), ("80万", False),
])
def test_a_change_of_size_is_told_from_a_size(text, relative):
    msg = prepare(text)
    assert [m.relative for m in find_money(msg.text, msg.low)] == [relative]


def test_a_discount_is_not_applied_to_the_amount():
    assert money("一百二十万，八五折") == [(Decimal(1_200_000), "CNY")]
    assert money("¥280,000，88折") == [(Decimal(280_000), "CNY")]


@pytest.mark.parametrize("text, pct", [
    ("打85折", 15), ("八五折", 15), ("85折", 15), ("88折", 12), ("九折", 10), ("打八折", 20), ("九五折", 5), ("7.5折", 25),
    ("降价10%", 10), ("再降10%", 10), ("15% off", 15), ("10% discount", 10), ("w/ 5% off", 5), ("discount of 12%", 12),
    ("折扣20%", 20), ("百分之十五的折扣", 15), ("at 15% off", 15), ("优惠8%", 8),
    ("minus 12%", 12), ("less 10%", 10), ("优惠10个点", 10), ("让利五个点", 5), ("给12个点的折扣", 12), ("让利5%", 5), ("打个八折", 20),
])
def test_discounts_are_the_percentage_taken_off(text, pct):
    assert [d.pct_off for d in find_discounts(text.lower())] == [Decimal(pct)]


@pytest.mark.parametrize("text", ["折扣再收一收", "12% is too deep", "打折", "growth of 20%"])
def test_not_discounts(text):
    assert find_discounts(text.lower()) == []


@pytest.mark.parametrize("text, ids", [
    ("approve Q-101", [101]), ("q101 ok", [101]), ("#102 不批", [102]), ("102号报价批了", [102]), ("报价单 103 通过", [103]),
    ("reject quote 103 - 12% is too deep", [103]), ("quote #104", [104]),
    ("approve Q101", [101]), ("q-103 is rejected", [103]), ("第104号报价通过", [104]), ("quote no. 101 approved", [101]),
])
def test_quote_numbers(text, ids):
    assert [i for _, _, i in find_quote_ids(prepare(text).low, bare=False)] == ids


@pytest.mark.parametrize("text, ids", [
    ("102、104两个报价都批了", [102, 104]), ("approve both 101 and 103", [101, 103]), ("102批了，104驳回", [102, 104]),
    ("approve 101, reject 103", [101, 103]), ("104 reject掉", [104]), ("104号和102号都通过", [104, 102]),
    ("金额80万，3家门店，30天，15%", []),
])
def test_bare_numbers_count_only_when_asked(text, ids):
    low = prepare(text).low
    assert [i for _, _, i in find_quote_ids(low, bare=True)] == ids
    assert find_quote_ids(low, bare=False) == []
