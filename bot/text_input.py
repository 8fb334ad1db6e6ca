"""Cleaning what users type, and recognizing the few words that steer a pending card."""
from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffd]")
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_STRIP = " \t\r\n。.!！~～,，"

CONFIRM_WORDS = {"1", "确认", "确定", "是", "对", "可以", "ok", "okay", "yes", "y", "confirm", "save", "保存"}
EDIT_WORDS = {"2", "修改", "改", "改一下", "edit", "change"}
CANCEL_WORDS = {"3", "取消", "算了", "不用了", "cancel", "no", "n", "/cancel"}
HELP_WORDS = {"/help", "help", "帮助", "/start", "你能做什么", "?", "？"}


def safe_text(raw: str | None) -> str:
    """What an adapter passes on of a platform's string: a surrogate pair sent as two escapes is
    joined into its character, a lone surrogate becomes U+FFFD and NUL is dropped, so the text can
    be encoded, logged and stored (PostgreSQL refuses NUL, UTF-8 refuses surrogates)."""
    if not raw or not _UNSTORABLE.search(raw):
        return raw or ""
    joined = raw.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.replace("\x00", "")


def clean_text(raw: str) -> str:
    """Make it safe (`safe_text`), NFC-normalize, drop control, bidi, zero-width and replacement
    characters, collapse runs of blank lines."""
    text = unicodedata.normalize("NFC", safe_text(raw))
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
    """"confirm", "edit" or "cancel" when the message says only that (in any of many ways: 好的,
    行, 嗯 确认, 没问题, sure, yep confirm; 不了先别批, nah forget it cancel), else None."""
    word = text.strip(_STRIP).casefold()
    if word in CONFIRM_WORDS:
        return "confirm"
    if word in EDIT_WORDS:
        return "edit"
    if word in CANCEL_WORDS:
        return "cancel"
    return reply_class(word)


# A short reply to a card is read as a sequence of known pieces: agreeing, refusing, asking to
# change, and words that carry no decision (particles, the action being agreed to, "it", "please").
# Every piece must be known, so a sentence with content ("好的，金额改成120万", "ok but the amount
# is wrong") is never taken for a bare yes or no. A refusal anywhere wins: 好的不用了 is a no.
_AGREE = ("没问题", "没毛病", "可以的", "可以", "好的", "好滴", "好嘞", "好哒", "好啊", "好吧", "好", "行啊", "行吧", "行",
          "嗯嗯", "嗯", "对的", "对", "是的", "是", "确认", "确定", "同意", "没错", "妥", "中", "成", "要得", "就这样",
          "ok", "okay", "k", "sure", "yes", "yep", "yup", "yeah", "ya", "y", "fine", "confirm", "confirmed",
          "correct", "right", "alright", "all good", "looks good", "sounds good", "good", "great", "perfect",
          "go ahead", "go for it", "do it", "ship it", "lgtm", "absolutely", "definitely", "of course", "👍", "👌",
          "✅")
_REFUSE = ("不用了", "不用", "不要了", "不要", "不了", "别了", "先别", "别", "算了", "取消", "撤销", "作废", "不行",
           "不", "no", "nope", "nah", "cancel", "forget it", "forget about it", "never mind", "nevermind",
           "scrap it", "scrap that", "drop it", "discard", "don't", "dont", "do not", "stop", "abort", "❌")
_CHANGE = ("修改", "改一下", "改下", "改", "不对", "错了", "edit", "change it", "change", "modify")
_NEUTRAL = ("先", "了", "吧", "啊", "呀", "哈", "呢", "嘛", "哦", "噢", "喔", "的", "就", "那就",
            "保存", "存", "批", "提交", "发", "写", "记", "录", "吧", "谢谢", "麻烦了", "thanks", "thank you", "please",
            "pls", "it", "that", "this", "one", "just", "then", "ok then", "for now", "save", "submit", "send",
            "the card", "card")
_PIECES = sorted([(w, "confirm") for w in _AGREE] + [(w, "cancel") for w in _REFUSE]
                 + [(w, "edit") for w in _CHANGE] + [(w, "") for w in _NEUTRAL], key=lambda p: -len(p[0]))
_SEPARATORS = re.compile(r"[\s,，.。!！~～、;；:：?？…]+")


def reply_class(text: str) -> str | None:
    """"confirm", "cancel" or "edit" for a short reply made only of known pieces, else None."""
    words = _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    if not words or len(words) > 40:
        return None
    found: set[str] = set()
    pos = 0
    while pos < len(words):
        if words[pos] == " ":
            pos += 1
            continue
        for piece, kind in _PIECES:
            if words.startswith(piece, pos) and _ends_word(words, pos + len(piece), piece):
                found.add(kind)
                pos += len(piece)
                break
        else:
            return None
    if "cancel" in found:
        return "cancel"
    if "edit" in found:
        return "edit" if "confirm" not in found else None
    return "confirm" if "confirm" in found else None


def _ends_word(words: str, end: int, piece: str) -> bool:
    """Latin pieces end at a word boundary ("no" is not the start of "now"); CJK pieces need not."""
    if not piece[-1].isascii() or not piece[-1].isalnum():
        return True
    return end == len(words) or not words[end].isalnum() or not words[end].isascii()


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
