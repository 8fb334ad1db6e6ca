"""What the Feishu adapter itself says (around the conversation loop), zh and en."""
from __future__ import annotations

from prompts.ui import say
from prompts.wechat import MESSAGES as WECHAT

MESSAGES: dict[str, dict[str, str]] = {
    "link_in_private": {
        "zh": "邀请码只能在和我的单聊里使用，请单聊我发送「绑定 邀请码」。",
        "en": "Invite codes only work in a one-on-one chat with me: message me directly with \"bind CODE\"."},
    "unsupported": {
        "zh": "我能读文字、语音和图片。请用文字或语音告诉我拜访、商机或提醒。",
        "en": "I can read text, voice messages and pictures. Tell me about a visit, a deal or a reminder."},
    "voice_too_large": WECHAT["voice_too_large"],
    "voice_download_failed": WECHAT["voice_download_failed"],
    "image_too_large": {
        "zh": "图片或文件太大（上限 {limit} MB），没有写入任何内容。",
        "en": "That picture or file is too large (limit {limit} MB); nothing was saved."},
    "image_download_failed": {
        "zh": "图片下载失败，没有写入任何内容，请重发一次。",
        "en": "I couldn't download that picture; nothing was saved. Please send it again."},
}


def fs(lang: str | None, key: str, **params) -> str:
    return say(MESSAGES, key, lang, **params)
