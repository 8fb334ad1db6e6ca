"""Quotes across two members, voice notes (AMR through media/get into the transcriber), pictures
(delivered as `IncomingMessage.images`), and what WeCom cannot send the bot."""
from __future__ import annotations

import os
import shutil

import pytest
from sqlmodel import select

from intents.transcribe import Transcript
from intents.transcribe.audio import decode
from prompts.ui import t
from prompts.wecom import wc
from storage.db import session_scope
from storage.models import Draft, Quote, Visit
from tests.bot.wecom.conftest import WC

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"
QUOTE = "给青松报价50万，九折"
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")


def amr_note(seconds: float = 2.0) -> bytes:
    """An AMR-NB file as WeCom stores voice messages: the magic line, then 12.2 kbit/s frames
    (a frame header and 31 bytes of speech parameters per 20 ms)."""
    return b"#!AMR\n" + b"".join(b"\x3c" + os.urandom(31) for _ in range(int(seconds * 50)))


class RecordingTranscriber:
    name = "recording"

    def __init__(self, text: str) -> None:
        self.text = text
        self.heard: list = []

    def transcribe(self, audio, *, language_hint=None, prompt=None) -> Transcript:
        self.heard.append(audio.samples)
        return Transcript(self.text, language_hint, self.name)


class RecordingLoop:
    """The real loop, with what reached it kept."""

    def __init__(self, loop) -> None:
        self.loop, self.seen = loop, []

    async def handle(self, msg, *, progress=None, before_commit=None):
        self.seen.append(msg)
        return await self.loop.handle(msg, progress=progress, before_commit=before_commit)


async def _request(h):
    rep, manager = h.person(1), h.person(3)
    [card] = await h.say(rep, QUOTE)
    assert "青松制药" in card.text
    await h.press(rep, card, "confirm")
    with session_scope(h.app.db) as session:
        quote = session.exec(select(Quote).order_by(Quote.id.desc())).first()
        assert (str(quote.status), quote.requested_by) == ("pending", 1)
        quote_id = quote.id
    [request] = h.wecom.messages(WC[3])
    assert request.msgtype == "template_card" and f"#{quote_id}" in request.text
    assert request.button("approve") == f"q:{quote_id}:approve"
    return rep, manager, request, quote_id


async def test_manager_approves_on_the_card_and_the_rep_is_told(harness):
    h = harness
    rep, manager, request, quote_id = await _request(h)
    rep_messages = len(h.wecom.messages(WC[1]))
    h.app.clock.advance(minutes=42)
    await h.press(manager, request, "approve")
    assert request.decided == "✅ 同意"  # the card's buttons became the decision
    told = h.wecom.messages(WC[1])[rep_messages:]
    assert len(told) == 1 and f"#{quote_id}" in told[0].text
    with session_scope(h.app.db) as session:
        quote = session.get(Quote, quote_id)
        assert (str(quote.status), quote.approver_id) == ("approved", 3)
        assert (quote.decided_at - quote.requested_at).total_seconds() == 42 * 60


async def test_reject_asks_the_manager_for_a_reason_and_the_rep_gets_it(harness):
    h = harness
    rep, manager, request, quote_id = await _request(h)
    rep_messages = len(h.wecom.messages(WC[1]))
    [asked] = await h.press(manager, request, "reject")
    assert asked.text == t("zh", "ask_reject_reason", quote_id=quote_id)
    await h.say(manager, "折扣太大，最多九五折")
    told = h.wecom.messages(WC[1])[rep_messages:]
    assert len(told) == 1 and "折扣太大" in told[0].text
    with session_scope(h.app.db) as session:
        assert str(session.get(Quote, quote_id).status) == "rejected"


async def test_a_rep_cannot_approve_their_own_quote_by_forging_the_key(harness):
    h = harness
    rep, manager, request, quote_id = await _request(h)
    forged = h.wecom.messages(WC[1])[0]
    forged.content["button_list"][0]["key"] = f"q:{quote_id}:approve"
    await h.press(rep, forged, "approve")
    with session_scope(h.app.db) as session:
        assert str(session.get(Quote, quote_id).status) == "pending"


@needs_ffmpeg
async def test_a_voice_note_is_fetched_and_reaches_the_transcriber(harness):
    h = harness
    transcriber = RecordingTranscriber(NOTE)
    h.app.transcriber = transcriber
    rep = h.person(1)
    note = amr_note()
    assert (await rep.send_voice(note)).status == 200
    await h.settled()
    assert len(h.wecom.calls_of("media/get")) == 1
    [samples] = transcriber.heard
    assert samples == decode(note, "amr").samples  # exactly the fetched note, decoded
    [card] = h.wecom.messages(WC[1])
    assert card.msgtype == "template_card"
    await h.press(rep, card, "confirm")
    with session_scope(h.app.db) as session:
        draft = session.exec(select(Draft).order_by(Draft.id.desc())).first()
        assert (draft.source, draft.transcript) == ("voice", NOTE)
        assert session.exec(select(Visit).order_by(Visit.id.desc())).first().account_id == 1


async def test_a_voice_note_over_the_limit_is_refused_plainly(harness):
    h = harness
    h.app.transcriber = RecordingTranscriber(NOTE)
    h.adapter.config = type(h.adapter.config)(**{**vars(h.adapter.config), "max_voice_bytes": 1024})
    rep = h.person(1)
    await rep.send_voice(amr_note(1.0))
    await h.settled()
    [told] = h.wecom.messages(WC[1])
    assert told.text == wc("zh", "voice_too_large", mb="0", limit="0")
    assert h.app.transcriber.heard == [] and h.count(Draft) == 0


async def test_a_picture_arrives_as_an_image_of_the_message(harness):
    h = harness
    recording = RecordingLoop(h.adapter.loop)
    h.adapter.loop = recording
    rep = h.person(1)
    photo = b"\xff\xd8\xff\xe0" + os.urandom(5000)
    assert (await rep.send_image(photo)).status == 200
    await h.settled()
    [msg] = recording.seen
    assert [(i.data, i.mime, i.name) for i in msg.images] == [(photo, "image/jpeg", "photo.jpg")]
    assert (msg.platform, msg.external_user_id, msg.text, msg.audio) == ("wecom", WC[1], "", None)


async def test_what_the_bot_cannot_read_gets_a_short_answer(harness):
    h = harness
    rep = h.person(1)
    await rep.send_location()
    await h.settled()
    assert [m.text for m in h.wecom.messages(WC[1])] == [wc("zh", "unsupported")]
