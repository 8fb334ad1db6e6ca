"""`Reply` → terminal lines: the text, a saved chart's path, then the choices as numbered lines
(unless the text lists them already, as a "which one?" question does)."""
from __future__ import annotations

import os
import tempfile
import time

from bot.messages import Outgoing, Reply


def reply_lines(reply: Reply) -> list[str]:
    lines = [reply.text]
    if reply.image:
        path = os.path.join(tempfile.gettempdir(), f"salesbot-chart-{int(time.time() * 1000)}.png")
        with open(path, "wb") as fh:
            fh.write(reply.image)
        lines.append(f"🖼  {path}" + (f"\n{reply.image_alt}" if reply.image_alt else ""))
    if not all(f"{i}. {c.label}" in reply.text for i, c in enumerate(reply.choices, 1)):  # not yet listed
        lines.extend(f"  {i}. {choice.label}" for i, choice in enumerate(reply.choices, 1))
    return lines


def forwarded_line(message: Outgoing) -> str:
    """A message for another user, shown as one line so a demo shows the whole flow."""
    first = message.reply.text.splitlines()[0] if message.reply.text else ""
    return f"📨 → {message.platform}:{message.chat_id}  {first}"
