from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.intents.transcribe import voices


@pytest.fixture(scope="session")
def speech(tmp_path_factory) -> dict[str, Path]:
    """espeak-ng saying a visit note in English ("en") and Mandarin ("zh"), as wav files."""
    missing = voices.tools_missing()
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: run `bash scripts/system-deps.sh` (make test does)")
    folder = tmp_path_factory.mktemp("speech")
    return {"en": voices.speak(voices.ENGLISH, "en", folder / "en.wav"),
            "zh": voices.speak(voices.CHINESE, "cmn", folder / "zh.wav")}


@pytest.fixture(scope="session")
def notes(speech) -> dict[str, bytes]:
    """The Mandarin note in every format a chat platform sends."""
    return {fmt: voices.encode(speech["zh"], fmt) for fmt in ("ogg", "mp3", "m4a", "wav", "silk", "amr")}


@pytest.fixture(scope="session")
def whisper_base() -> Path:
    """The real Whisper base folder that `make voice-model` assembles (make test runs it first), or
    SALESBOT_TEST_WHISPER_MODEL."""
    folder = Path(os.environ.get("SALESBOT_TEST_WHISPER_MODEL") or
                  Path(__file__).resolve().parents[3] / "var" / "models" / "whisper-base")
    if not (folder / "model.bin").is_file():
        pytest.fail(f"no Whisper model in {folder}: run `make voice-model` (make test does)")
    return folder


@pytest.fixture(scope="session")
def tiny_faster_whisper(tmp_path_factory) -> Path:
    from tests.intents.transcribe.tiny_models import build_faster_whisper

    return build_faster_whisper(tmp_path_factory.mktemp("faster-whisper") / "tiny")


@pytest.fixture(scope="session")
def tiny_openai_whisper(tmp_path_factory) -> Path:
    from tests.intents.transcribe.tiny_models import build_openai_whisper

    return build_openai_whisper(tmp_path_factory.mktemp("openai-whisper") / "tiny.pt")


# the conversation-loop fixtures (a migrated CRM, linked test users, a scripted engine)
from tests.bot.conftest import app, engine_script, loop  # noqa: E402,F401
