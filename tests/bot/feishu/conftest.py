"""The Feishu adapter against the fake open platform: the real adapter serving /feishu/events on
127.0.0.1, events encrypted and signed as Feishu does, the real conversation loop, engine and
database."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlmodel import func, select

from bot.adapters.feishu.adapter import EVENTS_PATH, FeishuAdapter
from bot.adapters.feishu.config import FeishuConfig
from bot.app import App, build_app
from bot.identity import link
from bot.loop import ConversationLoop
from storage.config import Settings
from storage.db import session_scope
from tests.fakes.feishu_server import FakeFeishu, FakeUser, SentMessage

# Feishu open_ids of the fixture's people: reps 王磊 (1), 李娜 (2), Alice (4); managers 张伟 (3), Bob (5).
OPEN_ID = {i: f"ou_user{i}" for i in range(1, 7)}
NAMES = {1: "王磊", 2: "李娜", 3: "张伟", 4: "Alice", 5: "Bob", 6: "刘洋"}


class RecordingLoop:
    """The conversation loop, recording each `IncomingMessage` the adapter hands it."""

    def __init__(self, loop: ConversationLoop) -> None:
        self.inner, self.received = loop, []
        self.app = loop.app

    async def handle(self, msg, *, progress=None, before_commit=None):
        self.received.append(msg)
        return await self.inner.handle(msg, progress=progress, before_commit=before_commit)


@dataclass
class Harness:
    server: FakeFeishu
    adapter: FeishuAdapter
    app: App
    loop: RecordingLoop

    def person(self, user_id: int, *, linked: bool = True) -> FakeUser:
        """The Feishu account of fixture user `user_id`, linked to them unless told otherwise."""
        if linked:
            with session_scope(self.app.db) as session:
                link(user_id, "feishu", OPEN_ID[user_id], session=session, now=self.app.clock())
        return self.server.user(OPEN_ID[user_id], NAMES[user_id])

    async def settled(self) -> None:
        await self.adapter.idle()

    async def say(self, who: FakeUser, text: str, *, chat: str | None = None, **kwargs) -> list[SentMessage]:
        """`who` sends `text`; the bot's new messages in that chat once it is done."""
        chat_id = chat or who.p2p_chat
        before = len(self.server.bot_messages(chat_id))
        status, _ = await who.send(text, chat=chat, **kwargs)
        assert status == 200
        await self.settled()
        return self.server.bot_messages(chat_id)[before:]

    async def press(self, who: FakeUser, message: SentMessage, action: str, **kwargs) -> tuple[int, dict]:
        """`who` presses the button whose choice ends with `:action` under `message`."""
        answer = await who.press(message, button(message, action), **kwargs)
        await self.settled()
        return answer

    def count(self, model, *where) -> int:
        with session_scope(self.app.db) as session:
            return session.exec(select(func.count()).select_from(model).where(*where)).one()


def button(message: SentMessage, action: str) -> str:
    for choice in message.choices:
        if choice.endswith(":" + action):
            return choice
    raise AssertionError(f"no {action} button in {message.choices}")


def config_for(server: FakeFeishu) -> FeishuConfig:
    return FeishuConfig(app_id=server.app_id, app_secret=server.app_secret,
                        verification_token=server.verification_token, encrypt_key=server.encrypt_key,
                        api_base=server.base_url, host="127.0.0.1", port=0)


@pytest.fixture
async def server() -> AsyncIterator[FakeFeishu]:
    async with FakeFeishu() as fake:
        yield fake


@pytest.fixture
def fs_app(crm, clock) -> App:
    settings = Settings(_env_file=None, database_url=crm.url.render_as_string(hide_password=False))
    return build_app(settings, clock=clock, db=crm, run_migrations=False)


@pytest.fixture
async def harness(server, fs_app) -> AsyncIterator[Harness]:
    loop = RecordingLoop(ConversationLoop(fs_app))
    adapter = FeishuAdapter(loop, config_for(server))
    await adapter.start()
    server.events_url = f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}"
    try:
        yield Harness(server, adapter, fs_app, loop)
    finally:
        await adapter.stop()
