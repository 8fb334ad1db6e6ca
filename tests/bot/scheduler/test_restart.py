"""Restarts and several workers: nothing lost, nothing sent twice (except the documented window
between the adapter accepting a message and the delivery being recorded)."""
from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import pytest

from bot.scheduler import queue
from storage.models import ReminderStatus
from tests.bot.scheduler.conftest import RecordingAdapter, add_reminder, local, reminder, tick


class Killed(BaseException):
    """The process dying: not an Exception, so nothing on the way catches it."""


class DyingAdapter(RecordingAdapter):
    """Accepts `survive` messages, then the process dies on the next one."""

    def __init__(self, survive: int) -> None:
        super().__init__()
        self.survive = survive

    async def send(self, chat_id, reply) -> None:
        if reply.choices and reply.choices[0].id.startswith("r:"):
            if self.survive == 0:
                raise Killed()
            self.survive -= 1
        await super().send(chat_id, reply)


def test_a_worker_that_dies_mid_batch_loses_and_doubles_nothing(app, clock, make_scheduler):
    ids = [add_reminder(app.db, 1, local("2026-11-25", "09:30"), f"第{i}件") for i in range(3)]
    dying = DyingAdapter(survive=1)
    with pytest.raises(Killed):
        tick(make_scheduler("dies", target=dying))
    assert dying.reminder_ids() == [ids[0]]
    assert reminder(app.db, ids[0]).status == ReminderStatus.sent
    assert {reminder(app.db, i).status for i in ids[1:]} == {ReminderStatus.delivering}

    survivor = RecordingAdapter()
    restarted = make_scheduler("restarted", target=survivor)
    tick(restarted)  # the dead worker's claims still hold: nothing is taken from under it
    assert survivor.reminder_ids() == []
    clock.advance(minutes=5, seconds=1)
    tick(restarted)
    tick(restarted)
    assert sorted(survivor.reminder_ids()) == ids[1:]
    assert {reminder(app.db, i).status for i in ids} == {ReminderStatus.sent}


def test_dying_between_send_and_record_sends_once_more_after_the_lease(app, clock, make_scheduler, monkeypatch):
    """At least once: the adapter took the message, the worker died before recording it."""
    rid = add_reminder(app.db, 1, local("2026-11-25", "09:30"))
    first = RecordingAdapter()
    real_mark = queue.mark_sent

    def die(*args, **kwargs):
        raise Killed()

    monkeypatch.setattr(queue, "mark_sent", die)
    with pytest.raises(Killed):
        tick(make_scheduler("dies", target=first))
    monkeypatch.setattr(queue, "mark_sent", real_mark)
    assert first.reminder_ids() == [rid]

    second = RecordingAdapter()
    restarted = make_scheduler("restarted", target=second)
    clock.advance(minutes=6)
    for _ in range(3):
        tick(restarted)
        clock.advance(minutes=10)
    assert second.reminder_ids() == [rid]
    assert reminder(app.db, rid).status == ReminderStatus.sent


def test_a_press_before_the_delivery_is_recorded_wins(app, clock, scheduler):
    rid = add_reminder(app.db, 1, local("2026-11-25", "09:30"))
    [claimed] = queue.claim_reminders(app.db, worker="w1", now=clock(), lease=timedelta(minutes=5),
                                      platforms=["test"], default_tz="Asia/Shanghai")
    with app.db.begin() as conn:  # the user pressed Done the moment it arrived
        conn.exec_driver_sql(f"UPDATE reminder SET status='done', claimed_by=NULL WHERE id={rid}")
    assert not queue.mark_sent(app.db, claimed, worker="w1", now=clock())
    assert reminder(app.db, rid).status == ReminderStatus.done


def test_two_workers_never_deliver_one_reminder_twice(app, clock, make_scheduler):
    """Real concurrency: two schedulers in two threads claim from the same database at once."""
    ids = [add_reminder(app.db, 1 + i % 5, local("2026-11-25", "09:00") - timedelta(minutes=i), f"#{i}")
           for i in range(60)]
    adapters = [RecordingAdapter(), RecordingAdapter()]
    workers = [make_scheduler(f"w{n}", target=adapters[n], batch=4) for n in range(2)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(scheduler) -> None:
        try:
            start.wait()
            for _ in range(3):
                asyncio.run(scheduler.tick())
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    delivered = adapters[0].reminder_ids() + adapters[1].reminder_ids()
    assert sorted(delivered) == sorted(ids)  # every one, none twice
    assert adapters[0].reminder_ids() and adapters[1].reminder_ids()  # both workers took part
    digests = [r for a in adapters for c, r in a.sent if "团队周报" in r.text or "Team week" in r.text]
    assert len(digests) == 2  # one each for the two managers, though both workers planned them
    generated = [(c, r.text) for a in adapters for c, r in a.sent if not r.choices or not r.choices[0].id.startswith("r:")]
    assert generated and len(generated) == len(set(generated))  # briefs, nudges, digests: once each


def test_a_job_whose_send_failed_is_sent_once_after_the_lease(app, clock, make_scheduler):
    down, up = RecordingAdapter(), RecordingAdapter()
    down.fail = True
    tick(make_scheduler("first", target=down))
    second = make_scheduler("second", target=up)
    tick(second)
    assert [r for r in up.to("chat3") if r.text.startswith("📊")] == []  # still first's, within its lease
    clock.advance(minutes=5, seconds=1)
    tick(second)
    tick(second)
    assert len([r for r in up.to("chat3") if r.text.startswith("📊")]) == 1
