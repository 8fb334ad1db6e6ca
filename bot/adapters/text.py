"""Cutting a long reply into messages a platform accepts, at line ends where possible."""
from __future__ import annotations

from collections.abc import Callable


def split_text(text: str, limit: int, *, size: Callable[[str], int] = len) -> list[str]:
    """Pieces of at most `limit` (measured by `size`: characters, or e.g. UTF-8 bytes), cut at line
    ends; a line longer than a whole piece is cut where it reaches the limit."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while size(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            head = _fit(line, limit, size)
            pieces.append(head)
            line = line[len(head):]
        candidate = f"{current}\n{line}" if current else line
        if size(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return pieces


def _fit(text: str, limit: int, size: Callable[[str], int]) -> str:
    """The longest start of `text` within `limit` (at least one character); `size` adds up
    character by character (characters, UTF-8 bytes)."""
    used = 0
    for end, ch in enumerate(text):
        used += size(ch)
        if used > limit:
            return text[:max(end, 1)]
    return text


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))
