"""What every `run_<platform>` shares: serving an adapter beside the scheduler until stopped."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from storage.config import Settings

if TYPE_CHECKING:
    from bot.adapters import Adapter
    from bot.loop import BeforeCommit, ConversationLoop
    from bot.outcome import Outcome


def serve_platform(settings: Settings, platform: str, make_adapter: Callable[[ConversationLoop], Adapter]) -> None:
    """Open the app (warming up in the background), make the adapter around its conversation loop,
    and serve it with the scheduler until SIGINT/SIGTERM."""
    from bot.app import build_app
    from bot.loop import ConversationLoop
    from bot.scheduler.runner import Scheduler, serve_with_scheduler

    async def serve() -> None:
        app = build_app(settings, warm_up=True)
        adapter = make_adapter(ConversationLoop(app))
        await serve_with_scheduler(adapter, Scheduler(app, adapter.outbox, platforms=[platform]))

    asyncio.run(serve())


class AdapterLoop:
    """What an adapter's inbox workers call as "the loop": whatever `adapter.loop` is now (tests
    wrap it after the adapter is made)."""

    def __init__(self, adapter: Any) -> None:
        self.adapter = adapter

    async def handle(self, msg: Any, *, progress: Any = None, before_commit: BeforeCommit | None = None) -> Outcome:
        return await self.adapter.loop.handle(msg, progress=progress, before_commit=before_commit)


def megabytes(size: int) -> str:
    """1572864 → "1.5": sizes in the messages that refuse a file."""
    return f"{size / 1048576:.2f}".rstrip("0").rstrip(".")
