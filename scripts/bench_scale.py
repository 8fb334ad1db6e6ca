"""Benchmark: several bot processes sharing one inbox on PostgreSQL.

    .venv/bin/python scripts/bench_scale.py                      # 200 chats; 1, 2, 4 processes; limiter off and on
    .venv/bin/python scripts/bench_scale.py --workers 1 2 --limiter off --database-url postgresql+psycopg://...

Each run starts K `salesbot run --platform telegram --workers-only` processes (INBOX_WORKERS tasks
each) against a fresh PostgreSQL database and the fake Bot API server on loopback. 200 chats then
talk at once, each waiting for the bot's answer before its next message: a visit note (→ a card),
then "1" (→ the visit written), `--rounds` times. Messages enter the inbox as the polling process
stores them (`Inbox.accept`); the figures are messages/s over the run and the latency from the
insert to the bot's answer reaching the server (p50/p99). Then it checks that nothing was lost or
done twice: every chat got exactly its answers, every inbox row is replied, one draft per note and
one visit per confirm. The knowledge index is off (KNOWLEDGE_ENABLED=false), so the figures are the
inbox's and the loop's. With the limiter on (production), sends keep to Telegram's ~30 messages/s.
Without `--database-url` a throwaway PostgreSQL is started with scripts/pg.sh.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from sqlmodel import func, select  # noqa: E402

from bench_telegram import FIXTURES, fresh_database, plan  # noqa: E402
from bot.identity import link  # noqa: E402
from bot.scheduler.prefs import KINDS, updated  # noqa: E402
from bot.inbox import Inbox  # noqa: E402
from bot.messages import IncomingMessage  # noqa: E402
from storage.db import make_engine, migrate, session_scope  # noqa: E402
from storage.fixture import import_fixture  # noqa: E402
from storage.models import Draft, InboxMessage, User, Visit  # noqa: E402
from tests.fakes.telegram_server import FakeBotApi  # noqa: E402


def start_workers(k: int, url: str, api: FakeBotApi, limiter: bool, tasks: int) -> list[subprocess.Popen]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": api.token,
           "TELEGRAM_BASE_URL": api.base_url, "TELEGRAM_BASE_FILE_URL": api.base_file_url,
           "TELEGRAM_FLOOD_LIMITER": "true" if limiter else "false", "INBOX_WORKERS": str(tasks),
           "KNOWLEDGE_ENABLED": "false", "ENGINE": "rules", "LOG_LEVEL": "WARNING", "WHISPER_BACKEND": "none"}
    return [subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--platform", "telegram", "--workers-only"],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(k)]


def stop_workers(procs: list[subprocess.Popen]) -> None:
    """SIGTERM, wait (a process that does not stop within 30 s is killed)."""
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def run(k: int, url: str, chats: int, rounds: int, limiter: bool, tasks: int) -> str:
    db = make_engine(url)
    migrate(db)
    fixture = next(p for p in FIXTURES if p.exists())
    rows = plan(chats)
    with session_scope(db) as session:
        import_fixture(json.loads(fixture.read_text(encoding="utf-8")), session=session)
        for tg_id, rep, _ in rows:
            link(rep, "telegram", str(tg_id), chat_id=str(tg_id), session=session, now=_now())
        for user in session.exec(select(User)).all():  # only answers in the chats: no briefs or digests
            user.preferences = updated(user, off=KINDS)
        visits_before = session.exec(select(func.count()).select_from(Visit)).one()
    inbox = Inbox(db)
    latencies: list[float] = []
    async with FakeBotApi() as api:
        procs = start_workers(k, url, api, limiter, tasks)
        try:
            await api.wait_for(lambda: len(api.calls_of("getMe")) >= k, timeout=120)
            await settled(procs)

            async def chat(tg_id: int, account: str) -> None:
                n = 0
                for r in range(rounds):
                    for text in (f"今天拜访了{account}，聊了扩容方案", "1"):
                        n += 1
                        msg = IncomingMessage(platform="telegram", chat_id=str(tg_id), external_user_id=str(tg_id),
                                              message_id=f"{r}-{text[:1]}-{n}", text=text)
                        sent = time.monotonic()
                        await inbox.accept(msg)
                        await api.wait_for_bot_messages(tg_id, n, timeout=300)
                        latencies.append(time.monotonic() - sent)

            started, machine_before, harness_before = time.monotonic(), machine_cpu(), own_cpu()
            workers_before = sum(process_cpu(proc.pid) for proc in procs)
            await asyncio.gather(*(chat(tg_id, account) for tg_id, _, account in rows))
            wall = time.monotonic() - started
            machine, harness = machine_cpu() - machine_before, own_cpu() - harness_before
            working = sum(process_cpu(proc.pid) for proc in procs) - workers_before
            await asyncio.sleep(1.0)  # anything answered twice would show now
            answers = {tg_id: api.bot_message_count(tg_id) for tg_id, _, _ in rows}
        finally:
            stop_workers(procs)
            for proc in procs:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                if proc.returncode not in (0, -signal.SIGTERM) and err:
                    print(f"    worker exited {proc.returncode}: {err[-500:]}")
    with session_scope(db) as session:
        drafts = session.exec(select(func.count()).select_from(Draft)).one()
        visits = session.exec(select(func.count()).select_from(Visit)).one() - visits_before
        open_rows = session.exec(select(func.count()).select_from(InboxMessage)
                                 .where(InboxMessage.state != "replied")).one()
    db.dispose()
    total = chats * rounds * 2
    exact = sum(1 for n in answers.values() if n == rounds * 2)
    q = statistics.quantiles(latencies, n=100)
    lost = total - sum(min(n, rounds * 2) for n in answers.values())
    return (f"  {k} process{'es' if k > 1 else '  '}: {total} messages in {wall:6.2f} s = {total / wall:6.1f}/s   "
            f"p50 {q[49] * 1000:6.0f} ms  p99 {q[98] * 1000:6.0f} ms\n"
            f"     CPU seconds over the run: workers {working:5.1f} ({working / total * 1000:.0f} ms a message), "
            f"harness {harness:4.1f}, PostgreSQL and the rest {machine - working - harness:5.1f}; machine busy "
            f"{machine:5.1f} of {wall * (os.cpu_count() or 1):5.1f}\n     "
            f"lost {lost}, chats answered exactly {exact}/{chats}, open rows {open_rows}, "
            f"drafts {drafts}/{chats * rounds}, visits {visits}/{chats * rounds}")


async def settled(procs: list[subprocess.Popen], *, timeout: float = 120.0) -> None:
    """Wait until the workers have finished starting: their background warm-up (analytics
    libraries) would otherwise be counted in the run. Settled = together under 5 % of a core
    for three seconds in a row."""
    deadline, quiet = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and quiet < 3:
        before = sum(process_cpu(proc.pid) for proc in procs)
        await asyncio.sleep(1.0)
        quiet = quiet + 1 if sum(process_cpu(proc.pid) for proc in procs) - before < 0.05 else 0


def own_cpu() -> float:
    """CPU seconds of this process: the chats, the inbox inserts and the fake Bot API server."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> float:
    """CPU seconds the whole machine has spent busy (all processes: workers, PostgreSQL, this)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def throwaway_postgres() -> tuple[str, Path]:
    folder = Path(tempfile.mkdtemp(prefix="salesbot-bench-pg-"))
    done = subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "start", str(folder)],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1], folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="note + confirm pairs per chat")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="processes per run")
    parser.add_argument("--tasks", type=int, default=8, help="INBOX_WORKERS of each process")
    parser.add_argument("--limiter", choices=["both", "on", "off"], default="both")
    parser.add_argument("--database-url", metavar="POSTGRES_URL", help="a PostgreSQL server (default: a throwaway one)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    server, folder = (args.database_url, None) if args.database_url else throwaway_postgres()
    try:
        print(f"salesbot scale bench: {args.chats} chats, {args.rounds} x (note, confirm) each, PostgreSQL, "
              f"rules engine, {args.tasks} tasks a process; {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}")
        for limiter in {"both": [False, True], "on": [True], "off": [False]}[args.limiter]:
            print(f"Telegram rate limiter {'on (production)' if limiter else 'off'}:")
            for k in args.workers:
                with fresh_database(server) as url:
                    print(asyncio.run(run(k, url, args.chats, args.rounds, limiter, args.tasks)), flush=True)
    finally:
        if folder is not None:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", str(folder)], capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
