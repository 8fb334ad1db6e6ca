"""The scheduler: every `interval_s` (and at once on start, which delivers what fell due while the
bot was down) it delivers due reminders and runs due jobs through the adapters this process runs.

Each step is its own short transaction (`bot.scheduler.queue`): claim, build, then send through
the `Outbox` outside any transaction, then record the outcome. Nothing here reads the wall clock:
`app.clock` decides what is due, so tests drive it with a fake clock and call `tick()`.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from bot.adapters import Outbox
from bot.app import App
from bot.identity import identities_of
from bot.messages import Outgoing, Reply
from bot.scheduler import queue
from bot.scheduler.compose import reminder_reply
from bot.scheduler.digest import data_star_message, weekly_digest
from bot.scheduler.jobs import Built, Job, plan
from bot.scheduler.nudges import approval_nudge, context_for, morning_brief, stale_deal_nudge
from bot.scheduler.value_report import value_report_message
from storage.models import ChatIdentity, Reminder, User

log = logging.getLogger("salesbot.scheduler")

BUILDERS = {
    "morning_brief": morning_brief,
    "stale_deals": stale_deal_nudge,
    "approval_nudges": approval_nudge,
    "weekly_digest": weekly_digest,
    "data_star": data_star_message,
    "value_report": value_report_message,
}


@dataclass
class TickReport:
    reminders_sent: int = 0
    reminders_failed: int = 0
    jobs_sent: int = 0
    jobs_skipped: int = 0
    jobs_failed: int = 0
    notices_sent: int = 0
    notices_failed: int = 0
    lead_sla_steps: int = 0


@dataclass(frozen=True)
class _Delivery:
    user_id: int
    targets: tuple[tuple[str, str], ...]  # (platform, chat id)
    replies: tuple[Reply, ...]


class Scheduler:
    """Delivers proactive messages for the users reachable on `platforms` (the adapters registered
    in `outbox`), optionally only for `only_users` (the console's one user)."""

    def __init__(self, app: App, outbox: Outbox, *, platforms: Collection[str],
                 only_users: Collection[int] | None = None, worker_id: str | None = None,
                 interval_s: float = 30.0, lease: timedelta = timedelta(minutes=5), batch: int = 50) -> None:
        self.app, self.outbox = app, outbox
        self.platforms = tuple(platforms)
        self.only_users = set(only_users) if only_users is not None else None
        self.worker = worker_id or f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(3)}"
        self.interval_s, self.lease, self.batch = interval_s, lease, batch

    # --- running ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Tick now, then every `interval_s` until `stop` is set. A failing tick is logged and the
        next one runs as usual."""
        log.info("scheduler started", extra={"worker": self.worker, "platforms": list(self.platforms)})
        while not stop.is_set():
            try:
                report = await self.tick()
                if any(vars(report).values()):
                    log.info("scheduler tick", extra=vars(report))
            except Exception:
                log.exception("scheduler tick failed")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval_s)
        log.info("scheduler stopped", extra={"worker": self.worker})

    async def tick(self) -> TickReport:
        from bot.scheduler.chat_outbox import deliver_outbox
        from bot.scheduler.lead_sla import lead_sla_step

        report = TickReport()
        report.lead_sla_steps = len(await asyncio.to_thread(lead_sla_step, self.app, self.app.clock()))
        await deliver_outbox(self, report)
        await self.deliver_reminders(report)
        await self.run_jobs(report)
        return report

    # --- reminders -------------------------------------------------------------------------

    async def deliver_reminders(self, report: TickReport) -> None:
        while True:
            now = self.app.clock()
            claimed = await asyncio.to_thread(
                queue.claim_reminders, self.app.db, worker=self.worker, now=now, lease=self.lease,
                platforms=self.platforms, default_tz=self.app.settings.default_timezone,
                only_users=self.only_users, limit=self.batch)
            for reminder_id in claimed:
                delivery = await asyncio.to_thread(self._reminder_delivery, reminder_id)
                if delivery is not None and await self._send(delivery):
                    await asyncio.to_thread(queue.mark_sent, self.app.db, reminder_id, worker=self.worker,
                                            now=self.app.clock())
                    report.reminders_sent += 1
                else:
                    await asyncio.to_thread(queue.release, self.app.db, reminder_id, worker=self.worker,
                                            now=self.app.clock())
                    report.reminders_failed += 1
            if len(claimed) < self.batch:
                return

    def _reminder_delivery(self, reminder_id: int) -> _Delivery | None:
        with Session(self.app.db) as session:
            reminder = session.get(Reminder, reminder_id)
            user = session.get(User, reminder.user_id) if reminder else None
            if reminder is None or user is None:
                return None
            reply = reminder_reply(reminder, user, session=session, now=self.app.clock(),
                                   default_tz=self.app.settings.default_timezone)
            return _Delivery(user.id, self._targets(user.id, session), (reply,))

    # --- jobs ------------------------------------------------------------------------------

    async def run_jobs(self, report: TickReport) -> None:
        now = self.app.clock()
        jobs = await asyncio.to_thread(self._due_jobs, now)
        for job in jobs:
            if not await asyncio.to_thread(queue.claim_job, self.app.db, job.key, kind=job.kind,
                                           user_id=job.user_id, worker=self.worker, now=now, lease=self.lease):
                continue
            try:
                built, delivery = await asyncio.to_thread(self._build, job)
            except Exception:
                log.exception("job could not be built", extra={"key": job.key})
                await asyncio.to_thread(queue.drop_job, self.app.db, job.key, worker=self.worker)
                report.jobs_failed += 1
                continue
            if not built.replies:
                await asyncio.to_thread(queue.finish_job, self.app.db, job.key, worker=self.worker,
                                        now=self.app.clock(), status="skipped")
                report.jobs_skipped += 1
            elif await self._send(delivery):
                await asyncio.to_thread(queue.finish_job, self.app.db, job.key, worker=self.worker,
                                        now=self.app.clock(), markers=built.markers)
                report.jobs_sent += 1
            else:
                report.jobs_failed += 1  # stays claimed: tried again once the lease runs out

    def _due_jobs(self, now) -> list[Job]:
        with Session(self.app.db) as session:
            users = self._reachable_users(session)
            jobs = plan(session, users, now, self.app.settings)
        done = queue.known_keys(self.app.db, [j.key for j in jobs], now=now, lease=self.lease)
        return [j for j in jobs if j.key not in done]

    def _build(self, job: Job) -> tuple[Built, _Delivery]:
        with Session(self.app.db) as session:
            user = session.get(User, job.user_id)
            ctx = context_for(user, session, self.app.settings, self.app.clock)
            try:
                built = BUILDERS[job.kind](ctx, job)
            finally:
                session.rollback()  # builders only read; tools never commit
            return built, _Delivery(user.id, self._targets(user.id, session), tuple(built.replies))

    # --- delivery --------------------------------------------------------------------------

    def _reachable_users(self, session: Session) -> list[User]:
        reachable = select(ChatIdentity.user_id).where(col(ChatIdentity.platform).in_(list(self.platforms)))
        query = select(User).where(User.active.is_(True), col(User.id).in_(reachable)).order_by(User.id)
        users = list(session.exec(query).all())
        return [u for u in users if self.only_users is None or u.id in self.only_users]

    def _targets(self, user_id: int, session: Session) -> tuple[tuple[str, str], ...]:
        return tuple((i.platform, i.chat_id or i.external_id) for i in identities_of(user_id, session=session)
                     if i.platform in self.platforms)

    async def _send(self, delivery: _Delivery) -> bool:
        """Every reply to every chat of the user here; True when at least one chat took them all."""
        delivered = False
        for platform, chat_id in delivery.targets:
            sent = 0
            for reply in delivery.replies:
                if await self.outbox.deliver([Outgoing(platform, chat_id, reply)]) != 1:
                    break
                sent += 1
            delivered = delivered or sent == len(delivery.replies)
        if not delivered:
            log.warning("proactive message not delivered", extra={"user_id": delivery.user_id,
                                                                   "targets": len(delivery.targets)})
        return delivered


async def serve_with_scheduler(adapter, scheduler: Scheduler, stop: asyncio.Event | None = None) -> None:
    """Start the adapter, run the scheduler beside it until SIGINT/SIGTERM (or `stop`), then stop
    the scheduler before the adapter so nothing is sent through a closed connection."""
    stop = stop or asyncio.Event()
    running = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            running.add_signal_handler(sig, stop.set)
    await adapter.start()
    task = asyncio.create_task(scheduler.run(stop), name="scheduler")
    try:
        await stop.wait()
    finally:
        stop.set()
        await task
        await adapter.stop()


async def beside(main, scheduler: Scheduler) -> None:
    """Run the scheduler while `main` (the console's input loop) runs; stop it when `main` ends."""
    stop = asyncio.Event()
    task = asyncio.create_task(scheduler.run(stop), name="scheduler")
    try:
        await main
    finally:
        stop.set()
        await task
