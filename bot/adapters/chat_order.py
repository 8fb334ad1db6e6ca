"""Per-chat order for adapters that receive events by push (WeChat, WeCom): the events of one chat
are handled one at a time in arrival order (asyncio locks wake waiters first-in first-out), so a
press never overtakes the message that made its card; different chats run in parallel."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class ChatOrder:
    def __init__(self) -> None:
        self.tasks: set[asyncio.Task] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    def submit(self, chat: str, work: Callable[[], Awaitable[None]], *, name: str) -> asyncio.Task:
        """Run `work()` after everything submitted for `chat` before it."""
        task = asyncio.create_task(self._in_order(chat, work), name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _in_order(self, chat: str, work: Callable[[], Awaitable[None]]) -> None:
        self._waiting[chat] = self._waiting.get(chat, 0) + 1
        lock = self._locks.setdefault(chat, asyncio.Lock())
        try:
            async with lock:
                await work()
        finally:
            self._waiting[chat] -= 1
            if not self._waiting[chat]:
                del self._waiting[chat]
                self._locks.pop(chat, None)

    async def idle(self) -> None:
        """Return once nothing submitted is waiting or running."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    async def cancel(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
