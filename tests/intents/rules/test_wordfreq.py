import pytest

from intents.rules.wordfreq import frequencies, is_word_at


@pytest.mark.parametrize("text, name, word", [
    ("邓总和许工都在", "邓总", True), ("邓总和许工都在", "许工", True), ("给郑总打电话", "郑总", True),
    ("金桥周总电话通知", "周总", True), ("海纳何总拍板", "何总", True), ("明远吴老师微信上问", "明远", True),
    ("把小王的青松制药交给老刘", "小王", True), ("天衡和青松今天都跑了一趟", "青松", True),
    ("如何总结", "何总", False), ("为何总是", "何总", False), ("说明远程", "明远", False), ("允许工程师", "许工", False),
    ("下周总部开会", "周总", False), ("上海纳税", "海纳", False),
])
def test_a_short_name_must_be_a_word_of_its_sentence(text, name, word):
    start = text.index(name)
    assert is_word_at(text, start, start + len(name)) is word


def test_the_dictionary_is_jiebas_short_words():
    freq = frequencies()
    assert freq["总结"] > 1000 and all(len(w) <= 3 for w in list(freq)[:1000])
