"""The Telegram adapter against the fake Bot API server: the real PTB `Application` polling (or
serving a webhook) over HTTP on 127.0.0.1, the real conversation loop, engine and database."""
from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlmodel import func, select

from bot.app import App, build_app
from bot.identity import link
from bot.loop import ConversationLoop
from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.config import TelegramConfig
from storage.config import Settings
from storage.db import session_scope
from tests.fakes.telegram_server import FakeBotApi, FakeUser

# Telegram ids of the fixture's people (user id → Telegram id): reps 王磊 (1), 李娜 (2), Alice (4);
# managers 张伟 (3), Bob (5).
TG = {1: 5001, 2: 5002, 3: 5003, 4: 5004, 5: 5005, 6: 5006}
NAMES = {1: "王磊", 2: "李娜", 3: "张伟", 4: "Alice", 5: "Bob", 6: "刘洋"}


@dataclass
class Harness:
    api: FakeBotApi
    adapter: TelegramAdapter
    app: App

    def person(self, user_id: int, *, linked: bool = True, lang: str | None = None) -> FakeUser:
        """The Telegram account of fixture user `user_id`, linked to them unless told otherwise."""
        if linked:
            with session_scope(self.app.db) as session:
                link(user_id, "telegram", str(TG[user_id]), chat_id=str(TG[user_id]), session=session,
                     now=self.app.clock())
        language = lang or ("en" if user_id in (4, 5) else "zh")
        return self.api.user(TG[user_id], NAMES[user_id], language_code=language)

    async def settled(self) -> None:
        """Wait until the bot has fetched every update and finished handling them all."""
        await self.api.delivered()
        await self.adapter.idle(15)

    async def say(self, who: FakeUser, text: str, *, chat: dict | None = None) -> list[dict]:
        """`who` sends `text`; the bot's new messages in that chat once it is done."""
        chat_id = (chat or who.private_chat())["id"]
        before = self.api.last_message_id(chat_id)
        who.send(text, chat=chat)
        await self.settled()
        return [m for m in self.api.bot_messages(chat_id) if m["message_id"] > before]

    async def press(self, who: FakeUser, message: dict, data: str) -> dict | None:
        """`who` presses the button with callback `data` under `message`; the callback answer."""
        update = who.press(message, data)
        await self.settled()
        return self.api.callback_answers.get(update["callback_query"]["id"])

    def count(self, model, *where) -> int:
        with session_scope(self.app.db) as session:
            return session.exec(select(func.count()).select_from(model).where(*where)).one()


def make_app(crm, clock) -> App:
    settings = Settings(_env_file=None, database_url=crm.url.render_as_string(hide_password=False))
    return build_app(settings, clock=clock, db=crm, run_migrations=False)


def config_for(api: FakeBotApi, **webhook) -> TelegramConfig:
    return TelegramConfig(token=api.token, base_url=api.base_url, base_file_url=api.base_file_url, **webhook)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def tg_app(crm, clock) -> App:
    return make_app(crm, clock)


@pytest.fixture
async def harness(api, tg_app) -> AsyncIterator[Harness]:
    """A polling bot with the production set-up (AIORateLimiter included)."""
    adapter = TelegramAdapter(ConversationLoop(tg_app), config_for(api), poll_timeout=1)
    await adapter.start()
    try:
        yield Harness(api, adapter, tg_app)
    finally:
        await adapter.stop()


def button(message: dict, action: str) -> str:
    """The callback data of the button whose data ends with `:action` under `message`."""
    for row in message["reply_markup"]["inline_keyboard"]:
        for b in row:
            if b["callback_data"].endswith(":" + action):
                return b["callback_data"]
    raise AssertionError(f"no {action} button in {message.get('reply_markup')}")
