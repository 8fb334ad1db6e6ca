"""One Choice codec for every button and typed number."""
from __future__ import annotations

import pytest

from bot.cards import card_options, numbered_options, quote_choices
from bot.choices import Choice, pick_number, typed_number


@pytest.mark.parametrize("choice", [Choice("d", 7, "confirm"), Choice("c", 7, "3"), Choice("q", 101, "reject"),
                                    Choice("r", 12, "snooze1h"), Choice("p", 4, "off_dg")])
def test_encode_decode_round_trip(choice):
    encoded = choice.encode()
    assert len(encoded.encode()) <= 64
    assert Choice.decode(encoded) == choice


@pytest.mark.parametrize("raw", [None, "", "rm -rf /", "d:7", "x:7:confirm", "d:abc:confirm", "d:7:CONFIRM",
                                 "d:1234567890123:confirm", "d:7:" + "a" * 17])
def test_junk_does_not_decode(raw):
    assert Choice.decode(raw) is None


def test_options_are_numbered_from_one_and_typed_numbers_pick_the_same_option():
    options = numbered_options(9, ["蓝鲸数据", "青松制药", "天衡能源"])
    assert [Choice.decode(o.id).number for o in options] == [1, 2, 3]
    for n, option in enumerate(options, 1):
        assert pick_number(str(n), options) == Choice.decode(option.id)
    assert pick_number("３", options).number == 3  # full-width
    assert pick_number("第2个", options).number == 2
    assert pick_number("4", options) is None and pick_number("0", options) is None
    assert pick_number("2号报价", options) is None


def test_card_and_quote_buttons_decode_to_their_actions():
    assert [Choice.decode(o.id).action for o in card_options(5, "zh")] == ["confirm", "edit", "cancel"]
    assert [Choice.decode(o.id) for o in quote_choices(101, "en")] == [Choice("q", 101, "approve"),
                                                                        Choice("q", 101, "reject")]


@pytest.mark.parametrize("text, number", [("1", 1), (" 2. ", 2), ("3。", 3), ("12", 12), ("一", None), ("1 2", None)])
def test_typed_number(text, number):
    assert typed_number(text) == number
