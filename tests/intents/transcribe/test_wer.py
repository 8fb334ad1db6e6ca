"""Word error rate: spelling conventions are not errors, words and characters are."""
from __future__ import annotations

import pytest

from intents.transcribe.wer import edit_distance, normalize, word_error_rate


@pytest.mark.parametrize("written", ["$60,000", "60,000 dollars", "60 thousand dollars", "60k dollars",
                                     "$60k", "$60 thousand", "60000 Dollars"])
def test_amounts_are_compared_as_values(written):
    assert normalize(f"About {written}, by the end of the month.") == \
        ["about", "60000", "dollars", "by", "the", "end", "of", "the", "month"]


def test_case_punctuation_and_hyphens_are_not_errors():
    assert word_error_rate([("Met Ken at Contoso Bank; follow-up next Friday.",
                             "met ken at contoso bank follow up next friday")]).errors == 0
    assert normalize("$1.2 million, it's done") == ["1200000", "dollars", "it's", "done"]


def test_errors_are_substitutions_deletions_and_insertions_over_reference_words():
    result = word_error_rate([("close in two weeks", "clause in two weeks"),  # 1 substitution
                              ("new lead at Fabrikam", "newly that Fabrikam"),  # 2 subs + 1 deletion
                              ("signed today", "signed today okay")])  # 1 insertion
    assert (result.errors, result.words) == (5, 10) and result.rate == 0.5
    assert edit_distance([], ["a"]) == 1 and edit_distance(["a"], []) == 1
    assert word_error_rate([]).rate == 0.0


def test_chinese_is_scored_by_character():
    assert normalize("拜访蓝鲸，80万") == ["拜", "访", "蓝", "鲸", "80", "万"]
    assert word_error_rate([("今天拜访了蓝鲸", "今天拜访了蓝精")]).errors == 1
