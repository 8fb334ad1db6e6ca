"""The console adapter: `salesbot chat --as USER`, a real interactive terminal chat.

Cards show their choices as numbered lines; typing the number presses the choice. Messages the
loop addresses to other users (an approval request to a manager) are shown as "📨 → name" lines
so a demo shows the whole flow in one terminal.
"""
from __future__ import annotations

import asyncio
import itertools
import os
import sys
import time
from typing import TextIO

from bot.adapters import Outbox
from bot.adapters.console.config import PLATFORM, ConsoleConfig
from bot.adapters.console.inbound import is_photo_command, line_to_incoming, photo_to_incoming
from bot.adapters.console.render import forwarded_line, reply_lines
from bot.loop import ConversationLoop
from bot.messages import IncomingMessage, Outgoing, Reply
from prompts.ui import t


class ConsoleAdapter:
    platform = PLATFORM

    def __init__(self, loop: ConversationLoop, user_id: int, user_name: str, language: str, *,
                 stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.loop = loop
        self.user_id = user_id
        self.user_name = user_name
        self.language = language
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.config = ConsoleConfig(user_id, user_name, language)
        self.chat_id = self.config.chat_id
        self._choices: list[str] = []
        self._ids = itertools.count(1)
        self._session = f"{int(time.time() * 1000)}-{os.getpid()}"
        self._running = False
        self.outbox = Outbox()
        self.outbox.register(self)

    async def start(self) -> None:
        self._running = True
        prompt = "你> " if self.language == "zh" else "you> "
        self._print(t(self.language, "greeting"))
        while self._running:
            line = await asyncio.to_thread(self._readline, prompt)
            if line is None or line.strip() in ("/quit", "/exit", "exit", "quit"):
                break
            await self.handle_line(line.rstrip("\n"))

    async def stop(self) -> None:
        self._running = False

    async def send(self, chat_id: str, reply: Reply) -> None:
        if chat_id != self.chat_id:
            return
        self._show(reply)

    async def handle_line(self, line: str) -> None:
        working = "working"
        if is_photo_command(line):
            msg = photo_to_incoming(line, self.config, message_id=f"{self._session}-{next(self._ids)}")
            if isinstance(msg, str):
                self._print(msg)
                return
            working = "contract_reading"
        else:
            msg = self._to_message(line)
        outcome = await self.loop.handle(msg, progress=lambda: self._progress(working))
        for reply in outcome.replies:
            self._show(reply)
        mine = [o for o in outcome.outgoing if o.platform == PLATFORM and o.chat_id == self.chat_id]
        others = [o for o in outcome.outgoing if o not in mine]
        await self.outbox.deliver(mine)
        for message in others:
            self._show_forwarded(message)

    def _to_message(self, line: str) -> IncomingMessage:
        return line_to_incoming(line, self.config, shown_choices=self._choices,
                                message_id=f"{self._session}-{next(self._ids)}")

    async def _progress(self, key: str = "working") -> None:
        self._print(t(self.language, key))

    def _show(self, reply: Reply) -> None:
        for line in reply_lines(reply):
            self._print(line)
        self._choices = [c.id for c in reply.choices]

    def _show_forwarded(self, message: Outgoing) -> None:
        self._print(forwarded_line(message))

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def _readline(self, prompt: str) -> str | None:
        if self.stdin is sys.stdin and sys.stdin.isatty():
            try:
                import readline  # noqa: F401  (line editing and history for input())

                return input(prompt)
            except EOFError:
                return None
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        return line if line else None
