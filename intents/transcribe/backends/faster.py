"""faster-whisper (CTranslate2): the default backend. No torch; int8 on CPU."""
from __future__ import annotations

from pathlib import Path

from intents.transcribe.audio import Pcm
from intents.transcribe.backends.local import LazyModel, LoadsOnce
from intents.transcribe.contract import Transcript


class FasterWhisperTranscriber(LoadsOnce):
    """`model` is a size name ("small", "large-v3": fetched from the model hub on first use) or a
    folder with a converted model (model.bin, config.json, tokenizer.json, vocabulary.json)."""

    name = "faster-whisper"

    def __init__(self, model: str, *, device: str = "cpu", compute_type: str = "int8",
                 beam_size: int = 5, temperature: float | tuple[float, ...] | None = None,
                 cpu_threads: int = 0, vad_filter: bool = True) -> None:
        self.model_ref = model
        self.beam_size = beam_size
        self.temperature = temperature
        self.vad_filter = vad_filter
        local = Path(model).expanduser()
        self._model = LazyModel(lambda: _load(str(local) if local.exists() else model, device, compute_type,
                                              cpu_threads, local_only=local.exists()), model)

    def transcribe(self, audio: Pcm, *, language_hint: str | None = None,
                   prompt: str | None = None) -> Transcript:
        model = self._model.get()
        options = {"language": language_hint, "initial_prompt": prompt or None, "beam_size": self.beam_size,
                   "condition_on_previous_text": False, "vad_filter": self.vad_filter}
        if self.temperature is not None:
            options["temperature"] = self.temperature
        with self._model.run_lock:
            segments, info = model.transcribe(audio.float32(), **options)
            text = "".join(segment.text for segment in segments)  # a generator: decoding happens here
        return Transcript(text=text.strip(), language=info.language, backend=self.name,
                          speech_seconds=round(info.duration_after_vad, 2))


def _load(model: str, device: str, compute_type: str, cpu_threads: int, *, local_only: bool):
    from faster_whisper import WhisperModel

    return WhisperModel(model, device=device, compute_type=compute_type, cpu_threads=cpu_threads,
                        local_files_only=local_only)
