"""Flow control around the Telegram adapter: per-user rate limiting and the typing indicator shown
while slow steps run (one message at a time per chat is the inbox's: bot/inbox)."""
from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram.constants import ChatAction
from telegram.error import TelegramError

log = logging.getLogger("salesbot.telegram")


class Verdict(enum.Enum):
    ALLOW = "allow"
    WARN = "warn"  # over the limit: tell the user once
    DROP = "drop"  # still over the limit, already told


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


class UserRateLimiter:
    """A token bucket per user: `burst` messages at once, refilled at `per_minute`. The first
    message over the limit gets a "slow down" reply, the rest are dropped until tokens return.

    Only new messages are counted: a message (by `message_key`) that was let through once is let
    through again free, so a platform delivering it twice never makes the user "too fast"; the
    loop then recognizes the repeat and writes nothing."""

    def __init__(self, *, burst: int = 8, per_minute: float = 30.0,
                 clock: Callable[[], float] = time.monotonic, max_users: int = 100_000,
                 remembered: int = 50_000) -> None:
        self.burst, self.rate = float(burst), per_minute / 60.0
        self.clock, self.max_users = clock, max_users
        self._buckets: dict[str, _Bucket] = {}
        self._allowed: OrderedDict[str, None] = OrderedDict()
        self._remembered = remembered

    def check(self, user_key: str, message_key: str | None = None) -> Verdict:
        if message_key is not None and message_key in self._allowed:
            return Verdict.ALLOW
        verdict = self._take(user_key)
        if verdict is Verdict.ALLOW and message_key is not None:
            self._allowed[message_key] = None
            if len(self._allowed) > self._remembered:
                self._allowed.popitem(last=False)
        return verdict

    def _take(self, user_key: str) -> Verdict:
        now = self.clock()
        bucket = self._buckets.get(user_key)
        if bucket is None:
            if len(self._buckets) >= self.max_users:
                self._forget_full(now)
            bucket = self._buckets[user_key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Verdict.ALLOW
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def _forget_full(self, now: float) -> None:
        """Users whose bucket has refilled are indistinguishable from new ones: drop them."""
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.at) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]


class TypingIndicator:
    """`progress` for the loop: shows "typing…" and renews it every few seconds until stopped."""

    def __init__(self, send_action: Callable[..., Awaitable], chat_id: int | str, *,
                 thread_id: int | None = None, every_s: float = 4.5) -> None:
        self._send_action, self.chat_id, self.thread_id = send_action, chat_id, thread_id
        self.every_s = every_s
        self._task: asyncio.Task | None = None

    async def __call__(self) -> None:
        if self._task is None:
            await self._once()
            self._task = asyncio.get_running_loop().create_task(self._renew())

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(self.every_s)
            await self._once()

    async def _once(self) -> None:
        try:
            await self._send_action(chat_id=self.chat_id, action=ChatAction.TYPING,
                                    message_thread_id=self.thread_id)
        except TelegramError as exc:  # a lost typing hint is not worth failing a message for
            log.debug("typing indicator failed", extra={"error": repr(exc)})

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
