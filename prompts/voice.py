"""Replies about voice notes that could not become text, in zh and en.

Each key is a `TranscriptionError.code`. Say what happened and what to do next; nothing was saved.
"""
from __future__ import annotations

from prompts.ui import lang_of

VOICE_MESSAGES: dict[str, dict[str, str]] = {
    "too_long": {
        "zh": "语音太长，最长 {limit} 秒。请分几段发送，或直接打字。",
        "en": "That voice note is too long; the limit is {limit} seconds. Please split it or type it.",
    },
    "too_large": {
        "zh": "语音文件太大（{size_mb} MB，上限 {limit_mb} MB）。请分几段发送。",
        "en": "That voice file is too large ({size_mb} MB, limit {limit_mb} MB). Please split it.",
    },
    "undecodable": {
        "zh": "这条语音无法解码（{format}）。请重新录一次，或直接打字。",
        "en": "I couldn't decode that voice note ({format}). Please record it again or type it.",
    },
    "silent": {
        "zh": "这条语音里没有听到声音。请靠近麦克风重新录一次。",
        "en": "That voice note is silent. Please record it again closer to the microphone.",
    },
    "no_speech": {
        "zh": "没听清这条语音说了什么。请再说一次，或直接打字。",
        "en": "I couldn't make out any words in that voice note. Please say it again or type it.",
    },
    "unavailable": {
        "zh": "语音识别暂时不可用，没有写入任何内容。请稍后再试，或直接打字。",
        "en": "Voice recognition is unavailable right now; nothing was saved. Try again later or type it.",
    },
}


def voice_message(lang: str | None, code: str, **params: object) -> str:
    table = VOICE_MESSAGES.get(code, VOICE_MESSAGES["unavailable"])
    text = table[lang_of(lang)]
    return text.format(**params) if params else text
