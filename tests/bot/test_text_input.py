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
