"""Delivering the chat outbox (`storage.repos.outbox`): notices other processes (the web console,
the REST API) wrote, such as a quote decided in the browser. Each is rendered exactly as the same
notice from a chat decision (`bot.notices`) and sent to the user's chats on the platforms this bot
runs; a row is `sent` once one chat took it, and retried with a back-off otherwise."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.notices import notices_to_outgoing
from storage.repos import outbox
from tools.base import Notice

if TYPE_CHECKING:
    from bot.scheduler.runner import Scheduler, TickReport


async def deliver_outbox(scheduler: Scheduler, report: TickReport) -> None:
    app = scheduler.app
    while True:
        claimed = await asyncio.to_thread(
            outbox.claim, app.db, worker=scheduler.worker, now=app.clock(), lease=scheduler.lease,
            platforms=scheduler.platforms, only_users=scheduler.only_users, limit=scheduler.batch)
        for row in claimed:
            messages = await asyncio.to_thread(_render, scheduler, row)
            delivered = False
            for message in messages:
                delivered = await scheduler.outbox.deliver([message]) == 1 or delivered
            if delivered:
                await asyncio.to_thread(outbox.mark_sent, app.db, row.id, worker=scheduler.worker, now=app.clock())
                report.notices_sent += 1
            else:
                await asyncio.to_thread(outbox.release, app.db, row.id, worker=scheduler.worker,
                                        now=app.clock(), attempts=row.attempts)
                report.notices_failed += 1
        if len(claimed) < scheduler.batch:
            return


def _render(scheduler: Scheduler, row) -> list:
    with Session(scheduler.app.db) as session:
        messages = notices_to_outgoing([Notice(row.user_id, row.kind, dict(row.data))], session=session)
    return [m for m in messages if m.platform in scheduler.platforms]
