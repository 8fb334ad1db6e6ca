"""Benchmark: N Feishu chats writing at once, through the real Feishu adapter (/feishu/events on
loopback, events encrypted and signed by the fake open platform), the real conversation loop,
rules engine and database; then the same load through Telegram (scripts/bench_telegram.py) on
the same machine, for comparison.

    .venv/bin/python scripts/bench_feishu.py                  # 100 chats, SQLite
    .venv/bin/python scripts/bench_feishu.py --chats 200 --database-url postgresql+psycopg://...

Each chat sends a visit note (→ a confirmation card), then presses Confirm (→ a visit written and
the card updated). Latency is from the event posted to the bot until the bot's answer reaches the
open platform (the card sent; the card updated). A warm-up note goes through a throwaway app first, so that neither run pays for
loading the engine. Prints wall time, throughput, p50/p95/max for both
rounds, and checks that every chat got a card for its own account and every visit was written once.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from sqlmodel import func, select  # noqa: E402

import bench_telegram  # noqa: E402
from bench_telegram import correctness, fixture_app, fresh_database, plan, summary  # noqa: E402
from bot.adapters.feishu.adapter import EVENTS_PATH, FeishuAdapter  # noqa: E402
from bot.adapters.feishu.config import FeishuConfig  # noqa: E402
from bot.identity import link  # noqa: E402
from bot.loop import ConversationLoop  # noqa: E402
from bot.messages import IncomingMessage  # noqa: E402
from storage.db import session_scope  # noqa: E402
from storage.models import Visit  # noqa: E402
from tests.fakes.feishu_server import FakeFeishu  # noqa: E402


async def bench(chats: int, url: str) -> list[str]:
    app = fixture_app(url)
    db = app.db
    rows = [(f"ou_bench{n}", rep, account) for n, rep, account in plan(chats)]
    with session_scope(db) as session:
        for open_id, rep, _ in rows:
            link(rep, "feishu", open_id, session=session, now=app.clock())
        visits_before = session.exec(select(func.count()).select_from(Visit)).one()

    lines = []
    async with FakeFeishu() as server:
        config = FeishuConfig(app_id=server.app_id, app_secret=server.app_secret,
                              verification_token=server.verification_token, encrypt_key=server.encrypt_key,
                              api_base=server.base_url, host="127.0.0.1", port=0)
        adapter = FeishuAdapter(ConversationLoop(app), config)
        await adapter.start()
        server.events_url = f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}"
        try:
            users = {open_id: server.user(open_id, f"rep {open_id}") for open_id, _, _ in rows}
            sends: dict[str, float] = {}

            async def send(open_id: str, account: str) -> None:
                sends[open_id] = time.monotonic()
                status, _ = await users[open_id].send(f"今天拜访了{account}，聊了扩容方案")
                assert status == 200, status

            started = time.monotonic()
            await asyncio.gather(*(send(open_id, account) for open_id, _, account in rows))
            await server.wait_for(lambda: all(server.bot_messages(u.p2p_chat) for u in users.values()), 300)
            cards = {o: server.bot_messages(u.p2p_chat)[0] for o, u in users.items()}
            finished = max(c.at for c in cards.values())
            wrong = [o for o, _, account in rows if account not in cards[o].text]
            lines.append(summary("note", started, finished, [cards[o].at - sends[o] for o in users], chats))

            async def press(open_id: str) -> None:
                card = cards[open_id]
                confirm = next(c for c in card.choices if c.endswith(":confirm"))
                sends[open_id] = time.monotonic()
                status, _ = await users[open_id].press(card, confirm)
                assert status == 200, status

            started = time.monotonic()
            await asyncio.gather(*(press(o) for o in users))
            await server.wait_for(lambda: all(c.updated_at for c in cards.values()), 300)
            finished = max(c.updated_at for c in cards.values())
            lines.append(summary("confirm", started, finished, [cards[o].updated_at - sends[o] for o in users],
                                 chats))
        finally:
            await adapter.stop()
    lines.append(correctness(db, visits_before, chats, wrong))
    db.dispose()
    return lines


async def warm_up(url: str) -> None:
    """One note through a throwaway app first, so that neither platform's figures include loading
    the engine (lexicon, name directory, intent classifier)."""
    app = fixture_app(url)
    with session_scope(app.db) as session:
        link(1, "bench", "warm-up", session=session, now=app.clock())
    await ConversationLoop(app).handle(IncomingMessage(platform="bench", chat_id="warm-up", external_user_id="warm-up",
                                                       message_id="1", text="今天拜访了蓝鲸数据，聊了扩容方案"))
    app.db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--database-url", metavar="POSTGRES_URL",
                        help="a PostgreSQL server to create a fresh database on (default: a new SQLite file)")
    parser.add_argument("--no-telegram", action="store_true", help="skip the Telegram run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    store = "PostgreSQL" if args.database_url else "SQLite"
    print(f"salesbot feishu bench: {args.chats} chats at once, {store}, rules engine")
    with fresh_database(args.database_url) as url:
        asyncio.run(warm_up(url))
    cpu = time.process_time()
    with fresh_database(args.database_url) as url:
        lines = asyncio.run(bench(args.chats, url))
    print("Feishu (webhook, encrypted and signed events):")
    for line in lines:
        print(line)
    print(f"  CPU time of this process: {time.process_time() - cpu:.1f} s (bot and fake platform together)")
    if not args.no_telegram:
        for flood_limiter in (False, True):
            label = "on (production: 30 messages/s)" if flood_limiter else "off"
            print(f"Telegram, same machine, AIORateLimiter {label}:")
            cpu = time.process_time()
            with fresh_database(args.database_url) as url:
                for line in asyncio.run(bench_telegram.bench(args.chats, url, flood_limiter)):
                    print(line)
            print(f"  CPU time of this process: {time.process_time() - cpu:.1f} s (bot and fake Bot API together)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
