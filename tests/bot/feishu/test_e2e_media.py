"""Voice notes and pictures over the wire: message resources downloaded with the tenant token,
the audio reaching the transcriber, pictures reaching the loop as `IncomingMessage.images`."""
from __future__ import annotations

import dataclasses

from sqlmodel import select

from intents.transcribe.audio import decode
from prompts.feishu import fs
from prompts.ui import t
from storage.db import session_scope
from storage.models import Draft, Visit
from tests.bot.feishu.conftest import button
from tests.bot.telegram.test_e2e_voice import NOTE, RecordingTranscriber, needs_ffmpeg, opus_note

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


@needs_ffmpeg
async def test_a_voice_note_reaches_the_transcriber_and_makes_a_card(harness):
    h = harness
    transcriber = RecordingTranscriber(NOTE)
    h.app.transcriber = transcriber
    rep = h.person(1)
    note = opus_note()
    await rep.send_voice(note, duration_ms=2000)
    await h.settled()

    [download] = h.server.calls_to("GET", "/open-apis/im/v1/messages/")
    assert download.status == 200
    [(samples, language, prompt)] = transcriber.heard
    assert samples == decode(note, "ogg").samples  # exactly the downloaded note, decoded
    [received] = h.loop.received
    assert received.audio.format == "ogg" and received.audio.duration_s == 2.0
    [card] = h.server.bot_messages(rep.p2p_chat)
    assert t("zh", "card_heard", transcript=NOTE) in card.text

    await h.press(rep, card, "confirm")
    with session_scope(h.app.db) as session:
        draft = session.exec(select(Draft).order_by(Draft.id.desc())).first()
        assert (draft.source, draft.transcript) == ("voice", NOTE)
        visit = session.exec(select(Visit).order_by(Visit.id.desc())).first()
        assert (visit.rep_id, visit.account_id) == (1, 1)


async def test_a_voice_note_over_the_size_limit_is_refused_without_reading_it(harness):
    h = harness
    h.app.transcriber = RecordingTranscriber(NOTE)
    h.adapter.config = dataclasses.replace(h.adapter.config, max_voice_bytes=1024 * 1024)
    rep = h.person(1)
    await rep.send_voice(b"OggS" + bytes(3 * 1024 * 1024))
    await h.settled()
    assert [m.text for m in h.server.bot_messages(rep.p2p_chat)] == [
        fs("zh", "voice_too_large", mb="3", limit="1")]
    assert not h.app.transcriber.heard and h.count(Draft) == 0


async def test_an_image_reaches_the_loop_as_images(harness):
    h = harness
    rep = h.person(1)
    await rep.send_image(PNG, "image/png")
    await h.settled()
    [received] = h.loop.received
    assert [(i.data, i.mime) for i in received.images] == [(PNG, "image/png")]
    assert received.text == "" and received.audio is None


async def test_a_post_with_text_and_a_picture_carries_both(harness):
    h = harness
    rep = h.person(1)
    key = h.server.store_resource(PNG, "image/png")
    content = {"title": "", "content": [[{"tag": "text", "text": "今天拜访了蓝鲸李总"}],
                                        [{"tag": "img", "image_key": key}]]}
    await rep._message("post", content)
    await h.settled()
    [received] = h.loop.received
    assert received.text == "今天拜访了蓝鲸李总"
    assert [i.data for i in received.images] == [PNG]


async def test_a_picture_that_cannot_be_downloaded_is_answered_and_nothing_is_handled(harness):
    h = harness
    rep = h.person(1)
    await rep._message("image", {"image_key": "img_not_there"})
    await h.settled()
    assert h.loop.received == []
    assert [m.text for m in h.server.bot_messages(rep.p2p_chat)] == [fs("zh", "image_download_failed")]
