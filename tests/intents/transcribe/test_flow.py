"""A voice note ends where a text note ends: the transcript reaches the engine, the card shows what
was heard above what will be written, and the confirmed visit keeps the transcript (source voice).
Real conversation loop and database; a fixed-output transcriber stands in for the model."""
from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.messages import Audio
from bot import warmup
from bot.app import build_app, load_speech_model
from bot.loop import ConversationLoop
from prompts.ui import t
from prompts.voice import voice_message
from storage.db import session_scope
from storage.models import Draft, Visit
from tests.bot.conftest import message
from tests.fakes.transcribers import BrokenTranscriber, FixedTranscriber, SlowLoadingTranscriber
from tests.intents.transcribe import voices

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"
VISIT = [{"name": "log_visit", "args": {"account": "蓝鲸数据", "contacts": ["李明"], "occurred_on": "2026-11-25",
                                        "channel": "onsite", "summary": "聊了扩容方案"}}]
EN_NOTE = "Visited Acme today, met John about the rollout"
EN_VISIT = [{"name": "log_visit", "args": {"account": "Acme Corporation", "contacts": ["John Carter"],
                                           "summary": "the rollout"}}]


def voice(user_id, data: bytes, fmt: str = "ogg", duration: float | None = None, **kwargs):
    return message(user_id, audio=Audio(data, fmt, duration), **kwargs)


def choice(reply, action: str) -> str:
    return next(c.id for c in reply.choices if c.id.endswith(":" + action))


def latest(db, model):
    with session_scope(db) as session:
        row = session.exec(select(model).order_by(model.id.desc())).first()
        session.expunge_all()
        return row


async def test_voice_note_becomes_a_card_and_a_visit_with_its_transcript(app, loop, engine_script, notes):
    app.transcriber = FixedTranscriber(NOTE)
    engine_script.add(NOTE, VISIT)
    progress = []

    async def typing() -> None:
        progress.append("typing")

    out = await loop.handle(voice(1, notes["ogg"], duration=3), progress=typing)
    assert progress == ["typing"]
    assert [text for text, _ in engine_script.seen] == [NOTE]  # the transcript is the message
    card = out.replies[-1]
    lines = card.text.split("\n")
    assert lines[0] == t("zh", "card_title", n=1, plural="")
    assert lines[1] == t("zh", "card_heard", transcript=NOTE) == f"🎙 听到：{NOTE}"
    assert "蓝鲸数据" in "\n".join(lines[2:])  # what will be written, below what was heard
    draft = latest(app.db, Draft)
    assert (draft.source, draft.transcript, draft.source_text) == ("voice", NOTE, NOTE)

    done = await loop.handle(message(1, choice=choice(card, "confirm")))
    assert done.replies[0].text.startswith(t("zh", "confirmed"))
    visit = latest(app.db, Visit)
    assert (visit.source, visit.transcript, visit.source_text) == ("voice", NOTE, NOTE)
    assert (visit.rep_id, visit.account_id, visit.summary) == (1, 1, "聊了扩容方案")


async def test_english_speaker_gets_an_english_card(app, loop, engine_script, notes):
    app.transcriber = FixedTranscriber(EN_NOTE)
    engine_script.add(EN_NOTE, EN_VISIT)
    card = (await loop.handle(voice(4, notes["m4a"], "m4a"))).replies[-1]
    assert card.text.split("\n")[1] == f"🎙 Heard: {EN_NOTE}"
    assert app.transcriber.calls[0][1] == "en"
    await loop.handle(message(4, choice=choice(card, "confirm")))
    visit = latest(app.db, Visit)
    assert (visit.source, visit.transcript, visit.account_id) == ("voice", EN_NOTE, 12)


async def test_wechat_silk_note_takes_the_same_path(app, loop, engine_script, notes):
    app.transcriber = FixedTranscriber(NOTE)
    engine_script.add(NOTE, VISIT)
    out = await loop.handle(voice(1, notes["silk"], "amr"))  # WeChat labels SILK as amr
    assert f"🎙 听到：{NOTE}" in out.replies[-1].text


