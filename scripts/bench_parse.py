#!/usr/bin/env python3
"""Benchmark the rules engine: throughput and latency on one core, cold start, memory.

usage: .venv/bin/python scripts/bench_parse.py [--cases ../shared/eval/dev.jsonl]
                                               [--fixture ../shared/eval/fixture.json] [--rounds 30]

Throughput and p50/p99 latency come from parsing every case `rounds` times in this process (the
Directory and its name index built once, as in the bot), pinned to one core. Latency is given as
wall time and as CPU time of the thread: on a shared machine the wall-time tail also measures the
other processes (the load average is printed). Cold start is measured in a fresh process: import
the engine, build the Directory from the fixture, parse one message.

`--crm-accounts N --crm-contacts M` (what `make bench` runs second: 10,000 and 20,000) repeats
throughput and latency over a synthetic CRM of that size (scripts/synthetic_crm.py: the fixture's
names plus generated ones, many contacts sharing a surname), and times the name directory: the
full build of its name index, and the incremental re-index after one contact is added.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
SHARED = ROOT.parent / "shared" / "eval"

_COLD = r"""
import json, sys, time
t0 = time.perf_counter()
from datetime import datetime
from zoneinfo import ZoneInfo
from intents.base import ParseContext, UserInfo
from intents.rules import RulesEngine
from storage.names import Directory, Entry
t1 = time.perf_counter()
fixture = json.load(open(sys.argv[1], encoding="utf-8"))
accounts = [Entry("account", a["id"], a["name"], tuple(a.get("aliases", ())), owner_id=a.get("owner_id"))
            for a in fixture["accounts"]]
contacts = [Entry("contact", 1000 * a["id"] + i, c["name"], tuple(c.get("aliases", ())), account_id=a["id"])
            for a in fixture["accounts"] for i, c in enumerate(a.get("contacts", []))]
users = [Entry("user", u["id"], u["name"], tuple(u.get("aliases", ()))) for u in fixture["users"]]
deals = [Entry("opportunity", o["id"], o["name"], account_id=o["account_id"]) for o in fixture.get("opportunities", [])
         if o.get("stage") not in ("won", "lost")]
directory = Directory(accounts=accounts, contacts=contacts, users=users, opportunities=deals)
user = UserInfo(id=1, name="王磊", role="rep", language="zh", timezone="Asia/Shanghai")
ctx = ParseContext(user=user, now=datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Asia/Shanghai")), directory=directory)
t2 = time.perf_counter()
parse = RulesEngine().parse(sys.argv[2], ctx)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "directory": t2 - t1, "first_parse": t3 - t2, "calls": len(parse.calls)}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, default=SHARED / "dev.jsonl")
    ap.add_argument("--fixture", type=Path, default=SHARED / "fixture.json")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--crm-accounts", type=int, default=0, help="synthetic CRM size (0: the fixture alone)")
    ap.add_argument("--crm-contacts", type=int, default=0)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    if args.crm_accounts:
        return _scale(args)
    cold_text = "昨天下午上门拜访了北辰汽车，许工和邓总都在，开始走合同。提醒我下周一跟进法务的意见"
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _COLD, str(args.fixture), cold_text], cwd=ROOT,
                         capture_output=True, text=True, check=True)
    cold_wall = time.perf_counter() - started
    cold = json.loads(out.stdout.strip().splitlines()[-1])

    from datetime import datetime
    from zoneinfo import ZoneInfo

    from intents.base import ParseContext, UserInfo
    from storage.db import make_engine, migrate, session_scope
    from storage.fixture import import_fixture
    from storage.names import load_directory

    fixture = json.loads(args.fixture.read_text(encoding="utf-8"))
    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    db = make_engine("sqlite://")
    migrate(db)
    with session_scope(db) as session:
        import_fixture(fixture, session=session)
    with session_scope(db) as session:
        directory = load_directory(session=session)
    tz = ZoneInfo(fixture.get("timezone", "Asia/Shanghai"))
    users = {u["id"]: UserInfo(id=u["id"], name=u["name"], role=u.get("role", "rep"), language=u.get("lang", "zh"),
                               timezone=str(tz), manager_id=u.get("manager_id")) for u in fixture["users"]}
    contexts = [(c["text"], ParseContext(user=users[c["user"]], now=datetime.fromisoformat(c["now"]).replace(tzinfo=tz),
                                         directory=directory, default_currency=fixture.get("default_currency", "CNY")))
                for c in cases]
    _throughput(contexts, args.rounds)
    print(f"cold start           {cold['import'] + cold['directory'] + cold['first_parse']:.3f} s "
          f"(import {cold['import']:.3f} s, directory {cold['directory']:.3f} s, first parse {cold['first_parse']:.3f} s; "
          f"process wall {cold_wall:.3f} s)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS             {rss_mb:.0f} MB (this process, SQLite fixture included)")
    return 0


