"""Voice notes → text: the transcriber interface the conversation loop calls.

A `Transcriber` turns audio bytes in a container format ("ogg", "silk", "amr", "mp3", "m4a",
"wav") into text. The loop calls `transcribe_for_user(app, msg)` when `app.transcriber` is set;
until then it answers that voice is not enabled. Backends (local Whisper, an API) implement
`Transcriber`; failures the user can act on are raised as `TranscriptionError`.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

log = logging.getLogger("salesbot.transcribe")
_MESSAGES = {
    "failed": {"zh": "没能识别这条语音，没有写入任何内容。请重说一次或直接打字。",
               "en": "I couldn't make out that voice note; nothing was saved. Please try again or type it."},
    "empty": {"zh": "这条语音里没有听到内容，请重说一次或直接打字。",
              "en": "I didn't hear anything in that voice note. Please try again or type it."},
}


class TranscriptionError(Exception):
    """Transcription failed in a way the user should be told about."""

    def __init__(self, reason: str = "failed", detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason if reason in _MESSAGES else "failed"

    def user_message(self, lang: str) -> str:
        return _MESSAGES[self.reason]["en" if (lang or "").startswith("en") else "zh"]


class Transcriber(Protocol):
    def transcribe(self, audio: bytes, fmt: str, language_hint: str | None, prompt: str | None) -> str:
        """Text spoken in `audio` (a whole file in container `fmt`)."""
        ...


async def transcribe_for_user(app: Any, msg: Any) -> str:
    """Transcribe `msg.audio` with `app.transcriber` off the event loop. Raises
    `TranscriptionError` when the backend fails or hears nothing."""
    audio = msg.audio
    if audio is None or app.transcriber is None:
        raise TranscriptionError("failed", "no audio or no transcriber")
    try:
        text = await asyncio.to_thread(app.transcriber.transcribe, audio.data, audio.format,
                                       msg.language_hint, None)
    except TranscriptionError:
        raise
    except Exception as exc:
        log.exception("transcription failed", extra={"format": audio.format, "bytes": len(audio.data)})
        raise TranscriptionError("failed", repr(exc)) from exc
    if not (text or "").strip():
        raise TranscriptionError("empty")
    return text.strip()
