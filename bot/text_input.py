"""Cleaning what users type, and recognizing the few words that steer a pending card."""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff]")
_STRIP = " \t\r\n。.!！~～,，"

CONFIRM_WORDS = {"1", "确认", "确定", "是", "对", "可以", "ok", "okay", "yes", "y", "confirm", "save", "保存"}
EDIT_WORDS = {"2", "修改", "改", "改一下", "edit", "change"}
CANCEL_WORDS = {"3", "取消", "算了", "不用了", "cancel", "no", "n", "/cancel"}
HELP_WORDS = {"/help", "help", "帮助", "/start", "你能做什么", "?", "？"}


def clean_text(raw: str) -> str:
    """NFC-normalize, drop control and zero-width characters, collapse runs of blank lines."""
    text = unicodedata.normalize("NFC", raw or "")
    text = _CONTROL.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def looks_binary(raw: str) -> bool:
    """Mostly unprintable or replacement characters: a file pasted as text, not a message."""
    if not raw:
        return False
    bad = sum(1 for ch in raw if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Co", "Cs", "Cn")
                                                       and ch not in "\n\r\t"))
    return bad / len(raw) > 0.3


def has_words(text: str) -> bool:
    """Letters or digits somewhere (an emoji-only message has none)."""
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in text)


def control_word(text: str) -> str | None:
    word = text.strip(_STRIP).casefold()
    if word in CONFIRM_WORDS:
        return "confirm"
    if word in EDIT_WORDS:
        return "edit"
    if word in CANCEL_WORDS:
        return "cancel"
    return None


def is_help(text: str) -> bool:
    return text.strip(_STRIP).casefold() in HELP_WORDS


def guess_language(text: str, hint: str | None = None) -> str:
    if hint:
        return "en" if hint.lower().startswith("en") else "zh"
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "zh" if cjk and cjk * 3 >= latin else ("en" if latin else "zh")


_THANKS = re.compile(r"^(谢谢|多谢|感谢|辛苦了?|thx|thanks|thank you|ty|cheers)", re.IGNORECASE)
_GREETING = re.compile(r"^(你好|您好|早上好|上午好|下午好|晚上好|早安|嗨|哈喽|hi|hello|hey|good (morning|afternoon|evening))\b",
                       re.IGNORECASE)


def small_talk_kind(text: str) -> str | None:
    """'thanks', 'greeting' or None, for messages that ask for nothing."""
    stripped = text.strip(_STRIP)
    if _THANKS.match(stripped):
        return "thanks"
    if _GREETING.match(stripped):
        return "greeting"
    return None
