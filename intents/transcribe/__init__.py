"""Voice notes → text: decoding, limits, Whisper backends, and the call the conversation loop makes.

    from intents.transcribe import transcribe_for_user, TranscriptionError, Transcriber

See `contract.py` for the backend contract, `audio.py` for decoding and limits, `factory.py` for
the settings, and docs/voice.md for installing models.
"""
from intents.transcribe.audio import Limits, Pcm, prepare
from intents.transcribe.contract import Transcriber, Transcript
from intents.transcribe.errors import TranscriberConfigError, TranscriptionError
from intents.transcribe.factory import build_transcriber
from intents.transcribe.service import transcribe_for_user, transcribe_note, vocabulary_prompt, whisper_language

__all__ = [
    "Limits", "Pcm", "Transcriber", "TranscriberConfigError", "Transcript", "TranscriptionError",
    "build_transcriber", "prepare", "transcribe_for_user", "transcribe_note", "vocabulary_prompt",
    "whisper_language",
]
