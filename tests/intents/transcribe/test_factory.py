"""build_transcriber: which backend the settings give, and start-up failures that name the fix."""
from __future__ import annotations

import importlib.util

import pytest

from bot.app import build_app
from intents.transcribe import TranscriberConfigError, build_transcriber
from intents.transcribe.backends.api import OpenAICompatibleTranscriber
from intents.transcribe.backends.faster import FasterWhisperTranscriber
from intents.transcribe.backends.pytorch import OpenAIWhisperTranscriber
from intents.transcribe.factory import FASTER_WHISPER_SIZES, OPENAI_WHISPER_SIZES
from storage.config import Settings, SettingsError
from tests.fakes.engines import ScriptedEngine


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def _fails(match: str, **values) -> TranscriberConfigError:
    with pytest.raises(TranscriberConfigError, match=match) as caught:
        build_transcriber(settings(**values))
    assert isinstance(caught.value, SettingsError)  # the CLI prints it as a configuration error
    return caught.value


def test_voice_is_off_by_default_and_with_none():
    assert settings().whisper_backend == "faster-whisper"
    assert build_transcriber(settings()) is None  # no WHISPER_MODEL yet
    assert build_transcriber(settings(whisper_backend="none", whisper_model="small")) is None


def test_settings_read_the_voice_variables_from_the_environment(monkeypatch):
    monkeypatch.setenv("WHISPER_BACKEND", "openai-api")
    monkeypatch.setenv("TRANSCRIBE_API_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("TRANSCRIBE_API_KEY", "sk-env")
    monkeypatch.setenv("VOICE_MAX_SECONDS", "120")
    monkeypatch.setenv("VOICE_MAX_BYTES", "1048576")
    s = settings()
    assert (s.whisper_backend, s.voice_max_seconds, s.voice_max_bytes) == ("openai-api", 120, 1048576)
    assert s.transcribe_api_key.get_secret_value() == "sk-env" and "sk-env" not in repr(s)
    assert (s.whisper_device, s.whisper_compute_type) == ("cpu", "int8")


def test_a_local_faster_whisper_folder_is_checked_not_loaded(tiny_faster_whisper):
    backend = build_transcriber(settings(whisper_model=str(tiny_faster_whisper), whisper_compute_type="int8"))
    assert isinstance(backend, FasterWhisperTranscriber) and not backend.loaded


def test_a_size_name_is_accepted_and_fetched_on_first_use(caplog):
    backend = build_transcriber(settings(whisper_model="small"))
    assert isinstance(backend, FasterWhisperTranscriber) and not backend.loaded
    assert "fetched from the model hub on first use" in caplog.text


def test_a_missing_model_fails_at_start_naming_whisper_model(tmp_path):
    err = _fails("WHISPER_MODEL", whisper_model=str(tmp_path / "nowhere"))
    assert "is not a folder" in str(err)
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "model.bin").write_bytes(b"x")
    assert "config.json, tokenizer.json" in str(_fails("WHISPER_MODEL", whisper_model=str(tmp_path / "half")))
    assert "unknown model 'huge-v9'" in str(_fails("WHISPER_MODEL", whisper_model="huge-v9"))


def test_openai_whisper_checkpoint_and_sizes(tiny_openai_whisper, tmp_path):
    backend = build_transcriber(settings(whisper_backend="openai-whisper", whisper_model=str(tiny_openai_whisper)))
    assert isinstance(backend, OpenAIWhisperTranscriber) and not backend.loaded
    assert "not a checkpoint file" in str(_fails("WHISPER_MODEL", whisper_backend="openai-whisper",
                                                 whisper_model=str(tmp_path)))
    _fails("WHISPER_MODEL", whisper_backend="openai-whisper", whisper_model="distil-small.en")


def test_openai_api_needs_its_url():
    _fails("TRANSCRIBE_API_URL", whisper_backend="openai-api")
    backend = build_transcriber(settings(whisper_backend="openai-api", transcribe_api_url="http://127.0.0.1:9/v1",
                                         transcribe_api_key="sk-x"))
    assert isinstance(backend, OpenAICompatibleTranscriber)
    assert (backend.url, backend.model) == ("http://127.0.0.1:9/v1/audio/transcriptions", "whisper-1")


def test_a_missing_package_fails_at_start(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "faster_whisper" else real(name, *a))
    err = _fails("WHISPER_BACKEND", whisper_model="small")
    assert "salesbot[voice]" in str(err) and "WHISPER_BACKEND=none" in str(err)


def test_missing_ffmpeg_fails_at_start(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert "ffmpeg" in str(_fails("WHISPER_BACKEND", whisper_model="small"))


def test_size_names_match_the_libraries():
    from faster_whisper.utils import available_models
    import whisper

    assert FASTER_WHISPER_SIZES == set(available_models())
    assert OPENAI_WHISPER_SIZES == set(whisper.available_models())


def test_build_app_sets_the_transcriber(crm, clock, tiny_faster_whisper):
    app = build_app(settings(database_url=str(crm.url), whisper_model=str(tiny_faster_whisper)), clock=clock,
                    engine=ScriptedEngine(), db=crm, run_migrations=False)
    assert isinstance(app.transcriber, FasterWhisperTranscriber) and not app.transcriber.loaded
    off = build_app(settings(database_url=str(crm.url)), clock=clock, engine=ScriptedEngine(), db=crm,
                    run_migrations=False)
    assert off.transcriber is None
    with pytest.raises(TranscriberConfigError, match="WHISPER_MODEL"):
        build_app(settings(database_url=str(crm.url), whisper_model="/no/such/model"), clock=clock,
                  engine=ScriptedEngine(), db=crm, run_migrations=False)
