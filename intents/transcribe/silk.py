"""WeChat's SILK v3 voice notes, decoded with `pilk` (PyPI; ffmpeg has no SILK decoder).

A file is "#!SILK_V3" (WeChat puts one 0x02 byte before it), then frames of 20 ms, each a
little-endian int16 length and that many bytes, optionally ended by a length of -1. Counting the
frames gives the duration without decoding, so an over-long note is refused for free.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from intents.transcribe.errors import TranscriptionError

HEADER = b"#!SILK_V3"
FRAME_MS = 20


def is_silk(data: bytes) -> bool:
    return data.startswith(HEADER) or data[1:1 + len(HEADER)] == HEADER


def duration_s(data: bytes) -> float:
    """Seconds of audio the frames hold (a truncated last frame is not counted)."""
    pos = (0 if data.startswith(HEADER) else 1) + len(HEADER)
    frames = 0
    while pos + 2 <= len(data):
        size = int.from_bytes(data[pos:pos + 2], "little", signed=True)
        if size <= 0 or pos + 2 + size > len(data):
            break
        frames += 1
        pos += 2 + size
    return frames * FRAME_MS / 1000


def decode(data: bytes, sample_rate: int) -> bytes:
    """16-bit mono PCM at `sample_rate`; raises TranscriptionError (undecodable, or unavailable
    when pilk is not installed)."""
    try:
        import pilk
    except ImportError:
        raise TranscriptionError("unavailable", detail="SILK needs the pilk package: pip install 'salesbot[voice]'") from None
    if duration_s(data) == 0:
        raise TranscriptionError("undecodable", format="silk", detail="no complete SILK frame")
    with tempfile.TemporaryDirectory(prefix="salesbot-silk-") as tmp:
        source, target = Path(tmp) / "note.silk", Path(tmp) / "note.pcm"
        source.write_bytes(data)
        try:
            pilk.decode(str(source), str(target), pcm_rate=sample_rate)
        except Exception as exc:  # pilk.error, or OSError from the C decoder
            raise TranscriptionError("undecodable", format="silk", detail=str(exc)[:300]) from None
        pcm = target.read_bytes() if target.exists() else b""
    if not pcm:
        raise TranscriptionError("undecodable", format="silk", detail="decoder produced no audio")
    return pcm
