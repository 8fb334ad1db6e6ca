"""Benchmark: N Telegram chats writing at once, through the Telegram adapter (polling into the inbox,
inbox workers), the fake Bot API server on loopback, the real conversation loop, rules engine and
database.

    .venv/bin/python scripts/bench_telegram.py                 # 100 chats, SQLite, both limiter set-ups
    .venv/bin/python scripts/bench_telegram.py --chats 200 --database-url postgresql+psycopg://...

Each chat sends a visit note (→ a confirmation card), then presses Confirm (→ a visit written and
the card edited). Prints wall time, throughput and per-chat latency (update handed to the bot →
the bot's answer reaching the server) for both rounds, and checks every chat got its own answer.
With PTB's AIORateLimiter (production) the bot keeps to Telegram's 30 messages/s; without it the
figure is what the bot itself can do.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import func, select  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.identity import link  # noqa: E402
from bot.loop import ConversationLoop  # noqa: E402
from bot.adapters.telegram.adapter import TelegramAdapter  # noqa: E402
from bot.adapters.telegram.config import TelegramConfig  # noqa: E402
from storage.config import Settings  # noqa: E402
from storage.db import make_engine, migrate, session_scope  # noqa: E402
from storage.fixture import import_fixture  # noqa: E402
from storage.models import Visit  # noqa: E402
from tests.fakes.telegram_server import FakeBotApi  # noqa: E402

OWN = {1: ["蓝鲸数据", "青松制药", "天衡能源", "北辰汽车"], 2: ["蓝海数据", "金桥物流", "瑞丰食品", "华康医疗"],
       6: ["明远教育", "海纳零售", "云帆软件"]}
_numbers = itertools.count(1)
FIXTURES = [ROOT.parent / "shared" / "eval" / "fixture.json", ROOT / "tests" / "data" / "fixture.json"]


def plan(chats: int) -> list[tuple[int, int, str]]:
    reps = sorted(OWN)
    return [(9000 + i, reps[i % 3], OWN[reps[i % 3]][(i // 3) % len(OWN[reps[i % 3]])]) for i in range(chats)]


def summary(label: str, started: float, finished: float, latencies: list[float], n: int) -> str:
    wall = finished - started
    q = statistics.quantiles(latencies, n=20) if len(latencies) >= 2 else latencies * 19
    return (f"  {label:<8} {n} chats in {wall:6.2f} s = {n / wall:6.1f}/s   latency p50 {q[9] * 1000:6.0f} ms  "
            f"p95 {q[18] * 1000:6.0f} ms  max {max(latencies) * 1000:6.0f} ms")


async def round_trip(api: FakeBotApi, sends: dict[int, float], method: str, done) -> tuple[float, list[float]]:
    await api.wait_for(lambda: all(done(chat) for chat in sends), timeout=300)
    finished = time.monotonic()
    latencies = []
    for chat, sent_at in sends.items():
        answered = min(c.at for c in api.calls_of(method)
                       if c.status == 200 and str(c.params.get("chat_id")) == str(chat) and c.at >= sent_at)
        latencies.append(answered - sent_at)
    return finished, latencies


@contextlib.contextmanager
def fresh_database(server_url: str | None):
    """A new SQLite file, or a new database on the given PostgreSQL server (dropped afterwards)."""
    if not server_url:
        yield f"sqlite:///{tempfile.mkdtemp(prefix='salesbot-bench-')}/bench.db"
        return
    name = f"salesbot_bench_{os.getpid()}_{next(_numbers)}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def fixture_app(url: str):
    """The app on a fresh database at `url` holding the eval fixture."""
    db = make_engine(url)
    migrate(db)
    fixture = next(p for p in FIXTURES if p.exists())
    with session_scope(db) as session:
        import_fixture(json.loads(fixture.read_text(encoding="utf-8")), session=session)
    return build_app(Settings(_env_file=None, database_url=url), db=db, run_migrations=False)


async def bench(chats: int, url: str, flood_limiter: bool) -> list[str]:
    app = fixture_app(url)
    db = app.db
    rows = plan(chats)
    with session_scope(db) as session:
        for tg_id, rep, _ in rows:
            link(rep, "telegram", str(tg_id), chat_id=str(tg_id), session=session, now=app.clock())
        visits_before = session.exec(select(func.count()).select_from(Visit)).one()

    lines = []
    async with FakeBotApi() as api:
        config = TelegramConfig(token=api.token, base_url=api.base_url, base_file_url=api.base_file_url)
        adapter = TelegramAdapter(ConversationLoop(app), config, poll_timeout=1, flood_limiter=flood_limiter)
        await adapter.start()
        try:
            users = {tg_id: api.user(tg_id, f"rep{tg_id}") for tg_id, _, _ in rows}
            started = time.monotonic()
            sends = {}
            for tg_id, _, account in rows:
                sends[tg_id] = time.monotonic()
                users[tg_id].send(f"今天拜访了{account}，聊了扩容方案")
            finished, latencies = await round_trip(api, sends, "sendMessage",
                                                   lambda chat: api.bot_messages(chat))
            wrong = [tg for tg, _, account in rows if account not in api.bot_messages(tg)[0]["text"]]
            lines.append(summary("note", started, finished, latencies, chats))

            cards = {tg: api.bot_messages(tg)[0] for tg in users}
            started = time.monotonic()
            sends = {}
            for tg_id, card in cards.items():
                data = next(b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row
                            if b["callback_data"].endswith(":confirm"))
                sends[tg_id] = time.monotonic()
                users[tg_id].press(card, data)
            finished, latencies = await round_trip(
                api, sends, "editMessageText",
                lambda chat: "reply_markup" not in api.current(chat, cards[chat]["message_id"]))
            lines.append(summary("confirm", started, finished, latencies, chats))
        finally:
            await adapter.stop()
    lines.append(correctness(db, visits_before, chats, wrong))
    db.dispose()
    return lines


def prepared_app(url: str, platform: str, rows: list[tuple]) -> tuple:
    """(app, visits so far): the eval fixture in a fresh database at `url`, each row's chat id
    linked on `platform` to its rep."""
    app = fixture_app(url)
    with session_scope(app.db) as session:
        for chat_id, rep, _ in rows:
            link(rep, platform, str(chat_id), chat_id=str(chat_id), session=session, now=app.clock())
        return app, session.exec(select(func.count()).select_from(Visit)).one()


def correctness(db, visits_before: int, chats: int, wrong: list) -> str:
    """How many chats got a card for their own account, and how many visits were written."""
    with session_scope(db) as session:
        written = session.exec(select(func.count()).select_from(Visit)).one() - visits_before
    return f"  correct: {chats - len(wrong)}/{chats} cards for the right account, {written}/{chats} visits written"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--database-url", metavar="POSTGRES_URL",
                        help="a PostgreSQL server to create a fresh database on (default: a new SQLite file)")
    parser.add_argument("--limiter", choices=["both", "on", "off"], default="both",
                        help="PTB's AIORateLimiter on (production), off, or both runs")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    modes = {"both": [True, False], "on": [True], "off": [False]}[args.limiter]
    print(f"salesbot telegram bench: {args.chats} chats at once, "
          f"{'PostgreSQL' if args.database_url else 'SQLite'}, rules engine")
    for flood_limiter in modes:
        print(f"AIORateLimiter {'on (production)' if flood_limiter else 'off'}:")
        with fresh_database(args.database_url) as url:
            for line in asyncio.run(bench(args.chats, url, flood_limiter)):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
