"""An OpenAI-compatible transcription endpoint (POST multipart to …/audio/transcriptions).

Works with OpenAI, Groq, a self-hosted faster-whisper-server or whisper.cpp server. The decoded note
is sent as 16 kHz mono WAV, so every server accepts it whatever the chat platform recorded.
"""
from __future__ import annotations

import logging

from intents.transcribe.audio import Pcm
from intents.transcribe.contract import Transcript
from intents.transcribe.errors import TranscriptionError

log = logging.getLogger("salesbot.transcribe")
PATH = "/audio/transcriptions"


class OpenAICompatibleTranscriber:
    """`url` is the API base ("https://api.openai.com/v1") or the full transcriptions URL."""

    name = "openai-api"

    def __init__(self, url: str, *, model: str = "whisper-1", api_key: str | None = None,
                 timeout_s: float = 60.0) -> None:
        base = url.rstrip("/")
        self.url = base if base.endswith(PATH) else base + PATH
        self.model = model
        self._api_key = api_key
        self.timeout_s = timeout_s

    def transcribe(self, audio: Pcm, *, language_hint: str | None = None,
                   prompt: str | None = None) -> Transcript:
        import httpx

        fields = {"model": self.model, "response_format": "json"}
        if language_hint:
            fields["language"] = language_hint
        if prompt:
            fields["prompt"] = prompt
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            response = httpx.post(self.url, data=fields, files={"file": ("note.wav", audio.wav(), "audio/wav")},
                                  headers=headers, timeout=self.timeout_s + audio.seconds)
        except httpx.HTTPError as exc:
            raise TranscriptionError("unavailable", detail=f"{self.url}: {exc.__class__.__name__}: {exc}") from None
        if response.status_code != 200:
            raise TranscriptionError("unavailable", detail=f"{self.url}: HTTP {response.status_code} "
                                                           f"{response.text[:200]}")
        try:
            body = response.json()
            text = body["text"]
        except (ValueError, KeyError, TypeError):
            raise TranscriptionError("unavailable", detail=f"{self.url}: no 'text' in {response.text[:200]!r}") from None
        return Transcript(text=str(text).strip(), language=body.get("language") or language_hint,
                          backend=self.name)
