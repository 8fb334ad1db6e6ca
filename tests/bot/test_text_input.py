import pytest

from bot.logs import scrub
from bot.text_input import clean_text, control_word, guess_language, has_words, looks_binary, small_talk_kind


@pytest.mark.parametrize("text, word", [
    ("1", "confirm"), ("确认", "confirm"), ("OK!", "confirm"), ("yes", "confirm"),
    ("2", "edit"), ("修改", "edit"), ("3", "cancel"), ("取消。", "cancel"), ("cancel", "cancel"),
    ("好的收到👌", None), ("今天拜访了蓝鲸", None), ("12", None),
])
def test_control_words(text, word):
    assert control_word(text) == word


def test_clean_text_drops_control_and_zero_width_characters():
    assert clean_text("\x00蓝鲸\u200b数据\x07\n\n\n\nok ") == "蓝鲸数据\n\nok"


def test_binary_and_emoji_detection():
    assert looks_binary("\x00\x01\x02\x03abc")
    assert not looks_binary("今天拜访了蓝鲸")
    assert not has_words("😀👍🎉")
    assert has_words("ok👍")


@pytest.mark.parametrize("text, lang", [("今天拜访了蓝鲸", "zh"), ("visited Acme today", "en"),
                                         ("今天visit了蓝鲸, 李总 confirmed PO", "zh"), ("", "zh")])
def test_language_guess(text, lang):
    assert guess_language(text) == lang


@pytest.mark.parametrize("text, kind", [("谢谢", "thanks"), ("thanks!", "thanks"), ("早上好", "greeting"),
                                         ("hey", "greeting"), ("lol ok", None)])
def test_small_talk(text, kind):
    assert small_talk_kind(text) == kind


def test_logs_scrub_tokens_keys_and_passwords():
    line = "url https://api.telegram.org/bot123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabc/getMe key sk-abcdefghijklmnopqrstu " \
           "db postgresql+psycopg://salesbot:hunter2@db/x"
    cleaned = scrub(line)
    assert "ABCDEFGHIJ" not in cleaned and "sk-abcdefghijkl" not in cleaned and "hunter2" not in cleaned


# Paraphrases of agreeing and refusing that appear in no issue or eval file: the reading is by
# class (pieces that agree, refuse or carry no decision), not by a list of sentences.
@pytest.mark.parametrize("text", ["好滴", "行吧", "嗯嗯，可以", "妥", "没毛病，存吧", "对的对的", "好的 提交吧", "OK ship it",
                                  "yeah sure", "sounds good thanks", "alright, save it", "👍", "go for it", "yup, correct"])
def test_agreeing_confirms(text):
    assert control_word(text) == "confirm"


@pytest.mark.parametrize("text", ["不用了谢谢", "先别存", "算了吧", "不要了，取消", "别批了", "nope", "never mind then",
                                  "scrap it", "no, don't", "forget about it", "cancel it please", "不了不了"])
def test_refusing_cancels(text):
    assert control_word(text) == "cancel"


@pytest.mark.parametrize("text", ["好的，金额改成120万", "ok but the amount is wrong", "好的收到👌", "not sure yet", "now",
                                  "嗯嗯嗯这个那个", "sure, and add a reminder", "行业是制造业", "no problem with the price, 100k",
                                  "我的提醒", "好 改一下"])
def test_sentences_with_content_are_not_a_bare_yes_or_no(text):
    assert control_word(text) is None


@pytest.mark.parametrize("text", ["改一下", "修改", "change it", "不对"])
def test_asking_to_change(text):
    assert control_word(text) == "edit"
