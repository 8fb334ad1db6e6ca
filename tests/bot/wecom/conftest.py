"""The WeCom adapter against the fake WeCom server: the real adapter serving its callback URL on
127.0.0.1, members posting encrypted callbacks to it, the real conversation loop, engine and
database."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlmodel import func, select

from bot.adapters.wecom.adapter import WeComAdapter
from bot.adapters.wecom.api import WeComApi
from bot.adapters.wecom.config import WeComConfig
from bot.adapters.wecom.directory import Directory
from bot.app import App, build_app
from bot.identity import link
from bot.loop import ConversationLoop
from storage.config import Settings
from storage.db import session_scope
from tests.fakes.wecom_server import FakeWeCom, Member, Sent

# WeCom userids of the fixture's people: reps 王磊 (1), 李娜 (2), Alice (4); managers 张伟 (3), Bob (5).
WC = {1: "WangLei", 2: "LiNa", 3: "ZhangWei", 4: "Alice", 5: "Bob", 6: "LiuYang"}
NAMES = {1: "王磊", 2: "李娜", 3: "张伟", 4: "Alice", 5: "Bob", 6: "刘洋"}


def config_for(wecom: FakeWeCom, **overrides) -> WeComConfig:
    values = dict(corp_id=wecom.corp_id, agent_id=wecom.agent_id, secret=wecom.secret, token=wecom.token,
                  encoding_aes_key=wecom.aes_key, api_base=wecom.base_url, host="127.0.0.1", port=0)
    return WeComConfig(**{**values, **overrides})


def make_adapter(wecom: FakeWeCom, app: App, *, directory_link: bool = False, **kwargs) -> WeComAdapter:
    config = config_for(wecom, directory_link=directory_link)
    api = WeComApi(config.api_base, config.corp_id, config.secret, config.agent_id)
    return WeComAdapter(ConversationLoop(app), config, api=api,
                        directory=Directory(app.db, api, app.clock, auto_link=directory_link), **kwargs)


@dataclass
class Harness:
    wecom: FakeWeCom
    adapter: WeComAdapter
    app: App

    def person(self, user_id: int, *, linked: bool = True) -> Member:
        """The WeCom member of fixture user `user_id`, linked to them unless told otherwise."""
        if linked:
            with session_scope(self.app.db) as session:
                link(user_id, "wecom", WC[user_id], chat_id=WC[user_id], session=session, now=self.app.clock())
        return self.wecom.member(WC[user_id], NAMES[user_id])

    async def settled(self) -> None:
        await self.adapter.idle()

    async def say(self, who: Member, text: str) -> list[Sent]:
        """`who` sends `text`; the bot's new messages to them once it is done."""
        before = len(self.wecom.messages(who.user_id))
        answer = await who.send_text(text)
        assert (answer.status, answer.text) == (200, "")
        await self.settled()
        return self.wecom.messages(who.user_id)[before:]

    async def press(self, who: Member, card: Sent, action: str) -> list[Sent]:
        before = len(self.wecom.messages(who.user_id))
        answer = await who.press(card, card.button(action))
        assert (answer.status, answer.text) == (200, "")
        await self.settled()
        return self.wecom.messages(who.user_id)[before:]

    def count(self, model, *where) -> int:
        with session_scope(self.app.db) as session:
            return session.exec(select(func.count()).select_from(model).where(*where)).one()


@pytest.fixture
async def wecom() -> AsyncIterator[FakeWeCom]:
    async with FakeWeCom() as server:
        yield server


@pytest.fixture
def wc_app(crm, clock) -> App:
    settings = Settings(_env_file=None, database_url=crm.url.render_as_string(hide_password=False))
    return build_app(settings, clock=clock, db=crm, run_migrations=False)


@pytest.fixture
async def harness(wecom, wc_app) -> AsyncIterator[Harness]:
    adapter = make_adapter(wecom, wc_app)
    await adapter.start()
    wecom.callback_url = adapter.callback_url
    try:
        yield Harness(wecom, adapter, wc_app)
    finally:
        await adapter.stop()
