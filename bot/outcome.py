"""What handling one message produces: replies to the sender and messages for other users."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.messages import Outgoing, Reply


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)
    duplicate: bool = False
    sender_linked: bool = True  # False when the sender is no user yet (refused or just linking)

    def say(self, text: str, **kwargs) -> Outcome:
        self.replies.append(Reply(text=text, **kwargs))
        return self

    def extend(self, other: Outcome) -> Outcome:
        self.replies.extend(other.replies)
        self.outgoing.extend(other.outgoing)
        return self
