from knowledge.expand import expanded


def test_an_english_question_also_searches_the_chinese_words_of_its_concepts():
    own, extra = expanded("how we got through the security review")
    assert "security" in own and {"安全", "通过"} <= set(extra)
    assert not set(extra) & set(own)


def test_a_chinese_question_also_searches_the_english_words():
    own, extra = expanded("竞品报价更低时用对比说明")
    assert {"price", "competitor", "comparison"} <= set(extra)
    assert all(t.isascii() for t in extra)


def test_a_question_without_known_concepts_is_not_expanded():
    assert expanded("Initech deal history")[1] == []
