"""What the WeChat adapter itself says (around the conversation loop), zh and en."""
from __future__ import annotations

from prompts.ui import say

MESSAGES: dict[str, dict[str, str]] = {
    "reply_prefix": {"zh": "回复", "en": "Reply"},
    "decision_hint": {"zh": "也可以直接回复「同意 {quote_id}」或「驳回 {quote_id} 原因」",
                      "en": "or reply \"approve {quote_id}\" / \"reject {quote_id} reason\""},
    "link_in_private": {
        "zh": "邀请码只能在和我的私聊里使用，请私聊我发送「绑定 邀请码」。",
        "en": "Invite codes only work in a private chat with me: message me directly with \"bind CODE\"."},
    "unsupported": {
        "zh": "我能读文字、语音和合同照片。请用文字或语音告诉我拜访、商机或提醒。",
        "en": "I can read text, voice messages and contract photos. Tell me about a visit, a deal or a reminder in words."},
    "file_too_large": {
        "zh": "文件太大（{mb} MB，上限 {limit} MB），没有保存。请压缩后再发。",
        "en": "That file is too large ({mb} MB, limit {limit} MB); nothing was kept. Send a smaller one."},
    "file_download_failed": {
        "zh": "图片下载失败，没有写入任何内容，请重发一次。",
        "en": "I couldn't download that picture; nothing was saved. Please send it again."},
    "voice_too_large": {
        "zh": "语音太大（{mb} MB，上限 {limit} MB），请发短一点的语音或直接打字。",
        "en": "That voice message is too large ({mb} MB, limit {limit} MB). Send a shorter one or type it."},
    "voice_download_failed": {
        "zh": "语音下载失败，没有写入任何内容，请重发一次。",
        "en": "I couldn't download that voice message; nothing was saved. Please send it again."},
}


def wx(lang: str | None, key: str, **params) -> str:
    return say(MESSAGES, key, lang, **params)
