"""A typed line → `IncomingMessage`. A number within the last reply's choices presses that choice."""
from __future__ import annotations

from bot.adapters.console.config import PLATFORM, ConsoleConfig
from bot.messages import IncomingMessage


def line_to_incoming(line: str, config: ConsoleConfig, *, shown_choices: list[str],
                     message_id: str) -> IncomingMessage:
    choice = None
    stripped = line.strip()
    if stripped.isdigit() and shown_choices and 1 <= int(stripped) <= len(shown_choices):
        choice = shown_choices[int(stripped) - 1]
    return IncomingMessage(
        platform=PLATFORM, chat_id=config.chat_id, external_user_id=str(config.user_id),
        message_id=message_id, text=line, choice=choice, language_hint=config.language,
        display_name=config.user_name)
