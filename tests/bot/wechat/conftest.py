"""The WeChat adapter against a real puppet-service gateway on 127.0.0.1: the Node gateway of
tests/fakes/wechat_gateway (wechaty-puppet-service's PuppetServer over wechaty-puppet-mock), the
real `wechaty` SDK, the real conversation loop, engine and database.

Mock contacts are the fixture's people: `wxid_u1` is 王磊 (rep), `wxid_u3` 张伟 (his manager),
`wxid_u4` Alice (rep), `wxid_u5` Bob (her manager). The bot account is `wxid_salesbot`.
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import secrets
import select as io_select
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.app import App, build_app
from bot.identity import link
from bot.loop import ConversationLoop
from bot.adapters.wechat.adapter import WeChatAdapter
from bot.adapters.wechat.config import WeChatConfig
from bot.adapters.wechat.gateway import Endpoint, GatewayConnection
from storage.config import Settings
from storage.db import session_scope

ROOT = Path(__file__).resolve().parents[3]
GATEWAY_DIR = ROOT / "tests" / "fakes" / "wechat_gateway"
BOT_ID = "wxid_salesbot"
NAMES = {1: "王磊", 2: "李娜", 3: "张伟", 4: "Alice Chen", 5: "Bob Smith", 6: "刘洋"}


def wxid(user_id: int) -> str:
    return f"wxid_u{user_id}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def gateway_installed() -> Path:
    """node_modules of the test gateway, installed from its lock file once per machine."""
    problem = None
    if shutil.which("node") is None or shutil.which("npm") is None:
        problem = "node and npm are needed for the WeChat gateway tests"
    else:
        done = subprocess.run(["bash", str(ROOT / "scripts" / "wechat-gateway-setup.sh")],
                              capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            problem = f"installing the WeChat test gateway failed:\n{done.stderr[-2000:]}"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    return GATEWAY_DIR


@dataclass(frozen=True)
class GatewayProcess:
    port: int
    control_port: int
    token: str


@pytest.fixture(scope="session")
def gateway_process(gateway_installed) -> Iterator[GatewayProcess]:
    """One gateway for the session (starting Node takes ~1.5 s); each test gets a clean control
    connection and a `reset` (server up, dings answered)."""
    token = "test-" + secrets.token_hex(8)
    proc = subprocess.Popen(
        ["node", "--no-deprecation", str(GATEWAY_DIR / "gateway.mjs"), "--port", str(free_port()),
         "--token", token, "--control-port", "0"],
        cwd=GATEWAY_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        ready, _, _ = io_select.select([proc.stdout], [], [], 30)
        line = proc.stdout.readline() if ready else b""
        if not line:
            proc.kill()
            raise AssertionError(f"the WeChat test gateway did not start: {proc.stderr.read()[-2000:]!r}")
        info = json.loads(line)
        yield GatewayProcess(info["port"], info["control_port"], token)
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Gateway:
    """A control connection to the gateway: commands, and the bot's messages seen while connected."""

    def __init__(self, process: GatewayProcess) -> None:
        self.port, self.control_port, self.token = process.port, process.control_port, process.token
        self.bot_messages: list[dict] = []
        self._reader_task: asyncio.Task | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._answers: dict[int, asyncio.Future] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def connect(self) -> None:
        reader, self._writer = await asyncio.open_connection("127.0.0.1", self.control_port,
                                                             limit=64 * 1024 * 1024)
        self._reader_task = asyncio.create_task(self._read(reader))
        await self.command("reset")

    async def _read(self, reader: asyncio.StreamReader) -> None:
        async for raw in reader:
            line = json.loads(raw)
            if line.get("event") == "bot_message":
                async with self._changed:
                    self.bot_messages.append(line)
                    self._changed.notify_all()
            elif line.get("id") in self._answers:
                self._answers.pop(line["id"]).set_result(line)

    async def command(self, op: str, **params) -> dict:
        assert self._writer is not None
        number = next(self._ids)
        answer = asyncio.get_running_loop().create_future()
        self._answers[number] = answer
        self._writer.write((json.dumps({"id": number, "op": op, **params}) + "\n").encode())
        await self._writer.drain()
        result = await asyncio.wait_for(answer, 30)
        if not result.get("ok"):
            raise AssertionError(f"gateway {op} failed: {result.get('error')}")
        return result

    async def contact(self, contact_id: str, name: str) -> None:
        await self.command("contact", contact=contact_id, name=name)

    async def room(self, room_id: str, topic: str, members: list[str]) -> None:
        await self.command("room", room=room_id, topic=topic, members=members)

    async def say(self, sender: str, text: str, *, to: str | None = None, mentions: list[str] | None = None) -> str:
        return (await self.command("say", **{"from": sender}, text=text, to=to, mentions=mentions or []))["message_id"]

    async def send_file(self, sender: str, name: str, data: bytes, *, to: str | None = None) -> str:
        return (await self.command("file", **{"from": sender}, name=name, to=to,
                                   base64=base64.b64encode(data).decode()))["message_id"]

    async def replay(self, message_id: str) -> None:
        await self.command("replay", message_id=message_id)

    async def down(self) -> None:
        await self.command("down")

    async def up(self) -> None:
        await self.command("up")

    async def mute(self, on: bool = True) -> None:
        await self.command("mute", on=on)

    def messages_to(self, conversation: str) -> list[dict]:
        return [m for m in self.bot_messages if m["to"] == conversation]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
        async def satisfied() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(satisfied(), timeout)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()
        if self._reader_task is not None:
            self._reader_task.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._reader_task


