"""Benchmark: how long one message holds the database's write transaction.

    .venv/bin/python scripts/bench_turns.py                 # the eval fixture, then + 10,000 accounts / 20,000 contacts
    .venv/bin/python scripts/bench_turns.py --accounts 0 --rounds 50

On SQLite a message's transaction holds the single write lock from its first statement to its
commit (BEGIN IMMEDIATE), so under many chats every other message waits for it: its length is
what problem 8 of the reliability issue is about. A rep's note (→ a card with a visit, a stage
move and a reminder) and its confirm ("1") go through the real conversation loop, rules engine
and tools on a fresh SQLite file; SQLAlchemy's begin/commit events time each transaction. The
knowledge index is off, so the figures are the loop's, the tools' and the database's.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = next(p for p in (ROOT.parent / "shared" / "eval" / "fixture.json", ROOT / "tests" / "data" / "fixture.json")
               if p.exists())
NOTE = "今天上午去蓝鲸拜访了李总，聊了数据平台扩容，进入谈判，金额80万，下周三跟进"


def run(extra_accounts: int, rounds: int) -> dict[str, list[float]]:
    from sqlalchemy import event, insert

    from bot.app import build_app
    from bot.identity import link
    from bot.loop import ConversationLoop
    from bot.messages import IncomingMessage
    from storage.config import Settings
    from storage.db import session_scope
    from storage.fixture import import_fixture
    from storage.models import Account, Contact

    with tempfile.TemporaryDirectory(prefix="bench-turns-") as tmp:
        settings = Settings(_env_file=None, database_url=f"sqlite:///{tmp}/crm.db", knowledge_enabled=False)
        app = build_app(settings)
        with session_scope(app.db) as session:
            import_fixture(json.loads(FIXTURE.read_text(encoding="utf-8")), session=session)
            link(1, "bench", "rep1", chat_id="rep1", session=session, now=app.clock())
        if extra_accounts:
            now, rng = app.clock(), random.Random(3)
            with app.db.begin() as conn:
                conn.execute(insert(Account), [dict(name=f"合成客户{i:05d}", aliases=[], owner_id=rng.choice([1, 2, 3, 4]),
                                                    created_at=now, updated_at=now) for i in range(extra_accounts)])
                first = conn.exec_driver_sql("SELECT min(id) FROM account WHERE name LIKE '合成客户%'").scalar()
                conn.execute(insert(Contact), [dict(name=f"联系人{i:05d}", aliases=[], account_id=first + i % extra_accounts,
                                                    created_at=now) for i in range(2 * extra_accounts)])
        loop = ConversationLoop(app)
        began: dict[int, float] = {}
        held: list[float] = []
        event.listen(app.db, "begin", lambda conn: began.__setitem__(id(conn), time.perf_counter()))
        event.listen(app.db, "commit", lambda conn: held.append(time.perf_counter() - began.pop(id(conn), time.perf_counter())))
        figures: dict[str, list[float]] = {"note": [], "confirm": [], "note handled": [], "confirm handled": []}
        for i in range(rounds + 3):  # the first three warm caches and imports
            for kind, text in (("note", NOTE), ("confirm", "1")):
                del held[:]
                started = time.perf_counter()
                loop.handle_sync(IncomingMessage(platform="bench", chat_id="rep1", external_user_id="rep1",
                                                 message_id=f"{i}-{kind}", text=text))
                if i >= 3:
                    figures[kind].append(max(held, default=0.0) * 1000)
                    figures[f"{kind} handled"].append((time.perf_counter() - started) * 1000)
        app.db.dispose()
        return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, action="append",
                        help="accounts added to the fixture (repeatable; default 0 and 10000, with twice as many contacts)")
    parser.add_argument("--rounds", type=int, default=20, help="notes and confirms timed per size (default 20)")
    args = parser.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    print(f"salesbot turn bench: the longest write transaction of each message, and the whole message handled "
          f"(note, confirm handled), SQLite, rules engine; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for extra in args.accounts or [0, 10_000]:
        figures = run(extra, args.rounds)
        for kind, values in figures.items():
            ordered = sorted(values)
            print(f"  +{extra:>6} accounts  {kind:15s} p50 {statistics.median(values):7.1f} ms   "
                  f"p95 {ordered[int(0.95 * (len(ordered) - 1))]:7.1f} ms   max {ordered[-1]:7.1f} ms   ({len(values)} messages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
