"""Start-up work in the background: tasks run in order on one daemon thread, a failing one is
logged and the next still runs, and only a bot that is starting to serve starts them."""
from __future__ import annotations

import logging
import threading

from bot import warmup


def test_tasks_run_in_order_on_one_background_thread_and_a_failure_does_not_stop_the_rest(monkeypatch, caplog):
    ran = []
    monkeypatch.setattr(warmup, "_tasks", {})
    warmup.register("first", lambda app: ran.append(("first", threading.current_thread().name, app)))
    warmup.register("broken", lambda app: 1 / 0)
    warmup.register("last", lambda app: ran.append(("last", threading.current_thread().name, app)))
    with caplog.at_level(logging.ERROR, logger="salesbot.warmup"):
        thread = warmup.start("the app")
        thread.join(10)
    assert thread.daemon and not thread.is_alive()
    assert ran == [("first", "warm-up", "the app"), ("last", "warm-up", "the app")]
    assert "start-up task broken failed" in caplog.text and "ZeroDivisionError" in caplog.text


def test_only_the_named_tasks_run(monkeypatch):
    ran = []
    monkeypatch.setattr(warmup, "_tasks", {})
    warmup.register("a", lambda app: ran.append("a"))
    warmup.register("b", lambda app: ran.append("b"))
    warmup.start(None, only=["b"]).join(10)
    assert ran == ["b"]


def test_build_app_starts_the_warm_up_only_when_asked(monkeypatch, tmp_path):
    from bot.app import build_app
    from storage.config import Settings
    from tests.fakes.engines import ScriptedEngine

    started = []
    monkeypatch.setattr(warmup, "start", lambda app, only=None: started.append(app))
    settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp_path / 'a.db'}")
    quiet = build_app(settings, engine=ScriptedEngine())
    assert started == []
    serving = build_app(settings, engine=ScriptedEngine(), warm_up=True)
    assert started == [serving] and quiet is not serving
    assert {"whisper", "knowledge", "analytics"} <= set(warmup.tasks())
    serving.db.dispose()
    quiet.db.dispose()
