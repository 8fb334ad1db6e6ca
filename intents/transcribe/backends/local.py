"""What the two local Whisper backends share: load once on first use, one inference at a time."""
from __future__ import annotations

import logging
import threading
import time
from typing import Any

log = logging.getLogger("salesbot.transcribe")


class LazyModel:
    """Holds a model that is built by `loader` on the first `get()`, once, even when several threads
    ask at the same time. A failed load is not remembered: the next voice note tries again."""

    def __init__(self, loader, describe: str) -> None:
        self._loader = loader
        self._describe = describe
        self._model: Any = None
        self._load_lock = threading.Lock()
        self.run_lock = threading.Lock()  # two cores: concurrent decodes only thrash
        self.load_seconds: float | None = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def get(self) -> Any:
        """The model; the first caller loads it, and callers that come during the load wait for it."""
        if self._model is None:
            if self._load_lock.locked():
                log.info("waiting for the whisper model to load", extra={"model": self._describe})
            with self._load_lock:
                if self._model is None:
                    started = time.perf_counter()
                    model = self._loader()
                    self.load_seconds = time.perf_counter() - started
                    log.info("whisper model loaded", extra={"model": self._describe,
                                                            "s": round(self.load_seconds, 2)})
                    self._model = model
        return self._model


class LoadsOnce:
    """`load()` and `loaded` for a backend that keeps its model in a `LazyModel` at `self._model`."""

    _model: LazyModel

    @property
    def loaded(self) -> bool:
        return self._model.loaded

    def load(self) -> None:
        self._model.get()
