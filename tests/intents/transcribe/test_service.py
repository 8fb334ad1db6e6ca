"""transcribe_for_user and transcribe_note: who is speaking, what the model is told, what the
user hears back when a note cannot become text."""
from __future__ import annotations

import pytest

from bot.messages import Audio
from intents.transcribe import (
    Limits, TranscriptionError, transcribe_for_user, transcribe_note, vocabulary_prompt, whisper_language,
)
from intents.transcribe.service import PROMPT_TOKENS, prompt_tokens
from storage.names import Directory, Entry
from tests.bot.conftest import message
from tests.fakes.transcribers import BrokenTranscriber, FixedTranscriber
from tests.intents.transcribe import voices

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def directory() -> Directory:
    accounts = [Entry("account", 1, "蓝鲸数据", ("蓝鲸", "Bluewhale Data"), owner_id=1),
                Entry("account", 2, "蓝海数据", owner_id=2),
                Entry("account", 3, "Acme Corporation", owner_id=4), Entry("account", 4, "青松制药", owner_id=1)]
    contacts = [Entry("contact", 1, "李明", ("李总", "Li Ming"), account_id=1), Entry("contact", 2, "黄磊", account_id=2),
                Entry("contact", 3, "John Carter", account_id=3)]
    return Directory(accounts=accounts, contacts=contacts)


def test_prompt_lists_names_with_the_speakers_own_nearest_the_audio():
    prompt = vocabulary_prompt(directory(), 1, "zh")
    head, _, names = prompt.partition("客户与联系人：")
    assert head.startswith("销售拜访记录：") and "谈判" in head and prompt.endswith("。")
    names = names.removesuffix("。").split("、")
    # lowest priority first: others' contacts, others' accounts, own contacts, own accounts
    assert names == ["John Carter", "黄磊", "Acme Corporation", "蓝海数据", "李明", "青松制药", "蓝鲸数据"]


def test_prompt_is_bounded_and_keeps_the_speakers_accounts():
    many = Directory(accounts=[Entry("account", i, f"客户{i:03d}号有限公司", owner_id=1 if i < 3 else 2)
                               for i in range(200)])
    prompt = vocabulary_prompt(many, 1, "zh")
    assert prompt_tokens(prompt) <= PROMPT_TOKENS
    assert prompt.endswith("客户000号有限公司。") and "客户001号有限公司" in prompt and "客户199号" not in prompt


def test_the_budget_is_in_tokens_so_english_names_fit_more():
    """A Latin name costs fewer Whisper tokens a byte than a Chinese one: an English speaker's
    prompt holds more of their names than a byte budget would allow."""
    names = [f"Customer {i:03d} Holdings" for i in range(60)]
    many = Directory(accounts=[Entry("account", i, name, owner_id=4) for i, name in enumerate(names)])
    prompt = vocabulary_prompt(many, 4, "en")
    kept = [name for name in names if name in prompt]
    assert prompt_tokens(prompt) <= PROMPT_TOKENS and len(prompt.encode()) > 400
    assert kept == names[: len(kept)] and len(kept) >= 15


def test_token_estimate_errs_high_on_the_real_tokenizer(whisper_base):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(whisper_base / "tokenizer.json"))
    for text in ("蓝鲸数据、青松制药、天衡能源、北辰汽车、李明、陈静", "Acme Corporation, Hank Scorpio, Nancy Davolio",
                 vocabulary_prompt(directory(), 1, "zh"), vocabulary_prompt(directory(), 4, "en")):
        assert len(tokenizer.encode(text).ids) <= prompt_tokens(text), text


def test_prompt_in_english_and_without_names():
    prompt = vocabulary_prompt(directory(), 4, "en")
    assert prompt.startswith("Sales notes: visits") and prompt.endswith(
        "Accounts and contacts: Li Ming, Bluewhale Data, John Carter, Acme Corporation.")
    assert vocabulary_prompt(Directory(), 1, "zh") is None
    # no speaker (the CLI without --as): accounts nearest the audio, then contacts
    assert vocabulary_prompt(directory(), None, "zh").endswith("李明、青松制药、Acme Corporation、蓝海数据、蓝鲸数据。")


