"""A typed line → `IncomingMessage`. A number within the last reply's choices presses that choice;
`/photo PATH [PATH...]` sends files as pictures (the pages of one contract)."""
from __future__ import annotations

import mimetypes
import shlex
from pathlib import Path

from bot.adapters.console.config import PLATFORM, ConsoleConfig
from bot.messages import Image, IncomingMessage

PHOTO_COMMAND = "/photo"


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


def is_photo_command(line: str) -> bool:
    head = line.strip().split(maxsplit=1)
    return bool(head) and head[0].lower() == PHOTO_COMMAND


def photo_to_incoming(line: str, config: ConsoleConfig, *, message_id: str) -> IncomingMessage | str:
    """`/photo PATH [PATH...]` → a message carrying the files as images, or what to tell the user
    (no path, a file that cannot be opened). The files' content is checked later, not their names."""
    try:
        paths = shlex.split(line.strip()[len(PHOTO_COMMAND):])
    except ValueError as exc:
        return f"/photo: {exc}"
    if not paths:
        return ("用法：/photo 文件路径 [文件路径...]（合同的照片或 PDF）" if config.language == "zh"
                else "usage: /photo PATH [PATH...] (photos or a PDF of a contract)")
    images = []
    for raw in paths:
        path = Path(raw).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            return (f"打不开 {path}：{exc.strerror or exc}" if config.language == "zh"
                    else f"cannot open {path}: {exc.strerror or exc}")
        images.append(Image(data=data, mime=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                            name=path.name))
    return IncomingMessage(platform=PLATFORM, chat_id=config.chat_id, external_user_id=str(config.user_id),
                           message_id=message_id, images=tuple(images), language_hint=config.language,
                           display_name=config.user_name)
