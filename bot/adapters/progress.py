"""`progress` for the loop on platforms without a typing indicator (WeChat, WeCom, Feishu)."""
from __future__ import annotations

import asyncio
import contextlib


class WorkingNotice:
    """`progress` for the loop: says "working on it" once if handling takes longer than `after_s`
    (WeChat has no typing indicator, and most messages are answered well within that)."""

    def __init__(self, say, after_s: float) -> None:
        self._say, self.after_s = say, after_s
        self._task: asyncio.Task | None = None

    async def __call__(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._later())

    async def _later(self) -> None:
        await asyncio.sleep(self.after_s)
        with contextlib.suppress(Exception):
            await self._say()

    async def stop(self) -> None:
        """Handling is over (what the inbox's workers call): the notice is not needed any more."""
        await self.cancel()

    async def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