@dataclass
class Harness:
    gw: Gateway
    adapter: WeChatAdapter
    app: App
    people: dict[int, str] = field(default_factory=dict)

    async def person(self, user_id: int, *, linked: bool = True) -> str:
        """The WeChat contact of fixture user `user_id` (linked to them unless told otherwise)."""
        contact = wxid(user_id)
        await self.gw.contact(contact, NAMES[user_id])
        if linked:
            with session_scope(self.app.db) as session:
                link(user_id, "wechat", contact, chat_id=contact, session=session, now=self.app.clock())
        self.people[user_id] = contact
        return contact

    async def stranger(self, contact: str, name: str) -> str:
        await self.gw.contact(contact, name)
        return contact

    async def say(self, who: str, text: str, *, expect: int = 1, to: str | None = None,
                  mentions: list[str] | None = None) -> list[str]:
        """`who` says `text` (to the bot, or in room `to`); the texts of the next `expect` bot
        messages in that conversation."""
        conversation = to or who
        before = len(self.gw.messages_to(conversation))
        await self.gw.say(who, text, to=to, mentions=mentions)
        return await self.replies(conversation, before, expect)

    async def replies(self, conversation: str, before: int, expect: int, timeout: float = 20.0) -> list[str]:
        try:
            await self.gw.wait_for(lambda: len(self.gw.messages_to(conversation)) >= before + expect, timeout)
        except asyncio.TimeoutError:
            got = [m["text"] for m in self.gw.messages_to(conversation)[before:]]
            raise AssertionError(f"expected {expect} bot message(s) in {conversation}, got {got}") from None
        return [m["text"] for m in self.gw.messages_to(conversation)[before:before + expect]]

    async def settled(self) -> None:
        await asyncio.wait_for(self.adapter.idle(), 20)

    def count(self, model, *where) -> int:
        with session_scope(self.app.db) as session:
            return session.exec(select(func.count()).select_from(model).where(*where)).one()


async def eventually(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    """Wait until `predicate()` holds (checked every 20 ms), or fail after `timeout` seconds."""
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.02)

    try:
        await asyncio.wait_for(poll(), timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None


def make_app(db, clock) -> App:
    settings = Settings(_env_file=None, database_url=db.url.render_as_string(hide_password=False))
    return build_app(settings, clock=clock, db=db, run_migrations=False, transcriber=None)


def make_adapter(app: App, gw: Gateway, *, token: str | None = None, endpoint: str | None = None,
                 config_fields: dict | None = None, connection_fields: dict | None = None,
                 **kwargs) -> WeChatAdapter:
    """The production adapter with short reconnect delays (50-300 ms instead of up to 30 s)."""
    config = WeChatConfig(endpoint=Endpoint.parse(endpoint or gw.endpoint), token=token or gw.token,
                          **{"connect_timeout_s": 20.0, **(config_fields or {})})
    connection = GatewayConnection(config.endpoint, config.token, on_message=lambda _: None,
                                   **{"reconnect_delays_s": (0.05, 0.1, 0.2, 0.3), "retry_window_s": 30,
                                      **(connection_fields or {})})
    return WeChatAdapter(ConversationLoop(app), config, gateway=connection, **kwargs)


@pytest.fixture
async def gateway(gateway_process) -> AsyncIterator[Gateway]:
    gw = Gateway(gateway_process)
    await gw.connect()
    try:
        yield gw
    finally:
        await gw.close()


async def started(adapter: WeChatAdapter, timeout: float = 20.0) -> WeChatAdapter:
    await adapter.start()
    await adapter.gateway.wait_logged_in(timeout)
    return adapter


@pytest.fixture
def wx_app(crm_sqlite, clock) -> App:
    return make_app(crm_sqlite, clock)


@pytest.fixture
async def harness(gateway, wx_app) -> AsyncIterator[Harness]:
    """The bot connected to the gateway (SQLite; `harness_all_dbs` runs on PostgreSQL too)."""
    adapter = await started(make_adapter(wx_app, gateway))
    try:
        yield Harness(gateway, adapter, wx_app)
    finally:
        await adapter.stop()


@pytest.fixture
async def harness_all_dbs(gateway, crm, clock) -> AsyncIterator[Harness]:
    app = make_app(crm, clock)
    adapter = await started(make_adapter(app, gateway))
    try:
        yield Harness(gateway, adapter, app)
    finally:
        await adapter.stop()
