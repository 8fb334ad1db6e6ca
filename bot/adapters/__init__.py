"""The adapter contract (nonebot/errbot style) and delivery of messages to other users.

Each platform is one package here (`console/`, `telegram/`, `wechat/`) of one shape: config.py,
inbound.py (platform event → `IncomingMessage`), render.py (`Reply` → what the platform shows) and
adapter.py.

An adapter turns platform events into `IncomingMessage`s before anything else sees them, passes
them to `ConversationLoop.handle`, and shows the `Reply`s it gets back. It implements:

    platform: str                      "console", "telegram", "wechat"
    async start() / async stop()       connect, and disconnect without losing a message
    async send(chat_id, reply)         show one reply in one chat

`Outbox` routes `Outgoing` messages (notices, reminders) to the adapter of their platform.
"""
from __future__ import annotations

import logging
from typing import Protocol

from bot.messages import Outgoing, Reply

log = logging.getLogger("salesbot.outbox")


class Adapter(Protocol):
    platform: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, chat_id: str, reply: Reply) -> None: ...


class Outbox:
    def __init__(self) -> None:
        self._adapters: dict[str, Adapter] = {}

    def register(self, adapter: Adapter) -> None:
        self._adapters[adapter.platform] = adapter

    async def deliver(self, messages: list[Outgoing]) -> int:
        """Send each message through its platform's adapter; returns how many went out. A
        platform with no running adapter is logged (the user still sees it on their next platform)."""
        sent = 0
        for message in messages:
            adapter = self._adapters.get(message.platform)
            if adapter is None:
                log.info("no adapter running for outgoing message", extra={"platform": message.platform})
                continue
            try:
                await adapter.send(message.chat_id, message.reply)
                sent += 1
            except Exception:
                log.exception("delivery failed", extra={"platform": message.platform})
        return sent
