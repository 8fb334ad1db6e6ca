from decimal import Decimal

import cn2an
import pytest

from intents.rules.numerals import chinese, number


@pytest.mark.parametrize("text, value", [
    ("12", 12), ("1,200", 1200), ("280,000", 280000), ("1.5", Decimal("1.5")), (".5", Decimal("0.5")),
    ("三百二十万", 3_200_000), ("两百五十万", 2_500_000), ("一百二十万", 1_200_000), ("五十万", 500_000),
    ("十", 10), ("十五", 15), ("二十五", 25), ("一百零五", 105), ("一千零五", 1005), ("一万零五百", 10_500),
    ("一万五", 15_000), ("三千五", 3500), ("两百五", 250), ("两千万", 20_000_000),
    ("一亿五千万", 150_000_000), ("1.5亿", 150_000_000), ("一点五亿", 150_000_000), ("10万", 100_000),
    ("3千", 3000), ("八五", 85), ("九五", 95), ("two", 2), ("a couple of", 2), ("Twelve", 12),
])
def test_numbers_in_both_languages(text, value):
    assert number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "十点", "三家", "1.2.3", "点", "九五折"])
def test_what_is_not_a_number(text):
    assert number(text) is None


def test_agrees_with_cn2an_where_cn2an_reads_it():
    forms = ["三百二十万", "两百五十万", "一百二十万", "一万五", "三千五", "十二", "一千二百万", "一百八十万", "十万"]
    for form in forms:
        assert chinese(form) == Decimal(cn2an.cn2an(form, "smart"))
