"""Transcribers for tests: implement `intents.transcribe.Transcriber` without a model."""
from __future__ import annotations

from intents.transcribe import Pcm, Transcript


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
