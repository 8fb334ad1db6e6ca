"""Decoding every format to 16 kHz mono PCM, the limits, and each way a note is refused."""
from __future__ import annotations

import pytest

from intents.transcribe import Limits, Pcm, TranscriptionError, prepare
from intents.transcribe import silk
from intents.transcribe.audio import SAMPLE_RATE, decode, is_silent
from tests.intents.transcribe import voices


def _refused(code: str, data: bytes, fmt: str, limits: Limits = Limits(), **kwargs) -> TranscriptionError:
    with pytest.raises(TranscriptionError) as caught:
        prepare(data, fmt, limits, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


@pytest.mark.parametrize("fmt", ["ogg", "mp3", "m4a", "wav", "silk"])
def test_each_format_decodes_to_the_same_speech(fmt, notes, speech):
    reference = voices.duration_of(speech["zh"])
    pcm = prepare(notes[fmt], fmt)
    assert isinstance(pcm, Pcm) and len(pcm.samples) % 2 == 0
    # codecs pad a little (opus pre-skip, aac priming, SILK's last frame), never more than 0.1 s
    assert abs(pcm.seconds - reference) < 0.1, (fmt, pcm.seconds, reference)
    samples = pcm.float32()
    assert samples.dtype.name == "float32" and -1.0 <= samples.min() < 0 < samples.max() <= 1.0


def test_amr_decodes_by_frame_count(notes, speech):
    pcm = prepare(notes["amr"], "amr")
    assert pcm.seconds == pytest.approx(round(voices.duration_of(speech["zh"]) / 0.02) * 0.02, abs=0.001)


def test_english_speech_decodes_and_is_not_silent(speech):
    pcm = prepare(voices.encode(speech["en"], "ogg"), "ogg")
    assert pcm.seconds > 2 and not is_silent(pcm)


def test_the_format_label_is_only_a_hint(notes):
    """WeChat names SILK notes .amr; clients mislabel ogg as mp3: the bytes decide."""
    assert prepare(notes["silk"], "amr").samples == prepare(notes["silk"], "silk").samples
    assert prepare(notes["ogg"], "mp3").samples == prepare(notes["ogg"], "ogg").samples
    assert prepare(notes["ogg"], "weird/../name").seconds > 1


def test_silk_with_and_without_wechat_prefix(speech):
    prefixed = voices.silk_note(speech["zh"], wechat_prefix=True)
    plain = voices.silk_note(speech["zh"], wechat_prefix=False)
    assert prefixed[:1] == b"\x02" and plain.startswith(silk.HEADER)
    assert silk.is_silk(prefixed) and silk.is_silk(plain)
    assert silk.duration_s(prefixed) == silk.duration_s(plain) > 2
    assert decode(prefixed, "silk").samples == decode(plain, "silk").samples


def test_wav_is_resampled_to_16k_mono(speech):
    stereo_48k = voices.encode(speech["en"], "wav", extra=["-ar", "48000", "-ac", "2"])
    assert stereo_48k[22:24] == b"\x02\x00" and int.from_bytes(stereo_48k[24:28], "little") == 48000
    pcm = prepare(stereo_48k, "wav")
    assert pcm.wav()[:4] == b"RIFF"
    assert len(pcm.wav()) == 44 + len(pcm.samples)
    assert abs(pcm.seconds - voices.duration_of(speech["en"])) < 0.05
    assert SAMPLE_RATE == 16000


# --- limits -----------------------------------------------------------------------------------


def test_too_large_is_refused_before_decoding():
    err = _refused("too_large", bytes(1536 * 1024), "ogg", Limits(max_bytes=1024 * 1024))
    assert err.params == {"size_mb": "1.5", "limit_mb": "1"}
    assert "1.5 MB" in err.user_message("en") and "上限 1 MB" in err.user_message("zh")


def test_declared_duration_over_the_limit_is_refused_before_decoding():
    err = _refused("too_long", b"OggS not even audio", "ogg", Limits(max_seconds=60), declared_seconds=61)
    assert err.params == {"limit": 60}
    assert "60" in err.user_message("zh") and "60 seconds" in err.user_message("en")


def test_decoded_duration_over_the_limit_is_refused():
    note = voices.tone(4.0, "ogg")
    assert prepare(note, "ogg", Limits(max_seconds=4)).seconds == pytest.approx(4.0, abs=0.05)
    err = _refused("too_long", note, "ogg", Limits(max_seconds=2))
    assert err.params == {"limit": 2}


def test_decoding_stops_just_past_the_limit():
    pcm = decode(voices.tone(6.0, "mp3"), "mp3", Limits(max_seconds=2))
    assert pcm.seconds == pytest.approx(3.0, abs=0.05)  # cut at limit + 1 s, then refused by prepare


def test_silk_over_the_limit_is_refused_from_its_frame_count(notes):
    seconds = silk.duration_s(notes["silk"])
    err = _refused("too_long", notes["silk"], "silk", Limits(max_seconds=int(seconds) - 1))
    assert f"{seconds:.1f} s" in err.detail


def test_default_limits_are_five_minutes_and_twenty_megabytes():
    assert Limits() == Limits(max_seconds=300, max_bytes=20 * 1024 * 1024)


# --- undecodable, silent ----------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"this is not audio at all" * 20, bytes(5000), b"OggS" + bytes(300)])
def test_garbage_is_undecodable(data):
    err = _refused("undecodable", data, "ogg")
    assert err.params["format"] == "ogg" and err.detail
    assert "ogg" in err.user_message("zh") and "decode" in err.user_message("en")


def test_empty_file_is_undecodable():
    assert _refused("undecodable", b"", "ogg").params["format"] == "empty"


def test_truncated_ogg_is_undecodable(notes):
    assert _refused("undecodable", notes["ogg"][:200], "ogg").detail


def test_silk_label_without_silk_header_is_undecodable(notes):
    assert _refused("undecodable", notes["ogg"], "silk").params["format"] == "silk"


def test_corrupt_silk_frames_are_undecodable(notes):
    header_end = notes["silk"].index(silk.HEADER) + len(silk.HEADER)
    corrupt = notes["silk"][:header_end] + bytes([0x10, 0x00]) + b"\xff" * 16 + bytes([0x7F, 0x7F])
    err = _refused("undecodable", corrupt, "silk")
    assert err.params["format"] == "silk"
    header_only = notes["silk"][:header_end]
    _refused("undecodable", header_only, "silk")


@pytest.mark.parametrize("fmt", ["ogg", "wav", "silk"])
def test_silence_is_refused(fmt, tmp_path):
    note = voices.tone(2.0, fmt, volume=0.0) if fmt != "silk" else _silent_silk(tmp_path)
    err = _refused("silent", note, fmt)
    assert "dBFS" in err.detail
    assert err.user_message("zh") != err.user_message("en")


def test_a_faint_hum_is_silent_a_normal_level_is_not():
    assert is_silent(decoded(voices.tone(2.0, "wav", volume=0.003)))  # peak -50 dBFS
    assert not is_silent(decoded(voices.tone(2.0, "wav", volume=0.05)))  # peak -26 dBFS
    assert is_silent(Pcm(b""))


def test_missing_ffmpeg_is_an_outage_not_the_users_fault(notes, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    err = _refused("unavailable", notes["ogg"], "ogg")
    assert "ffmpeg" in err.detail


def test_missing_silk_decoder_is_an_outage(notes, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pilk", None)
    err = _refused("unavailable", notes["silk"], "silk")
    assert "pilk" in err.detail


def decoded(note: bytes) -> Pcm:
    return decode(note, "wav")


def _silent_silk(tmp_path) -> bytes:
    wav = tmp_path / "silence.wav"
    wav.write_bytes(voices.tone(2.0, "wav", volume=0.0))
    return voices.silk_note(wav)
