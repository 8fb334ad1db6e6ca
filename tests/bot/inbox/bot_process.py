"""A Telegram bot process for the fault-injection tests: the real adapter, loop and inbox against
the fake Bot API server of the test that starts it. With `--pause-in STAGE` each message stops for
`--pause` seconds at that stage and writes a line to `--marks` first, so the test can SIGKILL the
process exactly there:

    transaction   inside the message's transaction, after its writes, before its commit
    handled       after the commit, before the replies are sent
"""
from __future__ import annotations

import argparse
import asyncio
import os
import time

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.config import TelegramConfig
from bot.app import build_app
from bot.loop import ConversationLoop
from storage.config import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--api", required=True, help="the fake server's base URL (…/bot)")
    parser.add_argument("--token", required=True)
    parser.add_argument("--marks", required=True)
    parser.add_argument("--pause-in", choices=["transaction", "handled"])
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--lease", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    def mark(line: str) -> None:
        with open(args.marks, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {line}\n")
            out.flush()

    settings = Settings(_env_file=None, database_url=args.db, inbox_lease_seconds=args.lease,
                        inbox_workers=args.workers)
    app = build_app(settings, run_migrations=False)
    loop = ConversationLoop(app)

    class Pausing:
        """The real loop; pauses inside the transaction when told to."""

        def __init__(self) -> None:
            self.app = app

        async def handle(self, msg, *, progress=None, before_commit=None):
            def pausing(session, outcome):
                if args.pause_in == "transaction":
                    mark(f"transaction {msg.chat_id} {msg.message_id}")
                    time.sleep(args.pause)
                before_commit(session, outcome)

            return await loop.handle(msg, progress=progress, before_commit=pausing)

    base = args.api.rsplit("/bot", 1)[0]
    config = TelegramConfig(token=args.token, base_url=args.api, base_file_url=base + "/file/bot")
    adapter = TelegramAdapter(Pausing(), config, poll_timeout=1, flood_limiter=False)
    deliver = adapter.worker.deliver

    async def pausing_deliver(item, outcome):
        if args.pause_in == "handled":
            mark(f"handled {item.message.chat_id} {item.message.message_id}")
            await asyncio.sleep(args.pause)
        await deliver(item, outcome)

    adapter.worker.deliver = pausing_deliver
    mark("started")
    asyncio.run(adapter.serve())


if __name__ == "__main__":
    main()