def _throughput(contexts: list, rounds: int) -> None:
    from intents.rules import RulesEngine

    engine = RulesEngine()
    for text, ctx in contexts:  # warm the caches once, as a running bot would be
        engine.parse(text, ctx)
    wall, cpu = [], []
    started, cpu_started = time.perf_counter(), time.thread_time()
    for _ in range(rounds):
        for text, ctx in contexts:
            t0, c0 = time.perf_counter(), time.thread_time()
            engine.parse(text, ctx)
            cpu.append(time.thread_time() - c0)
            wall.append(time.perf_counter() - t0)
    total, cpu_total = time.perf_counter() - started, time.thread_time() - cpu_started
    n = len(wall)
    print(f"messages parsed      {n} ({len(contexts)} cases x {rounds} rounds, one core; "
          f"load average {os.getloadavg()[0]:.1f})")
    print(f"throughput           {n / total:,.0f} messages/s wall, {n / cpu_total:,.0f} messages/s of CPU")
    for name, values in (("wall", wall), ("CPU", cpu)):
        values.sort()
        print(f"latency p50 / p99    {statistics.median(values) * 1e3:.3f} ms / {values[int(n * 0.99) - 1] * 1e3:.3f} ms"
              f"   (max {values[-1] * 1e3:.3f} ms, {name})")


def _scale(args) -> int:
    """Parse speed and name-directory build time over a synthetic CRM of the requested size."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from intents.base import ParseContext
    from intents.batch import load_fixture
    from intents.rules.mentions import NameIndex, index_for
    from storage.names import Directory, Entry
    from synthetic_crm import synthetic_directory

    fixture = json.loads(args.fixture.read_text(encoding="utf-8"))
    loaded = load_fixture(fixture)
    started = time.perf_counter()
    directory = synthetic_directory(loaded.directory, accounts=args.crm_accounts, contacts=args.crm_contacts)
    snapshot = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.thread_time()
    index = index_for(directory)
    build, build_cpu = time.perf_counter() - started, time.thread_time() - cpu_started
    grown = Directory(accounts=directory.accounts, users=directory.users, opportunities=directory.opportunities,
                      contacts=directory.contacts + [Entry("contact", 10**9, "王新来", account_id=directory.accounts[0].id)])
    started, cpu_started = time.perf_counter(), time.thread_time()
    NameIndex(grown, base=index)
    rebuild, rebuild_cpu = time.perf_counter() - started, time.thread_time() - cpu_started
    print(f"synthetic CRM        {len(directory.accounts):,} accounts, {len(directory.contacts):,} contacts, "
          f"{len(directory.opportunities):,} open deals (Directory snapshot {snapshot:.3f} s)")
    print(f"directory build      {build:.3f} s wall, {build_cpu:.3f} s CPU (name index, from nothing)")
    print(f"incremental rebuild  {rebuild:.3f} s wall, {rebuild_cpu:.3f} s CPU (one contact added)")
    tz = ZoneInfo(fixture.get("timezone", "Asia/Shanghai"))
    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    contexts = [(c["text"], ParseContext(user=loaded.users[c["user"]], now=datetime.fromisoformat(c["now"]).replace(tzinfo=tz),
                                         directory=directory, default_currency=fixture.get("default_currency", "CNY")))
                for c in cases]
    _throughput(contexts, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
