"""Who a WeCom member is: linked by an invite code like on every platform (`绑定 CODE` /
`/start CODE`, handled by the loop), by `salesbot users link USER wecom USERID`, or, when an admin
allows it (WECOM_DIRECTORY_LINK=true), automatically: the member's directory entry (user/get) is
looked up once, and a name that is exactly one active user's name or alias links them."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.adapters.wecom.api import WeComApi, WeComApiError
from bot.adapters.wecom.inbound import PLATFORM
from bot.identity import find_user, link
from storage.db import session_scope
from storage.models import User

log = logging.getLogger("salesbot.wecom")


class Directory:
    def __init__(self, db: Engine, api: WeComApi, clock: Callable[[], datetime], *, auto_link: bool) -> None:
        self.db, self.api, self.clock, self.auto_link = db, api, clock, auto_link
        self._linked: set[str] = set()
        self._looked_up: set[str] = set()

    async def linked(self, user_id: str) -> bool:
        """Whether the member is a Salesbot user, linking them by name first when allowed."""
        if user_id in self._linked:
            return True
        if await asyncio.to_thread(self._find, user_id):
            self._linked.add(user_id)
            return True
        if not self.auto_link or user_id in self._looked_up:
            return False
        self._looked_up.add(user_id)
        try:
            entry = await self.api.user(user_id)
        except WeComApiError as exc:
            log.warning("wecom directory lookup failed", extra={"errcode": exc.errcode})
            return False
        name = str(entry.get("name") or "").strip()
        if name and await asyncio.to_thread(self._link_by_name, user_id, name):
            self._linked.add(user_id)
            return True
        return False

    def forget(self, user_id: str) -> None:
        self._linked.discard(user_id)

    def _find(self, user_id: str) -> bool:
        with session_scope(self.db) as session:
            return find_user(PLATFORM, user_id, session=session) is not None

    def _link_by_name(self, user_id: str, name: str) -> bool:
        with session_scope(self.db) as session:
            users = [u for u in session.exec(select(User).where(User.active == True)).all()  # noqa: E712
                     if u.name == name or name in (u.aliases or [])]
            if len(users) != 1:
                log.info("wecom member not linked by name", extra={"matches": len(users)})
                return False
            link(users[0].id, PLATFORM, user_id, chat_id=user_id, session=session, now=self.clock())
            log.info("wecom member linked from the directory", extra={"user_id": users[0].id})
            return True
