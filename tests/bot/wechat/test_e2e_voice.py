"""Voice messages over the wire: a SILK file over 20 KB (a UUID file box on the gateway) streamed
whole to the transcriber interface, the card it makes, the size limit, and the plain answer while
voice is off."""
from __future__ import annotations

import math
import random
import struct
import threading

import pytest
from sqlmodel import select

from intents.transcribe import Transcript
from intents.transcribe.audio import decode
from prompts.ui import t
from storage.db import session_scope
from storage.models import Draft, Visit
from tests.bot.wechat.conftest import Harness, make_adapter, started

pilk = pytest.importorskip("pilk", reason="SILK voice needs the pilk package (the voice extra)")

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


class RecordingTranscriber:
    """A transcriber (the `intents.transcribe.Transcriber` protocol) that records what reaches it."""

    name = "recording"

    def __init__(self, text: str) -> None:
        self.text = text
        self.heard: list[tuple[bytes, str | None]] = []

    def transcribe(self, audio, *, language_hint=None, prompt=None) -> Transcript:
        self.heard.append((audio.samples, language_hint))
        return Transcript(self.text, language_hint, self.name)


def silk_note(tmp_path, seconds: float = 12.0, rate: int = 24000) -> bytes:
    """A WeChat-style voice message (0x02 + "#!SILK_V3"): a warbling tone with noise, encoded by pilk."""
    rng = random.Random(7)
    samples = (int(6000 * math.sin(2 * math.pi * (300 + i / 200) * i / rate)) + rng.randint(-2000, 2000)
               for i in range(int(rate * seconds)))
    pcm, silk = tmp_path / "note.pcm", tmp_path / "note.silk"
    pcm.write_bytes(b"".join(struct.pack("<h", s) for s in samples))
    pilk.encode(str(pcm), str(silk), pcm_rate=rate, tencent=True)
    return silk.read_bytes()


async def test_voice_over_20kb_reaches_the_transcriber_whole_and_makes_a_card(harness, tmp_path):
    h = harness
    transcriber = RecordingTranscriber(NOTE)
    h.app.transcriber = transcriber
    rep = await h.person(1)
    note = silk_note(tmp_path)
    assert len(note) > 20 * 1024
    visits = h.count(Visit)

    await h.gw.send_file(rep, "message-voice.sil", note)
    [card] = await h.replies(rep, 0, 1)
    [(samples, language)] = transcriber.heard
    assert samples == decode(note, "silk").samples  # every byte of the file, decoded
    assert language == "zh"
    assert t("zh", "card_heard", transcript=NOTE) in card
    assert card.endswith("回复 1 确认 / 2 修改 / 3 取消")

    await h.say(rep, "1")
    assert h.count(Visit) == visits + 1
    with session_scope(h.app.db) as session:
        draft = session.exec(select(Draft).order_by(Draft.id.desc())).first()
        assert (draft.source, draft.transcript, str(draft.status)) == ("voice", NOTE, "confirmed")


async def test_voice_is_answered_plainly_while_no_transcriber_is_configured(harness, tmp_path):
    h = harness
    h.app.transcriber = None
    rep = await h.person(1)
    await h.gw.send_file(rep, "message-voice.sil", silk_note(tmp_path, seconds=2))
    assert await h.replies(rep, 0, 1) == [t("zh", "voice_disabled")]
    assert h.count(Draft) == 0


async def test_a_voice_file_over_the_limit_is_refused_before_transcription(gateway, wx_app, tmp_path):
    transcriber = RecordingTranscriber(NOTE)
    wx_app.transcriber = transcriber
    adapter = await started(make_adapter(wx_app, gateway, config_fields={"max_voice_bytes": 10 * 1024}))
    try:
        h = Harness(gateway, adapter, wx_app)
        rep = await h.person(1)
        await gateway.send_file(rep, "message-voice.sil", silk_note(tmp_path))
        [answer] = await h.replies(rep, 0, 1)
        assert answer.startswith("语音太大") and "上限 0.01 MB" in answer
        assert transcriber.heard == []
    finally:
        await adapter.stop()


class SlowTranscriber(RecordingTranscriber):
    """Holds the transcription (in its worker thread) until the test lets it finish."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.finish = threading.Event()

    def transcribe(self, audio, *, language_hint=None, prompt=None) -> Transcript:
        assert self.finish.wait(20)
        return super().transcribe(audio, language_hint=language_hint, prompt=prompt)


async def test_a_slow_transcription_gets_a_working_notice_first(gateway, wx_app, tmp_path):
    transcriber = SlowTranscriber(NOTE)
    wx_app.transcriber = transcriber
    adapter = await started(make_adapter(wx_app, gateway, working_notice_s=0.2))
    try:
        h = Harness(gateway, adapter, wx_app)
        rep = await h.person(1)
        await gateway.send_file(rep, "message-voice.sil", silk_note(tmp_path, seconds=2))
        assert await h.replies(rep, 0, 1) == [t("zh", "working")]
        transcriber.finish.set()
        [card] = await h.replies(rep, 1, 1)
        assert t("zh", "card_heard", transcript=NOTE) in card
    finally:
        transcriber.finish.set()
        await adapter.stop()
