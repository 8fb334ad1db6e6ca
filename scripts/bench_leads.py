#!/usr/bin/env python3
"""Benchmark lead intake: a CSV of `--leads` rows imported against a CRM of `--accounts` accounts,
with matching and routing on, into a fresh SQLite file.

usage: .venv/bin/python scripts/bench_leads.py [--leads 100000] [--accounts 10000] [--seed 5]

The CRM is the demo's users (so config/routing.yaml's names resolve) and `--accounts` synthetic
accounts with two contacts each (phones and emails). The CSV mixes: 20 % rows for existing
customers (the name in Traditional characters, full width, with or without a legal suffix, or only
the contact's phone or email), 10 % the same new company again from another channel, 2 % bad rows
(no company, a bad phone or email), the rest new companies in many regions, industries and sources.
Timed: reading the CSV, validating, matching, routing and writing every lead with its history and
committing (`tools.leads.intake`, as `salesbot leads import` runs it; the CRM set-up and the CSV
writing are not timed). Printed: rows/s in wall-clock and in CPU time (on a shared machine the CPU
figure is the fair one), the outcome counts, and the process's peak RSS before and after the import.
Target: >= 2,000 rows/s.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOG_LEVEL", "WARNING")

SYLLABLES = "蓝鲸 青松 金桥 明远 天衡 瑞丰 海纳 北辰 云帆 华康 星河 远航 长城 东方 新锐 恒通 博雅 智达 安和 鼎盛".split()
TRADITIONAL = str.maketrans({"蓝": "藍", "鲸": "鯨", "桥": "橋", "远": "遠", "丰": "豐", "纳": "納", "辰": "辰",
                             "帆": "帆", "华": "華", "东": "東", "锐": "銳", "通": "通", "达": "達", "鼎": "鼎"})
REGIONS = ["上海", "杭州", "苏州", "北京", "深圳", "广州", "成都", "武汉", "南京", "西安"]
INDUSTRIES = ["医药", "制造", "零售", "教育", "金融", "物流", "能源", "软件"]
SOURCES = ["官网", "展会", "天猫", "京东", "门店", "转介绍", "400热线"]


def build_crm(url: str, n_accounts: int, seed: int) -> list[dict]:
    from storage.db import make_engine, migrate, session_scope
    from storage.demo import load_demo
    from storage.models import Account, Contact

    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        load_demo(session=session)
    rng = random.Random(seed)
    reps = [1, 2, 4, 6, 7]
    now = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
    accounts, contacts = [], []
    for i in range(n_accounts):
        aid = 1000 + i
        name = f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}{i}{rng.choice(['科技', '贸易', '制造', ''])}"
        accounts.append({"id": aid, "name": name, "aliases": [], "owner_id": reps[i % len(reps)],
                         "region": rng.choice(REGIONS), "created_at": now, "updated_at": now})
        for c in range(2):
            contacts.append({"id": 3000 + 2 * i + c, "account_id": aid, "name": f"联系人{i}-{c}", "aliases": [],
                             "phone": f"139{i:05d}{c:03d}", "email": f"c{i}.{c}@corp{i}.cn", "created_at": now})
    with engine.begin() as conn:
        conn.execute(Account.__table__.insert(), accounts)
        conn.execute(Contact.__table__.insert(), contacts)
    engine.dispose()
    return accounts


def write_csv(path: Path, accounts: list[dict], n: int, seed: int) -> None:
    rng = random.Random(seed + 1)
    new: list[list[str]] = []
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["公司", "联系人", "电话", "邮箱", "地区", "行业", "来源", "备注", "统一社会信用代码"])
        for k in range(n):
            roll = rng.random()
            region, industry, source = rng.choice(REGIONS), rng.choice(INDUSTRIES), rng.choice(SOURCES)
            if roll < 0.20:  # an existing customer, written differently
                i = rng.randrange(len(accounts))
                a = accounts[i]
                form = rng.randrange(4)
                company = {0: a["name"].translate(TRADITIONAL) + "有限公司",
                           1: a["name"].replace(str(i), "".join(chr(ord(d) + 0xFEE0) for d in str(i))),
                           2: f"新客户{k}", 3: f"新客户{k}"}[form]
                phone = f"+86 139-{i:05d}-000" if form == 2 else ""
                email = f"C{i}.1@CORP{i}.CN" if form == 3 else ""
                w.writerow([company, "王经理", phone, email, region, industry, source, "", ""])
            elif roll < 0.30 and new:  # the same new company from another channel
                row = list(rng.choice(new))
                row[6] = rng.choice(SOURCES)
                row[0] = row[0] + rng.choice(["有限公司", "", " 股份有限公司"])
                w.writerow(row)
            elif roll < 0.32:  # bad rows
                w.writerow(rng.choice([["", "无名", "13800000000", "", region, industry, source, "", ""],
                                       [f"坏电话{k}", "李", "abc", "", region, industry, source, "", ""],
                                       [f"坏邮箱{k}", "李", "", "no-at-sign", region, industry, source, "", ""]]))
            else:
                row = [f"{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}新{k}", f"联系人{k}", f"137{k:08d}",
                       f"lead{k}@mail{k}.com", region, industry, source, "", ""]
                new.append(row)
                w.writerow(row)


def run_import(url: str, csv_path: Path):
    from sqlmodel import Session

    from storage.db import make_engine
    from tools.lead_import import read_csv
    from tools.lead_rules import load_rules
    from tools.leads import intake

    engine = make_engine(url)
    rules = load_rules(ROOT / "config" / "routing.yaml")
    with Session(engine) as session:
        result = intake(read_csv(csv_path), session=session, rules=rules,
                        now=datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc), actor_id=None)
        session.commit()
    engine.dispose()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        t0 = time.perf_counter()
        accounts = build_crm(url, args.accounts, args.seed)
        csv_path = Path(tmp) / "leads.csv"
        write_csv(csv_path, accounts, args.leads, args.seed)
        print(f"CRM: {args.accounts:,} accounts, {2 * args.accounts:,} contacts; CSV {args.leads:,} rows "
              f"({csv_path.stat().st_size / 1e6:.1f} MB); set-up {time.perf_counter() - t0:.1f} s")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        wall0, cpu0 = time.perf_counter(), time.process_time()
        result = run_import(url, csv_path)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows = args.leads
        print(f"import: {rows:,} rows in {wall:.1f} s wall ({rows / wall:,.0f} rows/s), {cpu:.1f} s CPU "
              f"({rows / cpu:,.0f} rows/s of CPU)  target >= 2,000 rows/s")
        print(f"outcome: imported {result.imported:,}, merged {result.merged:,}, existing customer "
              f"{result.existing_customer:,}, rejected {len(result.rejected):,}, assigned to "
              f"{len(result.assigned)} users ({sum(result.assigned.values()):,} leads)")
        print(f"peak RSS: {rss:.0f} MiB (before the import: {rss_before:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
