"""The synthetic English voice-note set: ten deal updates a rep might speak, each said by a
different espeak-ng voice at its own speed, clean and with noise mixed in at a given SNR.

Every note names an account, a stage, an amount and a date, as the typed note would; the set is
spoken by user 4 of the eval fixture (Alice Chen, English, owner of accounts 12-20) with the
fixture's "now" (Wednesday 2026-11-25). `expected` is what the card must show.

Noise is made by ffmpeg (`anoisesrc`: white, pink or brown, seeded), scaled so that speech power
over noise power is exactly `snr_db`, added to the speech, and the mix is encoded as ogg/opus, as
a Telegram voice note is.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.intents.transcribe import voices

SPEAKER = 4  # Alice Chen in the eval fixture
NOISES = ("pink", "white", "brown")
_DOLLARS = re.compile(r"\$(\d+(?:,\d{3})*(?:\.\d+)?)")


@dataclass(frozen=True)
class Note:
    key: str
    text: str  # the note as the rep would type it
    voice: str  # espeak-ng voice (+variant)
    speed: int  # words per minute
    expected: dict  # account, stage, amount (USD), date (the card's date: close or closed)

    @property
    def said(self) -> str:
        """The words as a rep says them: espeak-ng reads "$60,000" as "dollar sixty thousand"."""
        return _DOLLARS.sub(r"\1 dollars", self.text)


NOTES = (
    Note("acme-review", "Visited Acme today, met John Carter. Fleet analytics moved to contract review, "
         "amount $275,000, close by December 18.", "en-us", 150,
         {"account": "Acme Corporation", "stage": "negotiation", "amount": 275000, "date": "2026-12-18"}),
    Note("globex-pilot", "Call with Hank at Globex, they want a pilot, about $60,000, decision by the end "
         "of the month.", "en-gb", 165,
         {"account": "Globex Industries", "stage": "evaluation", "amount": 60000, "date": "2026-11-30"}),
    Note("initech-won", "Initech signed the TPS reporting suite at $95,000 today.", "en-us+f3", 140,
         {"account": "Initech", "stage": "won", "amount": 95000, "date": "2026-11-25"}),
    Note("umbrella-eval", "Umbrella Health is evaluating our platform, budget $120,000, expected close "
         "January 15.", "en-gb-x-rp", 175,
         {"account": "Umbrella Health", "stage": "evaluation", "amount": 120000, "date": "2027-01-15"}),
    Note("northwind-lost", "Lost the Northwind deal to a competitor, $130,000, they told us today.",
         "en-gb-scotland", 155,
         {"account": "Northwind Traders", "stage": "lost", "amount": 130000, "date": "2026-11-25"}),
    Note("contoso-bank", "Met Ken at Contoso Bank, moving to negotiation, the deal is $200,000, expected to close "
         "next Friday.", "en-us+m3", 185,
         {"account": "Contoso Bank", "stage": "negotiation", "amount": 200000, "date": "2026-12-04"}),
    Note("fabrikam-lead", "New lead at Fabrikam, $45,000, close by the end of January.", "en-029", 145,
         {"account": "Fabrikam Manufacturing", "stage": "prospect", "amount": 45000, "date": "2027-01-31"}),
    Note("tailspin-negotiation", "Tailspin Airlines is in negotiation, amount $300,000, close in two weeks.",
         "en-gb-x-gbclan", 160,
         {"account": "Tailspin Airlines", "stage": "negotiation", "amount": 300000, "date": "2026-12-09"}),
    Note("contoso-insurance", "Demo for Rachel at Contoso Insurance went well, pilot worth $80,000, close by "
         "the end of December.", "en-us+f2", 170,
         {"account": "Contoso Insurance", "stage": "evaluation", "amount": 80000, "date": "2026-12-31"}),
    Note("acme-won", "Acme fleet analytics is won at $260,000, signed today.", "en-gb-x-gbcwmd+m1", 130,
         {"account": "Acme Corporation", "stage": "won", "amount": 260000, "date": "2026-11-25"}),
)


def speak(note: Note, folder: Path) -> Path:
    """The note as espeak-ng says it: a wav."""
    path = folder / f"{note.key}.wav"
    subprocess.run(["espeak-ng", "-v", note.voice, "-s", str(note.speed), "-w", str(path), note.said],
                   check=True, capture_output=True, timeout=60)
    return path


def with_noise(speech: Path, snr_db: float | None, *, seed: int = 0) -> bytes:
    """`speech` as an ogg/opus voice note, with ffmpeg noise at `snr_db` (None: clean)."""
    if snr_db is None:
        return voices.encode(speech, "ogg")
    import numpy as np

    clean = _pcm(speech)
    color = NOISES[seed % len(NOISES)]
    noise = _pcm_from(["-f", "lavfi", "-i", f"anoisesrc=color={color}:seed={seed + 1}:amplitude=0.5:"
                                             f"sample_rate=16000:duration={len(clean) / 16000 + 1:.2f}"])[: len(clean)]
    gain = np.sqrt(np.mean(clean ** 2) / (np.mean(noise ** 2) * 10 ** (snr_db / 10)))
    mixed = clean + gain * noise
    peak = float(np.max(np.abs(mixed)))
    if peak > 0.99:  # keep the mix inside full scale without changing its SNR
        mixed *= 0.99 / peak
    wav = speech.with_name(f"{speech.stem}-snr{snr_db:g}.wav")
    _write_wav(wav, mixed)
    return voices.encode(wav, "ogg")


def snr_db(clean: Path, noisy_note: bytes) -> float:
    """The SNR of a mix as decoded back from its ogg, for checking `with_noise` (opus is lossy:
    within about a dB)."""
    import numpy as np

    from intents.transcribe import prepare

    speech = _pcm(clean)
    mixed = prepare(noisy_note, "ogg").float32().astype(np.float64)
    n = min(len(speech), len(mixed))
    scale = float(np.dot(mixed[:n], speech[:n]) / np.dot(speech[:n], speech[:n]))  # the peak guard's gain
    noise = mixed[:n] - scale * speech[:n]
    return float(10 * np.log10(np.mean((scale * speech[:n]) ** 2) / np.mean(noise ** 2)))


def _pcm(source: Path):
    return _pcm_from(["-i", str(source)])


def _pcm_from(inputs: list[str]):
    import numpy as np

    done = subprocess.run([*voices.FFMPEG, *inputs, "-f", "s16le", "-ac", "1", "-ar", "16000", "pipe:1"],
                          capture_output=True, check=True, timeout=60)
    return np.frombuffer(done.stdout, dtype="<i2").astype(np.float64) / 32768.0


def _write_wav(path: Path, samples) -> None:
    import wave

    import numpy as np

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


# Free-text arguments: CONTRACT.md scores them only for being there, and a transcript words them
# its own way ("Visit Acme today" for "Visited Acme today"), so cards are compared without them.
FREE_TEXT = frozenset({"summary", "next_step", "text", "note", "comment", "question", "lost_reason",
                       "opportunity", "product", "competitor"})
CONDITIONS = {"clean": None, "20 dB SNR": 20.0, "10 dB SNR": 10.0}


def card_calls(calls: list[dict]) -> list[dict]:
    """What a card commits to: the calls with their free-text arguments left out."""
    return [{"name": call["name"], "args": {k: v for k, v in call["args"].items() if k not in FREE_TEXT}}
            for call in calls]


def voice_notes(folder: Path, snr: float | None) -> dict[str, bytes]:
    """Every note of the set as an ogg voice note at `snr` (None: clean); each note gets its own
    noise colour and seed."""
    return {note.key: with_noise(speak(note, folder), snr, seed=i) for i, note in enumerate(NOTES)}


def deal_fields(calls: list[dict]) -> dict | None:
    """What the card's deal line shows: the deal's account, stage, amount, currency and close date."""
    deal = next((call["args"] for call in calls if call["name"] == "update_opportunity"), None)
    if deal is None:
        return None
    return {k: deal.get(k) for k in ("account", "stage", "amount", "currency", "expected_close")}
