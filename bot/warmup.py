"""Work the bot does at start-up in the background, so no request waits for it: loading a model,
reading an index, building a missing one.

    register("knowledge", knowledge_warm_up)   # a task: fn(app) -> None, at import of its module
    start(app)                                 # the bot, once, after build_app: one daemon thread

Tasks run one after the other on one thread (they compete for the same cores, and the first
request needs the first task most), in the order registered. A task that fails is logged with
its traceback and the next one runs; nothing a task prints reaches a chat. `wait(timeout)` is for
tests and benchmarks.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger("salesbot.warmup")
Task = Callable[["App"], None]

_tasks: dict[str, Task] = {}
_threads: list[threading.Thread] = []


def register(name: str, task: Task) -> None:
    """Add (or replace) the start-up task `name`."""
    _tasks[name] = task


def tasks() -> dict[str, Task]:
    return dict(_tasks)


def start(app: App, only: list[str] | None = None) -> threading.Thread:
    """Run the registered tasks (or `only` those) on a daemon thread; returns the thread."""
    chosen = [(name, task) for name, task in _tasks.items() if only is None or name in only]

    def run() -> None:
        for name, task in chosen:
            started = time.perf_counter()
            try:
                task(app)
            except Exception:
                log.exception("start-up task %s failed", name)
                continue
            log.info("start-up task %s done", name, extra={"seconds": round(time.perf_counter() - started, 2)})

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    _threads.append(thread)
    thread.start()
    return thread


def wait(timeout: float | None = None) -> None:
    """Wait for every warm-up started so far."""
    for thread in list(_threads):
        thread.join(timeout)
