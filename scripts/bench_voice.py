#!/usr/bin/env python3
"""Benchmark voice notes: decoding per second of audio, and Whisper base's speed, memory and accuracy.

usage: .venv/bin/python scripts/bench_voice.py [--seconds 20] [--rounds 3] [--model DIR] [--skip-tiny]

- decode: each platform format (ogg/opus, SILK, AMR, mp3, m4a, wav) of an espeak-ng note of about
  `--seconds` seconds, through `intents.transcribe.prepare` (ffmpeg or pilk → 16 kHz mono PCM,
  limits and the silence check), best of `--rounds`.
- tiny models: Whisper with random weights (built here, as in the tests) in faster-whisper (int8)
  and openai-whisper: the pipeline's overhead, not a real model's speed.
- real model: the model in `--model` (default: WHISPER_MODEL if it is a local folder, else
  var/models/whisper-base from `make voice-model`), loaded the way the bot loads it
  (`build_transcriber`: int8 on CPU, beam 5, VAD) in a fresh process per thread count (1 and 2),
  so that load time and peak RSS are its own. It transcribes the synthetic English set
  (tests/intents/transcribe/synthetic.py: ten notes, ten espeak-ng voices and speeds, clean and
  with noise at 20 and 10 dB SNR) with the speaker's language and names as the bot sends them, and
  a ~`--seconds` s English note; it prints the real-time factor (model time / audio time, the
  median of `--rounds`; below 1 is faster than speech), load time, peak RSS, the word error rate
  and how many notes give the card their typed text gives. The load average is printed: on a
  shared machine the wall-clock RTF depends on it, so the CPU time per audio second is printed too
  (the process's CPU time, all threads): with that many idle cores the RTF cannot beat it divided
  by the thread count, and with one thread on an idle core it is the RTF.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intents.transcribe import Limits, prepare  # noqa: E402
from tests.intents.transcribe import voices  # noqa: E402

FORMATS = ("ogg", "silk", "amr", "mp3", "m4a", "wav")
MODEL_DIR = ROOT / "var" / "models" / "whisper-base"
FIXTURE = next(p for p in (ROOT.parent / "shared" / "eval" / "fixture.json", ROOT / "tests" / "data" / "fixture.json")
               if p.exists())
NOW = "2026-11-25T10:00"  # the fixture's reference now, as in the tests


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


def bench_tiny(folder: Path, pcm, rounds: int) -> None:
    from intents.transcribe.backends.faster import FasterWhisperTranscriber
    from intents.transcribe.backends.pytorch import OpenAIWhisperTranscriber
    from tests.intents.transcribe.tiny_models import TINY, build_faster_whisper, build_openai_whisper

    print(f"\nmodel: tiny random Whisper (width {TINY['width']}, {TINY['layers']} layer), "
          f"greedy at temperature 0, {os.cpu_count()} cores")
    fw = build_faster_whisper(folder / "tiny-ct2")
    bench_model("faster-whisper int8 cpu", FasterWhisperTranscriber(str(fw), beam_size=1, temperature=0.0),
                pcm, rounds)
    bench_model("faster-whisper int8 cpu, beam 5", FasterWhisperTranscriber(str(fw), temperature=0.0), pcm, rounds)
    ow = build_openai_whisper(folder / "tiny.pt")
    bench_model("openai-whisper fp32 cpu", OpenAIWhisperTranscriber(str(ow), temperature=0.0), pcm, rounds)


# --- the real model, one process per thread count --------------------------------------------


def real_model_dir(given: Path | None) -> Path | None:
    if given is not None:
        return given
    from storage.config import load_settings

    configured = load_settings().whisper_model
    if configured and (Path(configured).expanduser() / "model.bin").is_file():
        return Path(configured).expanduser()
    return MODEL_DIR if (MODEL_DIR / "model.bin").is_file() else None


def worker(model: Path, threads: int, rounds: int, seconds: float, accuracy: bool) -> dict:
    """Load the model as the bot does with `threads` CPU threads, time the synthetic set (clean and
    noisy) and a long note, and measure what it heard. Runs in its own process."""
    from intents.batch import parse_batch
    from intents.transcribe import build_transcriber, vocabulary_prompt
    from storage.config import Settings
    from tests.intents.transcribe import synthetic

    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    prompt = vocabulary_prompt(_directory(fixture), synthetic.SPEAKER, "en")
    settings = Settings(_env_file=None, whisper_model=str(model), whisper_threads=threads)
    transcriber = build_transcriber(settings)
    before = _peak_rss_mb()
    started = time.perf_counter()
    transcriber.load()
    report = {"threads": threads, "load_s": time.perf_counter() - started, "rss_before_load_mb": before,
              "rss_after_load_mb": _peak_rss_mb()}
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        folder = Path(tmp)
        conditions = synthetic.CONDITIONS if accuracy else {"clean": None}
        notes = {name: {key: prepare(data, "ogg") for key, data in synthetic.voice_notes(folder, snr).items()}
                 for name, snr in conditions.items()}
        long = prepare(voices.encode(long_note(folder, seconds, "en-us", synthetic.NOTES[0].said), "ogg"), "ogg")
    typed = _calls(parse_batch, fixture, {n.key: n.text for n in synthetic.NOTES})
    report["conditions"] = {}
    for name, pcms in notes.items():
        audio = sum(pcm.seconds for pcm in pcms.values())
        times, cpu, heard = [], [], {}
        for _ in range(rounds if name == "clean" else 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            heard = {key: transcriber.transcribe(pcm, language_hint="en", prompt=prompt).text for key, pcm in pcms.items()}
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        report["conditions"][name] = {"audio_s": audio, "rtf": statistics.median(times) / audio,
                                      "rtf_runs": [t / audio for t in times], "cpu_rtf": statistics.median(cpu) / audio,
                                      **_accuracy(_calls(parse_batch, fixture, heard), typed, heard)}
    if accuracy:  # what the prompt is worth: the clean set without it
        heard = {key: transcriber.transcribe(pcm, language_hint="en").text for key, pcm in notes["clean"].items()}
        report["conditions"]["clean, no prompt"] = _accuracy(_calls(parse_batch, fixture, heard), typed, heard)
    times, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        transcriber.transcribe(long, language_hint="en", prompt=prompt)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    report["long"] = {"audio_s": long.seconds, "rtf": statistics.median(times) / long.seconds,
                      "rtf_runs": [t / long.seconds for t in times], "cpu_rtf": statistics.median(cpu) / long.seconds}
    report["peak_rss_mb"] = _peak_rss_mb()
    return report


def _directory(fixture: dict):
    from storage.db import make_engine, migrate, session_scope
    from storage.fixture import import_fixture
    from storage.names import load_directory

    db = make_engine("sqlite://")
    migrate(db)
    with session_scope(db) as session:
        import_fixture(fixture, session=session)
    with session_scope(db) as session:
        return load_directory(session=session)


def _calls(parse_batch, fixture: dict, texts: dict[str, str]) -> dict[str, list]:
    from tests.intents.transcribe import synthetic

    cases = [{"id": key, "now": NOW, "user": synthetic.SPEAKER, "text": text} for key, text in texts.items()]
    return {row["id"]: row["calls"] for row in parse_batch(fixture, cases)}


def _accuracy(calls: dict[str, list], typed: dict[str, list], heard: dict[str, str]) -> dict:
    """WER, and how many notes give the typed note's deal line and its whole card (free text aside)."""
    from intents.transcribe.wer import word_error_rate
    from tests.intents.transcribe import synthetic

    deals = [key for key in typed if synthetic.deal_fields(calls[key]) == synthetic.deal_fields(typed[key])]
    cards = [key for key in deals if synthetic.card_calls(calls[key]) == synthetic.card_calls(typed[key])]
    return {"wer": word_error_rate((n.said, heard[n.key]) for n in synthetic.NOTES).rate,
            "same_deals": len(deals), "same_cards": len(cards),
            "misses": {key: heard[key] for key in typed if key not in cards}}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_real(model: Path, rounds: int, seconds: float) -> None:
    print(f"\nreal model: {model} (faster-whisper int8, beam 5, VAD, the bot's prompt), "
          f"{os.cpu_count()} cores, load average {_load()}")
    for threads in (1, 2):
        done = subprocess.run([sys.executable, __file__, "--worker", str(model), "--threads", str(threads),
                               "--rounds", str(rounds), "--seconds", str(seconds),
                               *(["--accuracy"] if threads == 2 else [])],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"  {threads} thread(s): worker failed\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        report = json.loads(done.stdout.strip().splitlines()[-1])
        clean, long = report["conditions"]["clean"], report["long"]
        print(f"  int8, {threads} thread{'s' if threads > 1 else ' '}: load {report['load_s']:.2f} s; peak RSS "
              f"{report['peak_rss_mb']:.0f} MB (the process before loading {report['rss_before_load_mb']:.0f} MB, "
              f"after {report['rss_after_load_mb']:.0f} MB)")
        print(f"    RTF {clean['rtf']:.3f} on the synthetic set ({clean['audio_s']:.0f} s of 10 notes, median "
              f"of {len(clean['rtf_runs'])}: {', '.join(f'{r:.3f}' for r in clean['rtf_runs'])}); "
              f"RTF {long['rtf']:.3f} on one {long['audio_s']:.0f} s note")
        print(f"    CPU time per audio second: {clean['cpu_rtf']:.3f} (set), {long['cpu_rtf']:.3f} (long note); "
              f"with {threads} idle core{'s' if threads > 1 else ''} the RTF is at least "
              f"{clean['cpu_rtf'] / threads:.3f} and {long['cpu_rtf'] / threads:.3f}")
        if threads == 2:
            for name, figures in report["conditions"].items():
                print(f"    {name:<16} WER {figures['wer']:.3f}   as typed: deal line {figures['same_deals']}/10, "
                      f"whole card {figures['same_cards']}/10")
                for key, text in figures["misses"].items():
                    print(f"      {key}: {text!r}")
    print(f"  load average after: {_load()}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the long test note (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="repeat each measurement (default 3)")
    parser.add_argument("--model", type=Path, help="a faster-whisper model folder (default: WHISPER_MODEL or "
                                                   "var/models/whisper-base)")
    parser.add_argument("--skip-tiny", action="store_true", help="skip the decode and tiny-model figures")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--accuracy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    missing = voices.tools_missing()
    if missing:
        print(f"missing {', '.join(missing)}: run `bash scripts/system-deps.sh`", file=sys.stderr)
        return 2
    if args.worker:
        print(json.dumps(worker(args.worker, args.threads, args.rounds, args.seconds, args.accuracy)))
        return 0
    if not args.skip_tiny:
        with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
            folder = Path(tmp)
            note = long_note(folder, args.seconds, "cmn", voices.CHINESE)
            bench_decode(note, args.rounds)
            bench_tiny(folder, prepare(voices.encode(note, "ogg"), "ogg"), args.rounds)
    model = real_model_dir(args.model)
    if model is None:
        print("\nreal model: none; run `make voice-model` (Whisper base) or set WHISPER_MODEL to a local "
              "faster-whisper folder")
        return 0
    bench_real(model, args.rounds, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
