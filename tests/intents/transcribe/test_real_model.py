"""Voice notes end to end with the real Whisper base (`make voice-model`): espeak-ng speaks ten
English deal updates in ten voices and speeds, clean and with noise at 20 and 10 dB SNR; each ogg
note goes through the real conversation loop (decode, the bot's transcriber settings, the speaker's
language and names as the prompt, the rules engine) to a card, and that card must commit to what
the typed note's card commits to. Two measures: the deal line (account, stage, amount and date, as
the card shows them), and the whole card (every call and argument but free text: a visit's
contacts too).

Chinese voice is covered by the transcript path (test_flow.py: text in, same engine) and the
decoding tests: espeak-ng's Mandarin is not intelligible to Whisper base.
"""
from __future__ import annotations

import asyncio
import logging
import re
from datetime import date

import numpy as np
import pytest
from sqlmodel import select

from bot import warmup
from bot.app import build_app, load_speech_model
from bot.identity import link
from bot.loop import ConversationLoop
from bot.messages import Audio
from intents.transcribe import Pcm, build_transcriber, prepare
from intents.transcribe.wer import word_error_rate
from storage.config import Settings
from storage.db import session_scope
from storage.models import Draft
from tests.bot.conftest import message
from tests.conftest import NOW
from tests.intents.transcribe import synthetic

pytestmark = pytest.mark.slow

# Of the ten notes, how many must give the typed note's deal line, and its whole card. Measured
# with Whisper base int8 on a 2-core x86 machine (docs/voice.md has the figures): clean 9-10 and 7,
# 20 dB 9-10 and 8, 10 dB 5 and 4. CTranslate2's int8 results shift a little with the CPU and the
# thread count, so the floors sit one note under the lowest measured.
FLOORS = {"clean": (8, 6), "20 dB SNR": (8, 7), "10 dB SNR": (4, 3)}
SPEAKER = synthetic.SPEAKER


@pytest.fixture(scope="module")
def whisper(whisper_base):
    """The transcriber the bot builds from WHISPER_MODEL, loaded once for the module."""
    transcriber = build_transcriber(Settings(_env_file=None, whisper_model=str(whisper_base)))
    transcriber.load()
    return transcriber


