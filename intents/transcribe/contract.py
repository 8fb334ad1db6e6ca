"""The transcriber contract: 16 kHz mono PCM in, text out.

    class Transcriber(Protocol):
        name: str
        def transcribe(self, audio: Pcm, *, language_hint: str | None, prompt: str | None) -> Transcript

- `audio` is already decoded and within the limits (`intents.transcribe.audio`).
- `language_hint` is an ISO 639-1 code ("zh", "en") from the speaker's settings, or None to let the
  model detect it.
- `prompt` is Whisper's initial prompt: names the speaker is likely to say, so "蓝鲸" is not heard
  as "蓝精". Backends keep its tail if it is too long for them.
- `transcribe` is blocking and thread-safe: the caller runs it off the event loop. A local backend
  loads its model once: in `load()`, which the bot runs in the background at start (bot/warmup.py),
  or on the first call; a call made while the model loads waits for that load.
- Failures other than `TranscriptionError` are bugs or outages; the caller logs them and tells the
  user voice recognition is unavailable.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from intents.transcribe.audio import Pcm


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str | None = None  # what the model used or detected
    backend: str = ""
    speech_seconds: float | None = None  # audio left after voice-activity detection, when the backend says


@runtime_checkable
class Transcriber(Protocol):
    name: str

    def transcribe(self, audio: Pcm, *, language_hint: str | None = None,
                   prompt: str | None = None) -> Transcript: ...
