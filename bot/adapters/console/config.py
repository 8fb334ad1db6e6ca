"""Who sits at the terminal: the console needs no settings of its own, only the user it acts as."""
from __future__ import annotations

from dataclasses import dataclass

PLATFORM = "console"


@dataclass(frozen=True)
class ConsoleConfig:
    user_id: int
    user_name: str
    language: str

    @property
    def chat_id(self) -> str:
        return f"console:{self.user_id}"
