"""Transcribers for tests: implement `intents.transcribe.Transcriber` without a model."""
from __future__ import annotations

import threading

from intents.transcribe import Pcm, Transcript
from intents.transcribe.backends.local import LazyModel, LoadsOnce


class FixedTranscriber:
    """Says `text` whatever it hears, and records each call (seconds of audio, hint, prompt)."""

    name = "fixed"

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls: list[tuple[float, str | None, str | None]] = []

    def transcribe(self, audio: Pcm, *, language_hint: str | None = None,
                   prompt: str | None = None) -> Transcript:
        self.calls.append((audio.seconds, language_hint, prompt))
        return Transcript(self.text, language_hint, self.name)


class BrokenTranscriber:
    """A backend outage: every call raises."""

    name = "broken"

    def transcribe(self, audio: Pcm, *, language_hint: str | None = None,
                   prompt: str | None = None) -> Transcript:
        raise ConnectionResetError("model server went away")


class SlowLoadingTranscriber(LoadsOnce):
    """A local backend whose model load blocks until the test calls `finish_loading()`: says `text`
    once loaded, and counts loads. Loads through the real `LazyModel`, as the Whisper backends do."""

    name = "slow-loading"

    def __init__(self, text: str) -> None:
        self.text = text
        self.loads = 0
        self.loading = threading.Event()
        self._release = threading.Event()
        self._model = LazyModel(self._load, "slow test model")

    def _load(self) -> str:
        self.loads += 1
        self.loading.set()
        if not self._release.wait(timeout=30):
            raise TimeoutError("the test never finished loading")
        return self.text

    def finish_loading(self) -> None:
        self._release.set()

    def transcribe(self, audio: Pcm, *, language_hint: str | None = None,
                   prompt: str | None = None) -> Transcript:
        return Transcript(self._model.get(), language_hint, self.name)
