"""openai-whisper (PyTorch): optional. Install it without triton (see docs/voice.md); CPU needs none."""
from __future__ import annotations

from intents.transcribe.audio import Pcm
from intents.transcribe.backends.local import LazyModel, LoadsOnce
from intents.transcribe.contract import Transcript

DEFAULT_TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


class OpenAIWhisperTranscriber(LoadsOnce):
    """`model` is a size name ("small", "turbo": fetched into ~/.cache/whisper on first use) or a
    checkpoint file saved by torch ({"dims", "model_state_dict"})."""

    name = "openai-whisper"

    def __init__(self, model: str, *, device: str = "cpu",
                 temperature: float | tuple[float, ...] = DEFAULT_TEMPERATURES) -> None:
        self.model_ref = model
        self.device = None if device == "auto" else device
        self.temperature = temperature
        self._model = LazyModel(self._load, model)

    def _load(self):
        import whisper

        return whisper.load_model(self.model_ref, device=self.device)

    def transcribe(self, audio: Pcm, *, language_hint: str | None = None,
                   prompt: str | None = None) -> Transcript:
        model = self._model.get()
        with self._model.run_lock:
            result = model.transcribe(audio.float32(), language=language_hint, initial_prompt=prompt or None,
                                      temperature=self.temperature, condition_on_previous_text=False,
                                      fp16=str(model.device) != "cpu", verbose=None)
        return Transcript(text=str(result.get("text") or "").strip(), language=result.get("language"),
                          backend=self.name)
