"""The workers' wake-up signal: one notify wakes one idle task, a notify nobody waits for is kept
for the next waiter (bounded), notify_all wakes everyone, and while tasks wait one of them (not
all) is woken each poll period."""
from __future__ import annotations

import asyncio

from bot.inbox.worker import Wakeup


async def test_one_notify_wakes_exactly_one_of_several_waiting_tasks():
    wake = Wakeup(keep=4, poll_s=60)
    waiting = [asyncio.create_task(wake.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    wake.notify()
    done, pending = await asyncio.wait(waiting, timeout=0.2)
    assert len(done) == 1 and next(iter(done)).result() is True
    wake.notify_all()
    assert await asyncio.wait_for(asyncio.gather(*pending), 1.0) == [True, True]


async def test_a_notify_with_no_task_waiting_is_kept_for_the_next_wait_up_to_the_bound():
    wake = Wakeup(keep=2, poll_s=0.05)
    for _ in range(5):
        wake.notify()
    assert wake.kept == 2
    assert await wake.wait() is True
    assert await wake.wait() is True
    assert await asyncio.wait_for(wake.wait(), 1.0) is False  # the signals over the bound were dropped: the poll


async def test_while_tasks_wait_one_of_them_is_woken_each_poll_period():
    wake = Wakeup(keep=1, poll_s=0.05)
    waiting = [asyncio.create_task(wake.wait()) for _ in range(4)]
    await asyncio.sleep(0.075)  # one poll period has passed, not two
    assert sum(task.done() for task in waiting) == 1
    assert [task.result() for task in waiting if task.done()] == [False]
    await asyncio.sleep(0.05)
    assert sum(task.done() for task in waiting) == 2
    wake.notify_all()
    await asyncio.wait_for(asyncio.gather(*waiting), 1.0)
    assert not wake._waiters


async def test_a_cancelled_waiter_does_not_swallow_a_later_signal():
    wake = Wakeup(keep=1, poll_s=60)
    gone = asyncio.create_task(wake.wait())
    late = asyncio.create_task(wake.wait())
    await asyncio.sleep(0)
    gone.cancel()
    await asyncio.sleep(0)
    wake.notify()
    assert await asyncio.wait_for(late, 1.0) is True