@pytest.fixture(scope="module")
def recordings(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    folder = tmp_path_factory.mktemp("synthetic")
    return {name: synthetic.voice_notes(folder, snr) for name, snr in synthetic.CONDITIONS.items()}


@pytest.fixture
def bot(crm_sqlite, clock, whisper):
    app = build_app(Settings(_env_file=None, database_url=str(crm_sqlite.url)), clock=clock, db=crm_sqlite,
                    run_migrations=False, transcriber=Heard(whisper))
    with session_scope(crm_sqlite) as session:
        link(SPEAKER, "test", f"u{SPEAKER}", chat_id=f"chat{SPEAKER}", session=session, now=clock())
    return app


class Heard:
    """The bot's transcriber, remembering what it was told and what it heard (a note that gives no
    card has no draft to read its transcript from)."""

    def __init__(self, transcriber) -> None:
        self.inner, self.name, self.calls = transcriber, transcriber.name, []

    def transcribe(self, audio, *, language_hint=None, prompt=None):
        result = self.inner.transcribe(audio, language_hint=language_hint, prompt=prompt)
        self.calls.append((language_hint, prompt, result))
        return result

    @property
    def last(self) -> str | None:
        return self.calls[-1][2].text if self.calls else None


async def card_for(loop: ConversationLoop, **content) -> tuple[str, list[dict]]:
    """Send one note (text or audio), return the reply and the calls of the card it made (none when
    it made none), and cancel that card so the next note starts afresh."""
    with session_scope(loop.app.db) as session:
        before = session.exec(select(Draft.id).order_by(Draft.id.desc())).first() or 0
    reply = (await loop.handle(message(SPEAKER, **content))).replies[-1]
    with session_scope(loop.app.db) as session:
        draft = session.exec(select(Draft).where(Draft.id > before, Draft.status == "pending")).first()
        calls = list(draft.calls) if draft else []
    if draft is not None:
        cancel = next(c.id for c in reply.choices if c.id.endswith(":cancel"))
        await loop.handle(message(SPEAKER, choice=cancel))
    return reply.text, calls


def deal_line(card: str, expected: dict) -> str | None:
    """The card's deal line if it shows the expected account, stage, amount and date."""
    day = date.fromisoformat(expected["date"])
    shown_day = day.strftime("%m-%d") if day.year == NOW.year else day.isoformat()
    for line in card.splitlines():
        if (line.startswith("💼") and expected["account"] in line and re.search(rf"\b{expected['stage']}\b", line)
                and f"${expected['amount']:,}" in line and re.search(rf"\bclosed? {shown_day}\b", line)):
            return line
    return None


async def test_typed_notes_give_the_expected_cards(bot):
    """The yardstick: each note, typed, gives a card with its account, stage, amount and date."""
    loop = ConversationLoop(bot)
    for note in synthetic.NOTES:
        card, _ = await card_for(loop, text=note.text)
        assert deal_line(card, note.expected), f"{note.key}: {card}"


@pytest.mark.parametrize("condition", list(synthetic.CONDITIONS))
async def test_voice_notes_give_the_typed_notes_cards(bot, recordings, condition):
    loop = ConversationLoop(bot)
    deals = cards = 0
    misses, pairs = [], []
    for note in synthetic.NOTES:
        _, typed_calls = await card_for(loop, text=note.text)
        card, calls = await card_for(loop, audio=Audio(recordings[condition][note.key], "ogg"))
        pairs.append((note.said, bot.transcriber.last))
        deal = deal_line(card, note.expected) is not None
        whole = deal and synthetic.card_calls(calls) == synthetic.card_calls(typed_calls)
        deals, cards = deals + deal, cards + whole
        if not whole:
            misses.append(f"{note.key} (deal line {'right' if deal else 'wrong'}): heard {bot.transcriber.last!r}")
    wer = word_error_rate(pairs)
    print(f"\n{condition}: deal line as typed {deals}/10, whole card {cards}/10, WER {wer.rate:.3f}")
    assert deals >= FLOORS[condition][0] and cards >= FLOORS[condition][1], "\n".join(misses)


async def test_the_model_is_told_the_speakers_language_and_names(bot, recordings):
    await card_for(ConversationLoop(bot), audio=Audio(recordings["clean"]["contoso-bank"], "ogg"))
    [(hint, prompt, result)] = bot.transcriber.calls
    assert hint == result.language == "en"
    assert all(name in prompt for name in ("Contoso Bank", "Contoso Insurance", "Ken Myer", "Rachel Green"))


def test_silence_around_a_note_is_dropped_before_the_model(whisper, recordings):
    """Voice-activity detection: eight seconds of room noise on each side of a note are cut, and
    the words come through."""
    note = prepare(recordings["clean"]["acme-won"], "ogg")
    room = np.random.default_rng(3).normal(0, 10 ** (-60 / 20), 8 * 16_000)  # -60 dBFS hiss
    pad = (room * 32767).astype("<i2").tobytes()
    padded = Pcm(pad + note.samples + pad)
    result = whisper.transcribe(padded, language_hint="en")
    assert result.speech_seconds is not None and result.speech_seconds < note.seconds + 2 < padded.seconds - 12
    assert word_error_rate([(synthetic.NOTES[-1].said, result.text)]).rate <= 0.2, result.text


async def test_at_start_the_model_loads_once_in_the_background_and_an_early_note_waits(
        crm_sqlite, clock, whisper_base, recordings, caplog, monkeypatch):
    """The note is sent right after start, while the model is still loading (about a second): it is
    answered with its card, and the model was loaded once, by the warm-up thread. (That a note
    waits for a load in progress is shown deterministically in test_flow.py.)"""
    monkeypatch.setattr(warmup, "_tasks", {"whisper": load_speech_model})
    settings = Settings(_env_file=None, database_url=str(crm_sqlite.url), whisper_model=str(whisper_base))
    with caplog.at_level(logging.INFO, logger="salesbot"):
        app = build_app(settings, clock=clock, db=crm_sqlite, run_migrations=False, warm_up=True)
        with session_scope(crm_sqlite) as session:
            link(SPEAKER, "test", f"u{SPEAKER}", chat_id=f"chat{SPEAKER}", session=session, now=clock())
        card, _ = await card_for(ConversationLoop(app), audio=Audio(recordings["clean"]["initech-won"], "ogg"))
        await asyncio.to_thread(warmup.wait, 60)
    assert deal_line(card, synthetic.NOTES[2].expected), card
    loads = [r.threadName for r in caplog.records if r.getMessage() == "whisper model loaded"]
    assert loads == ["warm-up"] and app.transcriber.loaded
