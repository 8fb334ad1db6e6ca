#!/usr/bin/env python3
"""Benchmark voice notes: decoding and model time per second of audio, and the real-time factor.

usage: .venv/bin/python scripts/bench_voice.py [--seconds 20] [--rounds 3]

- decode: each platform format (ogg/opus, SILK, AMR, mp3, m4a, wav) of an espeak-ng note of about
  `--seconds` seconds, through `intents.transcribe.prepare` (ffmpeg or pilk → 16 kHz mono PCM,
  limits and the silence check), best of `--rounds`.
- model: tiny Whisper models with random weights (built here, as in the tests) in faster-whisper
  (int8) and openai-whisper: load time, and transcription time per second of audio. They measure
  the pipeline's overhead, not a real model's speed.
- real model: when WHISPER_MODEL (with WHISPER_BACKEND) names a local model, it is loaded the way
  the bot does (`build_transcriber`) and its real-time factor (processing time / audio time) is
  printed; below 1 means faster than speech.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intents.transcribe import Limits, prepare  # noqa: E402
from tests.intents.transcribe import voices  # noqa: E402

FORMATS = ("ogg", "silk", "amr", "mp3", "m4a", "wav")


def best_of(rounds: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def long_note(folder: Path, seconds: float, voice: str, sentence: str) -> Path:
    wav = voices.speak(sentence, voice, folder / f"{voice}-1.wav")
    repeats = max(1, round(seconds / voices.duration_of(wav)))
    return voices.speak(" ".join([sentence] * repeats), voice, folder / f"{voice}.wav")


def bench_decode(note: Path, rounds: int) -> None:
    seconds = voices.duration_of(note)
    print(f"decode → 16 kHz mono PCM ({seconds:.1f} s of Mandarin speech, best of {rounds})")
    for fmt in FORMATS:
        data = voices.encode(note, fmt)
        took, pcm = best_of(rounds, lambda: prepare(data, fmt, Limits()))
        print(f"  {fmt:<5} {len(data) / 1024:7.1f} KiB  {took * 1000:7.1f} ms  "
              f"{took * 1000 / pcm.seconds:6.2f} ms per audio second")


def bench_model(label: str, backend, pcm, rounds: int, *, language: str | None = "zh") -> None:
    started = time.perf_counter()
    backend.load()
    load = time.perf_counter() - started
    took, result = best_of(rounds, lambda: backend.transcribe(pcm, language_hint=language, prompt="客户：蓝鲸数据、青松制药。"))
    print(f"  {label:<34} load {load:5.2f} s   {took:6.2f} s for {pcm.seconds:.1f} s   "
          f"{took / pcm.seconds * 1000:6.1f} ms per audio second   RTF {took / pcm.seconds:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the test note (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="repeat each measurement, keep the best")
    args = parser.parse_args()
    missing = voices.tools_missing()
    if missing:
        print(f"missing {', '.join(missing)}: run `bash scripts/system-deps.sh`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        folder = Path(tmp)
        note = long_note(folder, args.seconds, "cmn", voices.CHINESE)
        bench_decode(note, args.rounds)
        pcm = prepare(voices.encode(note, "ogg"), "ogg")

        from intents.transcribe.backends.faster import FasterWhisperTranscriber
        from intents.transcribe.backends.pytorch import OpenAIWhisperTranscriber
        from tests.intents.transcribe.tiny_models import TINY, build_faster_whisper, build_openai_whisper

        print(f"\nmodel: tiny random Whisper (width {TINY['width']}, {TINY['layers']} layer), "
              f"greedy at temperature 0, {os.cpu_count()} cores")
        fw = build_faster_whisper(folder / "tiny-ct2")
        bench_model("faster-whisper int8 cpu", FasterWhisperTranscriber(str(fw), beam_size=1, temperature=0.0),
                    pcm, args.rounds)
        bench_model("faster-whisper int8 cpu, beam 5", FasterWhisperTranscriber(str(fw), temperature=0.0),
                    pcm, args.rounds)
        ow = build_openai_whisper(folder / "tiny.pt")
        bench_model("openai-whisper fp32 cpu", OpenAIWhisperTranscriber(str(ow), temperature=0.0), pcm, args.rounds)

        print()
        from storage.config import load_settings

        settings = load_settings()
        model = settings.whisper_model
        if settings.whisper_backend in ("faster-whisper", "openai-whisper") and model \
                and Path(model).expanduser().exists():
            from intents.transcribe import build_transcriber

            backend = build_transcriber(settings)
            print(f"real model: {settings.whisper_backend} {model} ({settings.whisper_device}, "
                  f"{settings.whisper_compute_type}), the bot's settings")
            bench_model(Path(model).name, backend, pcm, max(1, args.rounds - 1))
        else:
            print("real model: none configured; set WHISPER_MODEL to a local model folder (faster-whisper) "
                  "or .pt file (WHISPER_BACKEND=openai-whisper) to measure its real-time factor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
