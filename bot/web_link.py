"""`/web` in chat: a one-time link (valid WEB_LINK_MINUTES) that signs the sender in to the web
console. Only in a private chat: in a group everyone would see the link."""
from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session

from prompts.web import web_text
from storage.config import Settings
from storage.models import User
from storage.repos.web_access import create_signin_link

_COMMAND = re.compile(r"^\s*/web(?:@\w+)?\s*$", re.IGNORECASE)


def web_command(session: Session, user: User, text: str, *, now: datetime, settings: Settings,
                is_group: bool) -> str | None:
    """The reply to `/web`, or None when `text` is not that command."""
    if not _COMMAND.match(text or ""):
        return None
    _ = web_text(user.language)
    if is_group:
        return _("web_link_group")
    secret = create_signin_link(user.id, session=session, now=now, minutes=settings.web_link_minutes, via="chat")
    return _("web_link", minutes=settings.web_link_minutes, url=f"{settings.web_base_url}/web/signin/{secret}")
