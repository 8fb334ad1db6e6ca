"""What the WeCom adapter itself says (around the conversation loop), zh and en."""
from __future__ import annotations

from prompts.ui import say

MESSAGES: dict[str, dict[str, str]] = {
    "unsupported": {
        "zh": "我能读文字、语音和图片。请用文字或语音告诉我拜访、商机或提醒。",
        "en": "I can read text, voice messages and pictures. Tell me about a visit, a deal or a reminder."},
    "voice_too_large": {
        "zh": "语音太大（{mb} MB，上限 {limit} MB），请发短一点的语音或直接打字。",
        "en": "That voice message is too large ({mb} MB, limit {limit} MB). Send a shorter one or type it."},
    "image_too_large": {
        "zh": "图片太大（{mb} MB，上限 {limit} MB），没有保存，请压缩后再发。",
        "en": "That picture is too large ({mb} MB, limit {limit} MB); nothing was saved. Send a smaller one."},
    "download_failed": {
        "zh": "文件下载失败，没有写入任何内容，请重发一次。",
        "en": "I couldn't download that file; nothing was saved. Please send it again."},
}


def wc(lang: str | None, key: str, **params) -> str:
    return say(MESSAGES, key, lang, **params)