@pytest.mark.parametrize("setting, code", [("zh", "zh"), ("zh-CN", "zh"), ("en_US", "en"), ("EN", "en"),
                                           ("", None), (None, None), ("chinese", None)])
def test_whisper_language_from_the_users_setting(setting, code):
    assert whisper_language(setting) == code


def test_transcribe_note_cleans_the_text(notes):
    text = transcribe_note(FixedTranscriber(f"  {NOTE}\n\n 下周三跟进  "), notes["ogg"], "ogg")
    assert text == f"{NOTE} 下周三跟进"


def test_an_empty_transcript_is_no_speech(notes):
    with pytest.raises(TranscriptionError) as caught:
        transcribe_note(FixedTranscriber("   "), notes["ogg"], "ogg")
    assert caught.value.code == "no_speech"
    assert caught.value.user_message("en").startswith("I couldn't make out")


def test_a_backend_outage_is_unavailable_and_logged(notes, caplog):
    with pytest.raises(TranscriptionError) as caught:
        transcribe_note(BrokenTranscriber(), notes["ogg"], "ogg")
    assert caught.value.code == "unavailable" and "ConnectionResetError" in caught.value.detail
    assert "transcriber failed" in caplog.text


def test_a_refused_note_never_reaches_the_model(notes):
    fixed = FixedTranscriber(NOTE)
    for data, limits in ((notes["ogg"], Limits(max_bytes=1024)), (voices.tone(1.0, volume=0.0), Limits()),
                         (b"garbage" * 100, Limits())):
        with pytest.raises(TranscriptionError):
            transcribe_note(fixed, data, "ogg", limits=limits)
    assert fixed.calls == []


def test_plain_string_transcribers_still_work(notes):
    class Plain:
        name = "plain"

        def transcribe(self, audio, *, language_hint=None, prompt=None):
            return NOTE

    assert transcribe_note(Plain(), notes["ogg"], "ogg") == NOTE


# --- transcribe_for_user (the loop's call) ----------------------------------------------------


def voice(user_id, data: bytes, fmt: str = "ogg", duration: float | None = None, **kwargs):
    return message(user_id, audio=Audio(data, fmt, duration), **kwargs)


async def test_speaker_language_and_names_reach_the_model(app, notes):
    fixed = FixedTranscriber(NOTE)
    app.transcriber = fixed
    assert await transcribe_for_user(app, voice(1, notes["silk"], "silk")) == NOTE
    [(seconds, language, prompt)] = fixed.calls
    assert seconds > 2 and language == "zh"
    assert prompt.endswith("蓝鲸数据。") and "李明" in prompt  # 王磊 owns 蓝鲸数据; 李明 is its CTO

    assert await transcribe_for_user(app, voice(4, notes["ogg"])) == NOTE
    assert fixed.calls[-1][1] == "en" and "Acme Corporation" in fixed.calls[-1][2]


async def test_nothing_is_transcribed_for_unlinked_senders_or_group_chatter(app, notes):
    fixed = FixedTranscriber(NOTE)
    app.transcriber = fixed
    assert await transcribe_for_user(app, voice("stranger", notes["ogg"])) is None
    assert await transcribe_for_user(app, voice(1, notes["ogg"], is_group=True)) is None
    assert await transcribe_for_user(app, voice(1, notes["ogg"], is_group=True, mentions_bot=True)) == NOTE
    assert await transcribe_for_user(app, message(1, "text only")) is None
    app.transcriber = None
    assert await transcribe_for_user(app, voice(1, notes["ogg"])) is None
    assert len(fixed.calls) == 1


async def test_limits_come_from_settings(app, notes):
    app.transcriber = FixedTranscriber(NOTE)
    app.settings = app.settings.model_copy(update={"voice_max_seconds": 2, "voice_max_bytes": 4096})
    with pytest.raises(TranscriptionError) as caught:
        await transcribe_for_user(app, voice(1, b"x" * 5000))
    assert caught.value.code == "too_large"
    with pytest.raises(TranscriptionError) as caught:
        await transcribe_for_user(app, voice(1, b"x" * 100, duration=30))
    assert caught.value.code == "too_long" and caught.value.params == {"limit": 2}
    assert app.transcriber.calls == []
