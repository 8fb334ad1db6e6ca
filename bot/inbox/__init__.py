"""The durable inbox: no message a platform delivered is lost, none is handled twice.

Every adapter routes what it receives through here instead of calling the loop itself:

    inbox = Inbox(app.db)
    worker = inbox.worker(ConversationLoop(app), platforms=["wecom"], deliver=adapter.deliver,
                          progress=adapter.typing)          # progress is optional
    await worker.start()
    ...
    stored = await inbox.accept(msg, context={...})          # then acknowledge to the platform
    ...
    await worker.stop()

Contract:
- `await inbox.accept(msg, context)` stores one `IncomingMessage` (audio and images included)
  and returns once it is committed: only then may the adapter acknowledge the update to its
  platform (advance a polling offset, answer a webhook 200). It returns False for a message
  already stored (same platform, chat_id and message_id): acknowledge it too. When it raises
  (the database is down), do not acknowledge; the platform will deliver it again. `context` is
  whatever JSON-able data the adapter needs to answer (a message to reply to, a thread, a
  button press's query id); the loop never sees it. `answer=Outcome(...)` stores a message the
  adapter answers itself (over a rate limit, a file too large): it skips the loop but its answer
  is sent in the chat's order, like any reply.
- `deliver(item, outcome)` (the adapter's, async) shows `outcome.replies` in `item.message.chat_id`
  using `item.context`, and passes `outcome.outgoing` to its `Outbox`. It may be called again for
  the same item after a crash (at-least-once), never before the handling committed. If it raises,
  the item is retried later, and given up after `max_attempts` (logged).
- `prepare(item)` (optional, async) runs in the worker before the loop: it returns the message to
  handle, completed from what `context` referenced (a media id fetched now rather than before
  acknowledging, for platforms that must be answered within seconds), or an `Outcome` that
  answers the message without the loop (the file was too large, a greeting). It may run again
  after a crash; if it raises, the sender gets an apology, as when the loop fails.
- `progress(item)` (optional) returns a typing indicator: awaited before slow steps, `stop()`ped
  when the message is handled.
- Messages of one chat are handled and answered in the order they were accepted, one at a time,
  by whichever worker of any process holds that chat; chats run concurrently. A worker that dies
  loses nothing: another takes its messages over when their lease (`lease_s`) runs out.

Images and audio are stored in the row's `blob` column (one byte string, sizes in the JSON body),
as big as the adapter accepted (`VOICE_MAX_BYTES`, `ATTACHMENT_MAX_BYTES`), unless the adapter
stores a reference and fetches them in `prepare` (WeCom, Feishu); the blob is dropped
once the message is answered, and answered rows are pruned after a week.
"""
from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Engine

from bot.inbox.states import Event, State, next_state
from bot.inbox.store import InboxItem, InboxStore, LeaseLost
from bot.inbox.worker import Deliver, Handles, InboxWorker
from bot.messages import IncomingMessage
from bot.outcome import Outcome

__all__ = ["Event", "Inbox", "InboxItem", "InboxStore", "InboxWorker", "LeaseLost", "State", "next_state"]


class Inbox:
    """The intake side (`accept`) and a factory of workers that share one `InboxStore`."""

    def __init__(self, db: Engine, *, lease_s: float = 30.0, max_attempts: int = 5) -> None:
        self.store = InboxStore(db, lease_s=lease_s, max_attempts=max_attempts)
        self._workers: list[InboxWorker] = []

    async def accept(self, msg: IncomingMessage, context: dict[str, Any] | None = None, *,
                     answer: Outcome | None = None) -> bool:
        """Store `msg` durably (see the module's contract); True if it is new. `answer`: the
        adapter's own answer (rate limited, too large), sent in the chat's order without handling."""
        stored = await asyncio.to_thread(self.store.accept, msg, context, answer=answer)
        for worker in self._workers:
            worker.poke()
        return stored

    def worker(self, loop: Handles, *, platforms: Iterable[str], deliver: Deliver, **options: Any) -> InboxWorker:
        """A worker over this inbox (`InboxWorker`'s options: progress, concurrency, poll_s, ...)."""
        worker = InboxWorker(self.store, loop, platforms=platforms, deliver=deliver, **options)
        self._workers.append(worker)
        return worker
