"""`build_transcriber(settings)`: the configured backend, checked at start, loaded on first use.

    WHISPER_BACKEND=none             voice notes off
    WHISPER_BACKEND=faster-whisper   (default) on when WHISPER_MODEL is set
    WHISPER_BACKEND=openai-whisper   on when WHISPER_MODEL is set
    WHISPER_BACKEND=openai-api       needs TRANSCRIBE_API_URL; WHISPER_MODEL is the remote model name

What can be checked without loading a model is checked here and raises `TranscriberConfigError`
naming the variable: the backend's package, ffmpeg, a model path that does not exist or holds no
model, an unknown size name. Nothing is loaded here: the bot loads a local model in the background
at start (`App.warmup`), other commands on first use.
"""
from __future__ import annotations

import importlib.util
import logging
import re
import shutil
from pathlib import Path

from intents.transcribe.contract import Transcriber
from intents.transcribe.errors import TranscriberConfigError

log = logging.getLogger("salesbot.transcribe")

# Size names the two libraries download by themselves (faster_whisper.utils._MODELS,
# whisper._MODELS); kept here so start-up does not import either library.
FASTER_WHISPER_SIZES = frozenset({
    "tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en", "large-v1",
    "large-v2", "large-v3", "large", "distil-large-v2", "distil-medium.en", "distil-small.en",
    "distil-large-v3", "distil-large-v3.5", "large-v3-turbo", "turbo",
})
OPENAI_WHISPER_SIZES = frozenset({
    "tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium", "medium.en", "large-v1",
    "large-v2", "large-v3", "large", "large-v3-turbo", "turbo",
})
_HUB_ID = re.compile(r"^[\w.-]+/[\w.-]+$")
_PACKAGES = {"faster-whisper": ("faster_whisper", "pip install 'salesbot[voice]'"),
             "openai-whisper": ("whisper", "make voice-openai-whisper (installs it without triton)"),
             "openai-api": ("httpx", "pip install 'salesbot[voice]'")}


def build_transcriber(settings) -> Transcriber | None:
    """The transcriber the settings ask for, or None when voice notes are off."""
    backend = settings.whisper_backend
    if backend == "none":
        return None
    if backend in ("faster-whisper", "openai-whisper") and not settings.whisper_model:
        log.info("voice notes off: WHISPER_MODEL is not set")
        return None
    _require_package(backend)
    _require_ffmpeg()
    if backend == "openai-api":
        if not settings.transcribe_api_url:
            raise TranscriberConfigError(
                "TRANSCRIBE_API_URL: WHISPER_BACKEND=openai-api needs the endpoint's base URL, "
                "e.g. https://api.openai.com/v1 (set it in the environment or .env; see .env.example)")
        from intents.transcribe.backends.api import OpenAICompatibleTranscriber

        key = settings.transcribe_api_key.get_secret_value() if settings.transcribe_api_key else None
        return OpenAICompatibleTranscriber(settings.transcribe_api_url, model=settings.whisper_model or "whisper-1",
                                           api_key=key)
    model = settings.whisper_model.strip()
    if backend == "faster-whisper":
        _check_faster_whisper_model(model)
        from intents.transcribe.backends.faster import FasterWhisperTranscriber

        return FasterWhisperTranscriber(model, device=settings.whisper_device,
                                        compute_type=settings.whisper_compute_type,
                                        cpu_threads=settings.whisper_threads)
    _check_openai_whisper_model(model)
    from intents.transcribe.backends.pytorch import OpenAIWhisperTranscriber

    return OpenAIWhisperTranscriber(model, device=settings.whisper_device)


def _require_package(backend: str) -> None:
    module, how = _PACKAGES[backend]
    if importlib.util.find_spec(module) is None:
        raise TranscriberConfigError(
            f"WHISPER_BACKEND: {backend} needs the {module} package, which is not installed ({how}); "
            f"or set WHISPER_BACKEND=none to turn voice notes off")


def _require_ffmpeg() -> None:
    if shutil.which("ffmpeg") is None:
        raise TranscriberConfigError(
            "WHISPER_BACKEND: voice notes need ffmpeg to decode audio (apt-get install ffmpeg, or "
            "bash scripts/system-deps.sh); or set WHISPER_BACKEND=none to turn them off")


def _looks_like_path(model: str) -> bool:
    return model.startswith(("/", ".", "~")) or Path(model).expanduser().exists()


def _check_faster_whisper_model(model: str) -> None:
    if _looks_like_path(model):
        folder = Path(model).expanduser()
        missing = [name for name in ("model.bin", "config.json", "tokenizer.json") if not (folder / name).is_file()]
        if not folder.is_dir() or missing:
            what = "is not a folder" if not folder.is_dir() else f"has no {', '.join(missing)}"
            raise TranscriberConfigError(
                f"WHISPER_MODEL: {model} {what}; point it at a CTranslate2 Whisper model folder "
                f"(model.bin, config.json, tokenizer.json: see docs/voice.md) or use a size name like small")
        return
    if model in FASTER_WHISPER_SIZES or _HUB_ID.match(model):
        log.warning("WHISPER_MODEL=%s is fetched from the model hub on first use; point WHISPER_MODEL "
                    "at a local folder where there is no internet access", model)
        return
    raise TranscriberConfigError(
        f"WHISPER_MODEL: unknown model {model!r}; use a local folder or one of "
        f"{', '.join(sorted(FASTER_WHISPER_SIZES))}")


def _check_openai_whisper_model(model: str) -> None:
    if _looks_like_path(model):
        if not Path(model).expanduser().is_file():
            raise TranscriberConfigError(
                f"WHISPER_MODEL: {model} is not a checkpoint file; point it at a Whisper .pt file "
                f"or use a size name like small")
        return
    if model in OPENAI_WHISPER_SIZES:
        cached = Path("~/.cache/whisper").expanduser() / f"{model}.pt"
        if not cached.is_file():
            log.warning("WHISPER_MODEL=%s is downloaded on first use; point WHISPER_MODEL at a local "
                        ".pt file where there is no internet access", model)
        return
    raise TranscriberConfigError(
        f"WHISPER_MODEL: unknown model {model!r}; use a .pt file or one of {', '.join(sorted(OPENAI_WHISPER_SIZES))}")
