"""The three backends on their real code paths: tiny random Whisper models loaded by faster-whisper
and openai-whisper, and an OpenAI-compatible endpoint served on 127.0.0.1."""
from __future__ import annotations

import threading
import time
import wave
from io import BytesIO

import pytest

from intents.transcribe import Pcm, Transcriber, Transcript, TranscriptionError, prepare
from intents.transcribe.backends.api import OpenAICompatibleTranscriber
from intents.transcribe.backends.faster import FasterWhisperTranscriber
from intents.transcribe.backends.local import LazyModel
from intents.transcribe.backends.pytorch import OpenAIWhisperTranscriber
from tests.fakes.transcription_server import FakeTranscriptionAPI

PROMPT = "拜访记录。客户与联系人：蓝鲸科技、北辰物流。"


@pytest.fixture(scope="module")
def zh_pcm(notes) -> Pcm:
    return prepare(notes["ogg"], "ogg")


def test_faster_whisper_loads_lazily_once_and_transcribes(tiny_faster_whisper, zh_pcm):
    backend = FasterWhisperTranscriber(str(tiny_faster_whisper), beam_size=1, temperature=0.0)
    assert isinstance(backend, Transcriber) and not backend.loaded
    result = backend.transcribe(zh_pcm, language_hint="zh", prompt=PROMPT)
    assert backend.loaded
    assert isinstance(result, Transcript) and result.backend == "faster-whisper"
    assert result.language == "zh"  # the hint was used, not detected
    assert isinstance(result.text, str) and result.text == result.text.strip()
    model = backend._model.get()
    again = backend.transcribe(zh_pcm, language_hint="zh", prompt=PROMPT)
    assert backend._model.get() is model  # not reloaded
    assert again.text == result.text  # greedy decoding of the same audio is deterministic


def test_faster_whisper_detects_the_language_without_a_hint(tiny_faster_whisper, speech):
    backend = FasterWhisperTranscriber(str(tiny_faster_whisper), beam_size=1, temperature=0.0, vad_filter=False)
    result = backend.transcribe(prepare(speech["en"].read_bytes(), "wav"))
    from whisper.tokenizer import LANGUAGES

    assert result.language in LANGUAGES  # a random model picks any of its 99 languages


def test_openai_whisper_loads_a_checkpoint_lazily_and_transcribes(tiny_openai_whisper, zh_pcm):
    backend = OpenAIWhisperTranscriber(str(tiny_openai_whisper), temperature=0.0)
    assert isinstance(backend, Transcriber) and not backend.loaded
    result = backend.transcribe(zh_pcm, language_hint="zh", prompt=PROMPT)
    assert backend.loaded and result.backend == "openai-whisper" and result.language == "zh"
    assert isinstance(result.text, str)


def test_a_broken_model_file_fails_at_first_use(tmp_path, zh_pcm):
    bad = tmp_path / "model"
    bad.mkdir()
    (bad / "model.bin").write_bytes(b"not a model")
    backend = FasterWhisperTranscriber(str(bad))
    with pytest.raises(Exception):
        backend.transcribe(zh_pcm)
    assert not backend.loaded  # the next note tries again


def test_concurrent_first_calls_load_the_model_once():
    loads = []

    def loader():
        loads.append(threading.get_ident())
        time.sleep(0.05)
        return object()

    lazy = LazyModel(loader, "test")
    results = []
    threads = [threading.Thread(target=lambda: results.append(lazy.get())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1 and len({id(r) for r in results}) == 1
    assert lazy.load_seconds is not None and lazy.load_seconds >= 0.05


# --- OpenAI-compatible endpoint ---------------------------------------------------------------


def test_endpoint_receives_wav_language_prompt_and_key(zh_pcm):
    with FakeTranscriptionAPI() as server:
        server.answer({"text": "  今天拜访了蓝鲸李总  ", "language": "chinese"})
        backend = OpenAICompatibleTranscriber(server.base_url, model="whisper-large-v3", api_key="sk-test")
        result = backend.transcribe(zh_pcm, language_hint="zh", prompt=PROMPT)
    assert result == Transcript("今天拜访了蓝鲸李总", "chinese", "openai-api")
    [request] = server.requests
    assert request.path == "/v1/audio/transcriptions"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.fields == {"model": "whisper-large-v3", "response_format": "json", "language": "zh",
                              "prompt": PROMPT}
    filename, content_type, body = request.files["file"]
    assert (filename, content_type) == ("note.wav", "audio/wav")
    with wave.open(BytesIO(body)) as w:
        assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (1, 16000, 2)
        assert w.readframes(w.getnframes()) == zh_pcm.samples


def test_endpoint_url_may_be_the_full_path_and_key_and_hints_optional(zh_pcm):
    with FakeTranscriptionAPI() as server:
        server.answer({"text": "hello"})
        backend = OpenAICompatibleTranscriber(server.base_url + "/audio/transcriptions/")
        assert backend.transcribe(zh_pcm).text == "hello"
    [request] = server.requests
    assert "authorization" not in request.headers
    assert set(request.fields) == {"model", "response_format"} and request.fields["model"] == "whisper-1"


@pytest.mark.parametrize("status, body, expected", [
    (401, {"error": {"message": "bad key"}}, "HTTP 401"),
    (500, {"error": "boom"}, "HTTP 500"),
    (200, {"transcript": "wrong field"}, "no 'text'"),
    (200, "not json", "no 'text'"),
])
def test_endpoint_failures_are_unavailable(status, body, expected, zh_pcm):
    with FakeTranscriptionAPI() as server:
        server.answer(body, status=status)
        with pytest.raises(TranscriptionError) as caught:
            OpenAICompatibleTranscriber(server.base_url, api_key="sk-secret").transcribe(zh_pcm)
    assert caught.value.code == "unavailable" and expected in caught.value.detail
    assert "sk-secret" not in str(caught.value)


def test_endpoint_that_is_down_is_unavailable(zh_pcm):
    with FakeTranscriptionAPI() as server:
        url = server.base_url
    with pytest.raises(TranscriptionError) as caught:
        OpenAICompatibleTranscriber(url, timeout_s=2).transcribe(zh_pcm)
    assert caught.value.code == "unavailable" and "ConnectError" in caught.value.detail
