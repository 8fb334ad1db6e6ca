"""One turn of a conversation: everything a handler needs, in one object.

A handler receives a `Turn` (the app, the open database session, the acting user, the message,
the user's language and the clock) instead of a list of parameters, so adding what a handler
needs never changes every signature, and nothing below the loop imports the loop.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.app import App
from bot.executor import with_cached_names
from bot.messages import IncomingMessage
from intents.base import ParseContext, UserInfo
from storage.models import Draft, User
from tools.base import Clock, ToolContext


@dataclass
class Turn:
    app: App
    session: Session
    user: User
    message: IncomingMessage
    language: str
    clock: Clock
    text: str = ""  # the cleaned text (or the transcript of a voice note)
    transcript: str | None = None
    parsed: object | None = None  # the engine's reading when it ran before the transaction
    photos: object | None = None  # bot.contract_photos.ContractPhotos: what the images gave, read before it

    @property
    def now(self) -> datetime:
        return self.clock()

    @property
    def chat_key(self) -> str:
        return f"{self.message.platform}:{self.message.chat_id}"

    @property
    def pressed(self) -> bool:
        """The message is a button press (or a typed number the adapter mapped to one)."""
        return bool(self.message.choice)

    def local_now(self) -> datetime:
        return self.now.astimezone(ZoneInfo(self.user.timezone or self.app.settings.default_timezone))

    def parse_context(self) -> ParseContext:
        return parse_context(self.app, self.user, self.chat_key, session=self.session)

    def tool_context(self, *, source: str | None = None, draft: Draft | None = None) -> ToolContext:
        transcript = draft.transcript if draft is not None else None
        return with_cached_names(self.app, ToolContext(
            user=self.user, session=self.session, settings=self.app.settings, clock=self.app.clock,
            source_message=source, draft_id=draft.id if draft is not None else None,
            source="voice" if transcript is not None else "text", transcript=transcript))


def parse_context(app: App, user: User, chat_key: str, *, session: Session | None = None) -> ParseContext:
    """What an engine may read for this user in this chat (names, their clock, recent history)."""
    tz = ZoneInfo(user.timezone or app.settings.default_timezone)
    return ParseContext(
        user=UserInfo(id=user.id, name=user.name, role=str(user.role), language=user.language,
                      timezone=str(tz), manager_id=user.manager_id),
        now=app.clock().astimezone(tz),
        directory=visible_names(app, user, session),
        default_currency=app.settings.default_currency,
        history=app.history(chat_key),
        leads=app.settings.leads_in_chat,
    )


def visible_names(app: App, user: User, session: Session | None):
    """The names the parser may find for `user`: their own team's, never another team's."""
    from storage.db import session_scope
    from tools.permissions import visible_owners

    if session is not None:
        return app.directory_within(visible_owners(user, session=session), session)
    with session_scope(app.db) as own:
        owners = visible_owners(user, session=own)
    return app.directory_within(owners)
