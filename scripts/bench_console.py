#!/usr/bin/env python3
"""Cold start to first console reply, and the console's peak RSS.

Starts `salesbot chat --as 1` as a new process on a SQLite copy of the eval fixture, sends one visit
note, and times from process start to the confirmation card; repeats a few times and prints the
median. Peak RSS (VmHWM) is read from /proc before the process quits.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "salesbot"
FIXTURE = ROOT.parent / "shared" / "eval" / "fixture.json"
if not FIXTURE.exists():
    FIXTURE = ROOT / "tests" / "data" / "fixture.json"
MESSAGE = "今天上午去蓝鲸拜访了李总，聊了数据平台扩容的架构，下周三跟进\n"
RUNS = 5


def one_run(env: dict) -> tuple[float, int]:
    started = time.perf_counter()
    proc = subprocess.Popen([str(BIN), "chat", "--as", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, text=True, bufsize=1)
    assert proc.stdin and proc.stdout
    proc.stdin.write(MESSAGE)
    proc.stdin.flush()
    elapsed = None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if "1." in line and ("确认" in line or "Confirm" in line):
            elapsed = time.perf_counter() - started
            break
    rss_kb = 0
    try:
        for row in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if row.startswith("VmHWM:"):
                rss_kb = int(row.split()[1])
    except OSError:
        pass
    proc.stdin.write("3\n/quit\n")
    proc.stdin.flush()
    proc.wait(timeout=30)
    if elapsed is None:
        raise SystemExit("the console never showed a confirmation card:\n" + "".join(seen))
    return elapsed, rss_kb


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "ENGINE"))}
        env.update(DATABASE_URL=f"sqlite:///{tmp}/bench.db", LOG_LEVEL="WARNING")
        subprocess.run([str(BIN), "import", str(FIXTURE)], env=env, check=True, capture_output=True)
        subprocess.run([str(BIN), "chat", "--as", "1"], input="/quit\n", env=env, check=True,
                       capture_output=True, text=True)  # warm the OS file cache once, like a second launch
        results = [one_run(env) for _ in range(RUNS)]
    times = [r[0] for r in results]
    print(json.dumps({"console_cold_start_to_first_reply_s": {"median": round(statistics.median(times), 3),
                                                              "max": round(max(times), 3), "runs": RUNS},
                      "console_peak_rss_mb": round(max(r[1] for r in results) / 1024, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