async def test_a_typed_note_after_a_voice_note_is_stored_as_text(app, loop, engine_script, notes):
    app.transcriber = FixedTranscriber(NOTE)
    engine_script.add(NOTE, VISIT)
    engine_script.add("拜访蓝鲸", VISIT)
    await loop.handle(voice(1, notes["ogg"]))
    await loop.handle(message(1, "3"))  # cancel the voice card
    card = (await loop.handle(message(1, "拜访蓝鲸"))).replies[-1]
    assert "🎙" not in card.text
    await loop.handle(message(1, choice=choice(card, "confirm")))
    visit = latest(app.db, Visit)
    assert (visit.source, visit.transcript, visit.source_text) == ("text", None, "拜访蓝鲸")


async def test_refused_notes_get_a_clear_reply_in_the_speakers_language_and_no_draft(app, loop, engine_script):
    app.transcriber = FixedTranscriber(NOTE)
    app.settings = app.settings.model_copy(update={"voice_max_seconds": 2})
    drafts_before = latest(app.db, Draft)
    cases = [
        (voice(1, voices.tone(1.5, volume=0.0)), voice_message("zh", "silent")),
        (voice(1, voices.tone(3.0)), voice_message("zh", "too_long", limit=2)),
        (voice(1, b"\x00garbage" * 300, "ogg"), voice_message("zh", "undecodable", format="ogg")),
        (voice(4, voices.tone(9.0), duration=9), voice_message("en", "too_long", limit=2)),
    ]
    for msg, expected in cases:
        out = await loop.handle(msg)
        assert [r.text for r in out.replies] == [expected]
    assert app.transcriber.calls == [] and engine_script.seen == []
    assert latest(app.db, Draft) == drafts_before


async def test_a_backend_outage_and_an_empty_transcript_are_answered(app, loop, engine_script, notes):
    app.transcriber = BrokenTranscriber()
    out = await loop.handle(voice(1, notes["ogg"]))
    assert [r.text for r in out.replies] == [voice_message("zh", "unavailable")]
    app.transcriber = FixedTranscriber("  ")
    out = await loop.handle(voice(4, notes["ogg"]))
    assert [r.text for r in out.replies] == [voice_message("en", "no_speech")]
    assert engine_script.seen == []


async def test_voice_off_is_answered_plainly(app, loop, engine_script, notes):
    app.transcriber = None
    out = await loop.handle(voice(1, notes["ogg"]))
    assert [r.text for r in out.replies] == [t("zh", "voice_disabled")]
    assert engine_script.seen == []


async def test_a_voice_note_sent_while_the_model_loads_at_start_waits_for_it(app, engine_script, notes,
                                                                            monkeypatch):
    """The bot starts loading the model in the background; a note that comes before the load is
    done waits for that same load (no second load, no error), then becomes a card; text is answered
    meanwhile."""
    monkeypatch.setattr(warmup, "_tasks", {"whisper": load_speech_model})
    slow = SlowLoadingTranscriber(NOTE)
    bot = build_app(app.settings, clock=app.clock, engine=engine_script, db=app.db, run_migrations=False,
                    transcriber=slow, warm_up=True)
    assert await asyncio.to_thread(slow.loading.wait, 10)  # the background load has begun
    engine_script.add(NOTE, VISIT)
    loop = ConversationLoop(bot)
    note = asyncio.create_task(loop.handle(voice(1, notes["ogg"], duration=3)))
    await asyncio.sleep(0.3)
    assert not note.done() and not slow.loaded
    assert (await loop.handle(message(1, "你好"))).replies  # text does not wait for the model
    slow.finish_loading()
    card = (await asyncio.wait_for(note, timeout=10)).replies[-1]
    assert f"🎙 听到：{NOTE}" in card.text and "蓝鲸数据" in card.text
    await asyncio.to_thread(warmup.wait, 5)
    assert slow.loaded and slow.loads == 1


def test_one_shot_commands_do_not_warm_up(app):
    slow = SlowLoadingTranscriber(NOTE)
    build_app(app.settings, clock=app.clock, db=app.db, run_migrations=False, transcriber=slow)
    assert not slow.loading.wait(0.2) and slow.loads == 0
