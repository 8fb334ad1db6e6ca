"""Workers: take messages from the inbox, handle them with the conversation loop, send the replies.

A worker is a few asyncio tasks in a bot process; any number of processes may run workers over
one database. Each task repeats: claim the oldest claimable row (`InboxStore.claim`), keep its
lease renewed while working, then

    claimed → loop.handle(message, before_commit=mark handled)   the outcome is stored with the writes
    handled → deliver(item, outcome) → replied                   the platform sends the replies

A worker killed anywhere leaves a row claimed (nothing of it committed: handled again) or handled
(its stored replies are sent again) for another worker, or itself after a restart, once the lease
runs out. The one window that can repeat something is between a platform accepting a reply and
the row becoming `replied`: that reply may be sent twice (at-least-once sending); writes happen
exactly once.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import timedelta
from typing import Any, Protocol

from bot.inbox.states import State
from bot.inbox.store import InboxItem, InboxStore, LeaseLost, worker_name
from bot.messages import IncomingMessage
from bot.outcome import Outcome
from prompts.ui import t

log = logging.getLogger("salesbot.inbox")
KEEP_ANSWERED = timedelta(days=7)  # answered rows are kept this long (for a look after an incident)
PRUNE_EVERY_S = 3600.0

Deliver = Callable[[InboxItem, Outcome], Awaitable[None]]
Prepare = Callable[[InboxItem], Awaitable["IncomingMessage | Outcome"]]


class Handles(Protocol):
    async def handle(self, msg: IncomingMessage, *, progress: Any = None,
                     before_commit: Callable[[Any, Outcome], None] | None = None) -> Outcome: ...


class Progress(Protocol):
    """A typing indicator: called before slow steps, stopped when the message is done."""

    async def __call__(self) -> None: ...

    async def stop(self) -> None: ...


class Wakeup:
    """When idle tasks look for work. One `notify()` wakes one waiting task: one signal is one
    message that may be waiting, so one task looks for it (every idle task looking at once would
    cost a claim query each and find one row). A signal that finds no task waiting is kept (up to
    `keep`) for the next task that waits. While any task waits, one of them is woken every
    `poll_s` to look anyway, for messages other processes stored (idle processes cost one query
    a poll, not one per task). `notify_all` wakes every task (stopping, draining)."""

    def __init__(self, keep: int, poll_s: float) -> None:
        self.keep, self.poll_s, self.kept = keep, poll_s, 0
        self._waiters: list[asyncio.Future] = []
        self._timer: asyncio.TimerHandle | None = None

    def notify(self) -> None:
        if not self._wake_one(True):
            self.kept = min(self.kept + 1, self.keep)

    def notify_all(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(True)
        self.kept = self.keep

    async def wait(self) -> bool:
        """True when signalled, False when woken by the poll timer."""
        if self.kept:
            self.kept -= 1
            return True
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.poll_s, self._poll)
        try:
            return await waiter
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def _wake_one(self, signalled: bool) -> bool:
        while self._waiters:
            waiter = self._waiters.pop(0)
            if not waiter.done():
                waiter.set_result(signalled)
                return True
        return False

    def _poll(self) -> None:
        self._timer = None
        self._wake_one(False)
        if self._waiters:
            self._timer = asyncio.get_running_loop().call_later(self.poll_s, self._poll)


class InboxWorker:
    """`concurrency` tasks handling `platforms`' messages from `store` with `loop`; `deliver`
    sends one item's outcome on its platform (raise to have it retried later); `prepare`
    (optional) completes a message before handling from what its context references (media by
    id), or answers it without the loop by returning an `Outcome`."""

    def __init__(self, store: InboxStore, loop: Handles, *, platforms: Iterable[str], deliver: Deliver,
                 progress: Callable[[InboxItem], Progress | None] | None = None, prepare: Prepare | None = None,
                 concurrency: int = 8, poll_s: float = 0.5, retry_s: float = 5.0, name: str | None = None) -> None:
        self.store, self.loop, self.platforms = store, loop, tuple(platforms)
        self.deliver, self.progress, self.prepare = deliver, progress, prepare
        self.concurrency, self.poll_s, self.retry_s = concurrency, poll_s, retry_s
        self.name = name or worker_name()
        self._wake = Wakeup(keep=concurrency, poll_s=poll_s)
        self._tasks: list[asyncio.Task] = []
        self._stopping = False

    def poke(self) -> None:
        """A message was accepted: an idle task looks now instead of at its next poll."""
        self._wake.notify()

    async def start(self) -> None:
        self._stopping = False
        self._tasks = [asyncio.create_task(self._run(n), name=f"inbox-{n}") for n in range(self.concurrency)]

    async def stop(self) -> None:
        """Finish the messages being handled, then stop taking new ones."""
        self._stopping = True
        self._wake.notify_all()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def idle(self, timeout: float = 15.0) -> None:
        """Wait until no message of `platforms` is left to handle or answer (tests, draining)."""
        async with asyncio.timeout(timeout):
            while await asyncio.to_thread(self.store.open_count, self.platforms):
                self._wake.notify_all()
                await asyncio.sleep(0.02)

    async def _run(self, n: int) -> None:
        owner = f"{self.name}/{n}"
        pruned_at = 0.0
        while not self._stopping:
            if n == 0 and time.monotonic() - pruned_at > PRUNE_EVERY_S:
                pruned_at = time.monotonic()
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.store.prune, KEEP_ANSWERED)
            try:
                item = await asyncio.to_thread(self.store.claim, owner, self.platforms)
            except Exception:
                log.exception("inbox claim failed")
                item = None
                await asyncio.sleep(self.retry_s)
            if item is None:
                await self._wake.wait()
                continue
            self._wake.notify()  # there may be more: one more task looks
            try:
                await self.process(item)
            except LeaseLost:
                log.warning("inbox message taken over by another worker", extra={"inbox_id": item.id})
            except Exception:
                log.exception("inbox message failed", extra={"inbox_id": item.id})

    async def process(self, item: InboxItem) -> None:
        """Handle (if not yet handled) and answer one claimed item, renewing its lease meanwhile."""
        renewer = asyncio.create_task(self._renew(item))
        try:
            if item.state is State.claimed:
                await self._handle(item)
            await self._send(item)
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer

    async def _handle(self, item: InboxItem) -> None:
        recorded = False

        def before_commit(session, outcome: Outcome) -> None:
            nonlocal recorded
            self.store.mark_handled(session, item, outcome)
            recorded = True

        progress = self.progress(item) if self.progress else None
        try:
            message = await self.prepare(item) if self.prepare else item.message
            if isinstance(message, Outcome):
                outcome = message
            else:
                outcome = await self.loop.handle(message, progress=progress, before_commit=before_commit)
        except Exception:
            error_id = uuid.uuid4().hex[:10]
            log.exception("message failed", extra={"error_id": error_id, "inbox_id": item.id})
            lang = item.message.language_hint or None
            outcome = Outcome().say(t(lang, "apology", error_id=error_id))
        finally:
            if progress is not None:
                await progress.stop()
        if not recorded:
            await asyncio.to_thread(self.store.mark_handled_apart, item, outcome)

    async def _send(self, item: InboxItem) -> None:
        assert item.outcome is not None
        try:
            await self.deliver(item, item.outcome)
        except Exception:
            state = await asyncio.to_thread(self.store.delivery_failed, item, self.retry_s * item.attempts)
            log.exception("inbox replies not sent", extra={"inbox_id": item.id, "state": state.value})
            return
        await asyncio.to_thread(self.store.mark_replied, item)

    async def _renew(self, item: InboxItem) -> None:
        every = max(0.05, self.store.lease.total_seconds() / 3)
        while True:
            await asyncio.sleep(every)
            if not await asyncio.to_thread(self.store.renew, item):
                log.warning("inbox lease lost", extra={"inbox_id": item.id})
                return
