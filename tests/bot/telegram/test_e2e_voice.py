"""Voice notes over the wire: getFile and download, the bytes reaching the transcriber interface,
the size limit, and the plain answer while voice is off."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlmodel import select

from intents.transcribe import Transcript
from intents.transcribe.audio import decode
from prompts.telegram import tg
from prompts.ui import t
from storage.db import session_scope
from storage.models import Draft, Visit
from tests.bot.telegram.conftest import TG, button

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


class RecordingTranscriber:
    """A transcriber (the `intents.transcribe.Transcriber` protocol) that records what reaches it."""

    name = "recording"

    def __init__(self, text: str) -> None:
        self.text = text
        self.heard: list[tuple[bytes, str | None, str | None]] = []

    def transcribe(self, audio, *, language_hint=None, prompt=None) -> Transcript:
        self.heard.append((audio.samples, language_hint, prompt))
        return Transcript(self.text, language_hint, self.name)


def opus_note(seconds: float = 2.0) -> bytes:
    """A real Telegram-style voice note: a tone in ogg/opus."""
    done = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                           f"sine=frequency=440:duration={seconds}", "-c:a", "libopus", "-b:a", "24k",
                           "-ac", "1", "-f", "ogg", "pipe:1"], capture_output=True, check=True, timeout=60)
    return done.stdout


@needs_ffmpeg
async def test_voice_note_bytes_reach_the_transcriber_and_make_a_card(harness):
    h = harness
    transcriber = RecordingTranscriber(NOTE)
    h.app.transcriber = transcriber
    rep = h.person(1)
    note = opus_note()
    rep.send_voice(note, duration=2)
    await h.settled()

    assert [c.params["path"] for c in h.api.calls_of("download")] == [
        h.api.files[c.params["file_id"]].path for c in h.api.calls_of("getFile")]
    [(samples, language, prompt)] = transcriber.heard
    assert samples == decode(note, "ogg").samples  # exactly the downloaded note, decoded
    assert language == "zh" and "蓝鲸数据" in (prompt or "")
    assert any(c.params.get("action") == "typing" and c.params["chat_id"] == str(TG[1])
               for c in h.api.calls_of("sendChatAction"))
    [card] = h.api.bot_messages(TG[1])
    assert t("zh", "card_heard", transcript=NOTE) in card["text"]

    await h.press(rep, card, button(card, "confirm"))
    with session_scope(h.app.db) as session:
        draft = session.exec(select(Draft).order_by(Draft.id.desc())).first()
        assert (draft.source, draft.transcript) == ("voice", NOTE)
        visit = session.exec(select(Visit).order_by(Visit.id.desc())).first()
        assert (visit.rep_id, visit.account_id) == (1, 1)


async def test_voice_is_answered_plainly_while_no_transcriber_is_configured(harness):
    h = harness
    h.app.transcriber = None
    rep = h.person(1)
    rep.send_voice(b"OggS" + bytes(2000), duration=3)
    await h.settled()
    assert [m["text"] for m in h.api.bot_messages(TG[1])] == [t("zh", "voice_disabled")]
    assert h.count(Draft) == 0


async def test_a_voice_note_over_the_size_limit_is_not_downloaded(harness):
    h = harness
    h.app.transcriber = RecordingTranscriber(NOTE)
    rep = h.person(1)
    rep.send_voice(b"OggS" + bytes(100), duration=600, declared_size=25 * 1024 * 1024)
    await h.settled()
    assert [m["text"] for m in h.api.bot_messages(TG[1])] == [tg("zh", "voice_too_large", mb=25.0, limit=20)]
    assert not h.api.calls_of("getFile") and not h.app.transcriber.heard
