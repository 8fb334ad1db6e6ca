"""Voice notes → 16 kHz mono PCM, within the limits.

Telegram sends ogg/opus; WeChat sends SILK v3 (sometimes named .amr) or AMR; other clients mp3, m4a,
wav. SILK goes through `silk.py` (a decoder from PyPI); everything else through ffmpeg, which sniffs
the container itself, so a wrong `format` label still decodes. The byte limit is checked before any
work, the duration limit before decoding when it is known (declared by the platform, SILK frame
count) and always on the decoded audio; ffmpeg is told to stop just past the limit, so a small file
that expands to hours of audio costs nothing.
"""
from __future__ import annotations

import io
import re
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from intents.transcribe import silk
from intents.transcribe.errors import TranscriptionError

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16_000
BYTES_PER_SECOND = SAMPLE_RATE * 2
DEFAULT_MAX_SECONDS = 300
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
FFMPEG_TIMEOUT_S = 120.0
# A frame counts as sound above -45 dBFS; a note needs this much of it to be worth a model's time.
SOUND_DBFS = -45.0
MIN_SOUND_SECONDS = 0.2
_FRAME = SAMPLE_RATE * 30 // 1000
_SAFE_SUFFIX = re.compile(r"^[a-z0-9]{1,5}$")


@dataclass(frozen=True)
class Limits:
    max_seconds: float = DEFAULT_MAX_SECONDS
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_settings(cls, settings) -> Limits:
        return cls(max_seconds=settings.voice_max_seconds, max_bytes=settings.voice_max_bytes)


@dataclass(frozen=True)
class Pcm:
    """Signed 16-bit little-endian samples, mono, 16 kHz."""

    samples: bytes

    @property
    def seconds(self) -> float:
        return len(self.samples) / BYTES_PER_SECOND

    def float32(self) -> np.ndarray:
        """Samples in [-1, 1), the array Whisper models take."""
        import numpy as np

        return np.frombuffer(self.samples, dtype="<i2").astype(np.float32) / 32768.0

    def wav(self) -> bytes:
        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(self.samples)
        return out.getvalue()


def prepare(data: bytes, fmt: str, limits: Limits = Limits(), *,
            declared_seconds: float | None = None) -> Pcm:
    """Check, decode and screen one voice note; raises `TranscriptionError` (too_large, too_long,
    undecodable, silent, unavailable when ffmpeg is missing)."""
    check_envelope(data, limits, declared_seconds=declared_seconds)
    pcm = decode(data, fmt, limits)
    if pcm.seconds > limits.max_seconds + 0.5:
        raise _too_long(limits, pcm.seconds)
    if is_silent(pcm):
        raise TranscriptionError("silent", detail=f"{pcm.seconds:.1f} s below {SOUND_DBFS} dBFS")
    return pcm


def check_envelope(data: bytes, limits: Limits, *, declared_seconds: float | None = None) -> None:
    """What can be refused without decoding: size, the platform's stated duration, emptiness."""
    if len(data) > limits.max_bytes:
        raise TranscriptionError("too_large", size_mb=_mb(len(data)), limit_mb=_mb(limits.max_bytes))
    if declared_seconds is not None and declared_seconds > limits.max_seconds + 0.5:
        raise _too_long(limits, declared_seconds)
    if not data:
        raise TranscriptionError("undecodable", format="empty", detail="no bytes")


def decode(data: bytes, fmt: str, limits: Limits = Limits()) -> Pcm:
    """Decode to PCM, cut just past `limits.max_seconds` (the caller decides what a long note means)."""
    fmt = (fmt or "").lower().lstrip(".")
    if silk.is_silk(data):
        seconds = silk.duration_s(data)
        if seconds > limits.max_seconds + 0.5:
            raise _too_long(limits, seconds)
        return Pcm(silk.decode(data, SAMPLE_RATE))
    if fmt in ("silk", "slk"):
        raise TranscriptionError("undecodable", format=fmt, detail="no SILK v3 header")
    return Pcm(_ffmpeg(data, fmt, max_seconds=limits.max_seconds + 1))


def is_silent(pcm: Pcm) -> bool:
    """Less than MIN_SOUND_SECONDS of 30 ms frames louder than SOUND_DBFS."""
    import numpy as np

    samples = pcm.float32()
    frames = len(samples) // _FRAME
    if frames == 0:
        return True
    blocks = samples[: frames * _FRAME].reshape(frames, _FRAME).astype(np.float64)
    rms = np.sqrt(np.mean(blocks * blocks, axis=1))
    loud = int(np.count_nonzero(rms > 10 ** (SOUND_DBFS / 20)))
    return loud * _FRAME / SAMPLE_RATE < MIN_SOUND_SECONDS


def _ffmpeg(data: bytes, fmt: str, *, max_seconds: float) -> bytes:
    suffix = fmt if _SAFE_SUFFIX.match(fmt) else "bin"
    with tempfile.TemporaryDirectory(prefix="salesbot-voice-") as tmp:
        source = Path(tmp) / f"note.{suffix}"
        source.write_bytes(data)
        command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(source),
                   "-t", f"{max_seconds:.2f}", "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE),
                   "-acodec", "pcm_s16le", "-f", "s16le", "pipe:1"]
        try:
            done = subprocess.run(command, capture_output=True, timeout=FFMPEG_TIMEOUT_S, check=False)
        except FileNotFoundError:
            raise TranscriptionError("unavailable", detail="ffmpeg is not installed") from None
        except subprocess.TimeoutExpired:
            raise TranscriptionError("undecodable", format=fmt or "?",
                                     detail=f"ffmpeg took over {FFMPEG_TIMEOUT_S:.0f} s") from None
    if done.returncode != 0 or not done.stdout:
        stderr = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TranscriptionError("undecodable", format=fmt or "?",
                                 detail=(stderr[-1] if stderr else f"ffmpeg exit {done.returncode}")[:300])
    return done.stdout[: len(done.stdout) // 2 * 2]


def _too_long(limits: Limits, seconds: float) -> TranscriptionError:
    return TranscriptionError("too_long", limit=int(limits.max_seconds), detail=f"{seconds:.1f} s")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".rstrip("0").rstrip(".")
