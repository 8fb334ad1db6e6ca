"""Voice notes for tests, made here: espeak-ng speaks, ffmpeg encodes, pilk writes SILK.

Every format a chat platform sends: ogg/opus (Telegram), SILK v3 and AMR (WeChat), mp3, m4a, wav.
ffmpeg has no AMR encoder, so AMR notes are written from the storage format (RFC 4867: "#!AMR\\n",
then frames of a table-of-contents byte and the mode's payload), which any decoder accepts.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from pathlib import Path

FFMPEG = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
ENCODERS = {
    "ogg": ["-c:a", "libopus", "-b:a", "24k", "-f", "ogg"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3"],
    "m4a": ["-c:a", "aac", "-b:a", "32k", "-f", "ipod"],
    "wav": ["-c:a", "pcm_s16le", "-f", "wav"],
}
ENGLISH = "Visited Acme today, met John about the rollout, next step a demo on Friday."
CHINESE = "今天拜访了蓝鲸李总，聊了扩容方案，下周三跟进。"


def tools_missing() -> list[str]:
    return [tool for tool in ("ffmpeg", "espeak-ng") if shutil.which(tool) is None]


def speak(text: str, voice: str, path: Path) -> Path:
    """espeak-ng's voice ("en", "cmn") saying `text`, as a 22.05 kHz wav."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(path), text], check=True,
                   capture_output=True, timeout=60)
    return path


def encode(source: Path, fmt: str, *, extra: list[str] | None = None) -> bytes:
    """`source` re-encoded as a voice note in `fmt` (ogg, mp3, m4a, wav, silk, amr), mono unless
    `extra` ffmpeg output options say otherwise."""
    if fmt == "silk":
        return silk_note(source)
    if fmt == "amr":
        return amr_note(seconds=duration_of(source))
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"note.{fmt}"  # a file, not a pipe: the m4a muxer seeks back to write its index
        subprocess.run([*FFMPEG, "-i", str(source), "-ac", "1", *(extra or []), *ENCODERS[fmt], str(target)],
                       capture_output=True, check=True, timeout=60)
        return target.read_bytes()


def tone(seconds: float, fmt: str = "ogg", *, volume: float = 0.5, frequency: int = 440) -> bytes:
    """A sine tone of peak `volume` (full scale = 1; silence with 0) as a voice note."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "tone.wav"
        subprocess.run([*FFMPEG, "-f", "lavfi", "-i",
                        f"aevalsrc={volume}*sin(2*PI*{frequency}*t):s=16000:d={seconds}", "-ac", "1", str(wav)],
                       capture_output=True, check=True, timeout=120)
        return encode(wav, fmt)


def duration_of(source: Path) -> float:
    done = subprocess.run([*FFMPEG, "-i", str(source), "-f", "s16le", "-ac", "1", "-ar", "16000", "pipe:1"],
                          capture_output=True, check=True, timeout=60)
    return len(done.stdout) / 32000


def silk_note(source: Path, *, wechat_prefix: bool = True) -> bytes:
    """`source` encoded with pilk as WeChat does (24 kHz, with the 0x02 prefix byte)."""
    import pilk

    with tempfile.TemporaryDirectory() as tmp:
        pcm, silk = Path(tmp) / "in.pcm", Path(tmp) / "out.silk"
        subprocess.run([*FFMPEG, "-i", str(source), "-f", "s16le", "-ac", "1", "-ar", "24000", str(pcm)],
                       capture_output=True, check=True, timeout=60)
        pilk.encode(str(pcm), str(silk), pcm_rate=24000, tencent=wechat_prefix)
        return silk.read_bytes()


def amr_note(seconds: float, *, seed: int = 7) -> bytes:
    """An AMR-NB file of `seconds` in 12.2 kbit/s frames (20 ms: one TOC byte 0x3C and 31 bytes)
    with random payload: the decoder turns it into loud noise, which is what a test needs."""
    rng = random.Random(seed)
    frames = round(seconds / 0.02)
    return b"#!AMR\n" + b"".join(bytes([0x3C]) + rng.randbytes(31) for _ in range(frames))
