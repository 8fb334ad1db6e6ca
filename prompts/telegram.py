"""What the Telegram adapter itself says (before or around the conversation loop), zh and en,
and the command menu it registers with setMyCommands."""
from __future__ import annotations

from prompts.ui import say

MESSAGES: dict[str, dict[str, str]] = {
    "link_in_private": {
        "zh": "邀请码只能在和我的私聊里使用，请私聊我发送 /start 邀请码。",
        "en": "Invite codes only work in a private chat with me: message me directly with /start CODE."},
    "voice_too_large": {
        "zh": "语音太大（{mb} MB，上限 {limit} MB），请发短一点的语音或直接打字。",
        "en": "That voice note is too large ({mb} MB, limit {limit} MB). Send a shorter one or type it."},
    "file_too_large": {
        "zh": "文件太大（{mb} MB，上限 {limit} MB），没有保存。请压缩后再发。",
        "en": "That file is too large ({mb} MB, limit {limit} MB); nothing was kept. Send a smaller one."},
    "file_download_failed": {
        "zh": "文件下载失败，没有写入任何内容，请重发一次。",
        "en": "I couldn't download that file; nothing was saved. Please send it again."},
    "voice_download_failed": {
        "zh": "语音下载失败，没有写入任何内容，请重发一次。",
        "en": "I couldn't download that voice note; nothing was saved. Please send it again."},
}

# (command, zh description, en description). Commands the loop does not read literally are sent
# to it as the phrase in COMMAND_PHRASES, so a menu tap and typing the phrase behave the same.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("start", "开始 / 用邀请码绑定账号", "Start / link your account with an invite code"),
    ("help", "我能做什么", "What I can do"),
    ("reminders", "我的提醒", "My reminders"),
    ("pipeline", "本季度 pipeline", "Pipeline this quarter"),
    ("top", "本周最活跃的客户", "Most active accounts this week"),
    ("cancel", "取消待确认的卡片", "Cancel the card waiting for you"),
)
COMMAND_PHRASES: dict[str, dict[str, str]] = {
    "reminders": {"zh": "我的提醒", "en": "my reminders"},
    "pipeline": {"zh": "本季度pipeline", "en": "pipeline this quarter"},
    "top": {"zh": "本周团队最活跃的客户", "en": "top accounts this week"},
}


def tg(lang: str | None, key: str, **params) -> str:
    return say(MESSAGES, key, lang, **params)
