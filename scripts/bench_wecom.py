"""Benchmark: N WeCom members writing at once, through the fake WeCom server on loopback (signed,
AES-encrypted callbacks to the real adapter's callback URL; message/send and update_template_card
back), the real conversation loop, rules engine and database; then the Telegram bench on the same
machine for comparison.

    .venv/bin/python scripts/bench_wecom.py                  # 100 members, SQLite, Telegram too
    .venv/bin/python scripts/bench_wecom.py --chats 200 --telegram none

Each member sends a visit note (→ a confirmation card), then presses Confirm (→ a visit written and
the card updated). Prints wall time, throughput and per-member latency (callback posted → the bot's
message/send, or update_template_card, reaching the server) for both rounds, and checks every
member got their own answer and every visit was written once. A 3-member warm-up round runs
first (not counted), so neither platform's figures include loading the tokenizer and lexicons.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.adapters.wecom.adapter import WeComAdapter  # noqa: E402
from bot.adapters.wecom.api import WeComApi  # noqa: E402
from bot.adapters.wecom.config import WeComConfig  # noqa: E402
from bot.loop import ConversationLoop  # noqa: E402
from scripts.bench_telegram import (OWN, bench as telegram_bench, correctness, fresh_database,  # noqa: E402
                                    prepared_app, summary)
from tests.fakes.wecom_server import FakeWeCom  # noqa: E402


def plan(chats: int) -> list[tuple[str, int, str]]:
    reps = sorted(OWN)
    return [(f"bench-{i:04d}", reps[i % 3], OWN[reps[i % 3]][(i // 3) % len(OWN[reps[i % 3]])])
            for i in range(chats)]


async def bench(chats: int, url: str) -> list[str]:
    rows = plan(chats)
    app, visits_before = prepared_app(url, "wecom", rows)

    lines = []
    async with FakeWeCom() as wecom:
        config = WeComConfig(corp_id=wecom.corp_id, agent_id=wecom.agent_id, secret=wecom.secret,
                             token=wecom.token, encoding_aes_key=wecom.aes_key, api_base=wecom.base_url,
                             host="127.0.0.1", port=0)
        api = WeComApi(config.api_base, config.corp_id, config.secret, config.agent_id)
        adapter = WeComAdapter(ConversationLoop(app), config, api=api)
        await adapter.start()
        wecom.callback_url = adapter.callback_url
        try:
            members = {user_id: wecom.member(user_id, user_id) for user_id, _, _ in rows}
            sends: dict[str, float] = {}

            async def note(user_id: str, account: str) -> None:
                sends[user_id] = time.monotonic()
                answer = await members[user_id].send_text(f"今天拜访了{account}，聊了扩容方案")
                assert answer.status == 200, answer

            started = time.monotonic()
            await asyncio.gather(*(note(u, a) for u, _, a in rows))
            await wecom.wait_for(lambda: all(wecom.messages(u) for u in members), timeout=300)
            finished = time.monotonic()
            latencies = [wecom.messages(u)[0].at - sends[u] for u in members]
            cards = {u: wecom.messages(u)[-1] for u in members}
            wrong = [u for u, _, account in rows
                     if cards[u].msgtype != "template_card" or account not in "".join(m.text for m in wecom.messages(u))]
            lines.append(summary("note", started, finished, latencies, chats))

            updates_before = len(wecom.calls_of("message/update_template_card"))
            presses: dict[str, float] = {}

            async def press(user_id: str) -> None:
                card = cards[user_id]
                presses[user_id] = time.monotonic()
                answer = await members[user_id].press(card, card.button("confirm"))
                assert answer.status == 200, answer

            started = time.monotonic()
            await asyncio.gather(*(press(u) for u in members))
            await wecom.wait_for(lambda: all(cards[u].decided for u in members), timeout=300)
            finished = time.monotonic()
            decided_at = {c.body["userids"][0]: c.at for c in wecom.calls_of("message/update_template_card")
                          [updates_before:]}
            latencies = [decided_at[u] - presses[u] for u in members]
            lines.append(summary("confirm", started, finished, latencies, chats))
            await adapter.idle()
        finally:
            await adapter.stop()
    lines.append(correctness(app.db, visits_before, chats, wrong))
    app.db.dispose()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--database-url", metavar="POSTGRES_URL",
                        help="a PostgreSQL server to create a fresh database on (default: a new SQLite file)")
    parser.add_argument("--telegram", choices=["both", "on", "off", "none"], default="off",
                        help="the Telegram bench beside it: PTB's AIORateLimiter off (what the bot itself "
                             "can do, like WeCom here), on (production), both, or none")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"salesbot wecom bench: {args.chats} members at once, {backend}, rules engine")
    with fresh_database(args.database_url) as url:  # warm-up: tokenizer, lexicons, imports; not counted
        asyncio.run(bench(3, url))
    started = time.process_time()
    with fresh_database(args.database_url) as url:
        for line in asyncio.run(bench(args.chats, url)):
            print(line)
    print(f"  CPU time of this process: {time.process_time() - started:.1f} s")
    modes = {"both": [False, True], "on": [True], "off": [False], "none": []}[args.telegram]
    for flood_limiter in modes:
        print(f"telegram, same machine, AIORateLimiter {'on (production)' if flood_limiter else 'off'}:")
        started = time.process_time()
        with fresh_database(args.database_url) as url:
            for line in asyncio.run(telegram_bench(args.chats, url, flood_limiter)):
                print(line)
        print(f"  CPU time of this process: {time.process_time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
