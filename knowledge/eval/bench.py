"""`make bench-knowledge`: index time, query latency (p50/p95) and memory over synthetic deals.

Deals are generated from the demo's note templates (zh and en, 2–5 visits each, won, lost and
open), turned into documents exactly as real ones are, and indexed into a fresh chromadb folder
with the configured `EMBEDDING_MODEL`. Then a mix of Chinese and English questions is searched,
hybrid, with and without filters, and one deal is re-indexed to time how fast the index follows a
write (the next search rebuilds BM25).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import string
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random

from knowledge.documents import documents
from knowledge.filters import Filters
from knowledge.records import DealRecord, VisitRecord
from storage.demo_data.accounts import ACCOUNTS
from storage.demo_data.notes import LOSS_OBJECTIONS, NOTES, OBJECTIONS
from storage.models import Stage

QUERIES = [
    ("因为价格比竞品高而丢掉的项目", None), ("靠现场演示拿下的单子", Filters.of(outcome="won")),
    ("安全评估没通过", None), ("和ERP对接有难度的客户", Filters.of(stage="evaluation")),
    ("预算冻结导致项目取消", Filters.of(outcome="lost")), ("分阶段上线先做试点", None),
    ("deals we lost on price to a cheaper competitor", None),
    ("on-site demo with their own data won the deal", Filters.of(outcome="won")),
    ("how we got through the security review", None), ("champion left and the project stalled", None),
    ("phased rollout to lower the risk", Filters.of(industry="Manufacturing")),
    ("POC with written success criteria", Filters.of(outcome=("won", "lost"), stage="negotiation")),
]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _fill(rng: Random, template: str, values: dict) -> tuple[str, str | None]:
    channel = None
    if template.startswith("@"):
        channel, _, template = template[1:].partition(" ")
    return template.format_map(_Blank(values)), channel


def synthetic_deals(count: int, seed: int = 11, today: date = date(2026, 11, 25)) -> list[DealRecord]:
    """`count` deals told with the demo's templates over the demo's accounts."""
    rng = Random(seed)
    deals = []
    for deal_id in range(1, count + 1):
        account = rng.choice(ACCOUNTS)
        notes = NOTES[account["lang"]]
        outcome = rng.choices([Stage.won, Stage.lost, Stage.evaluation, Stage.negotiation, Stage.prospect],
                              weights=[4, 3, 1, 1, 1])[0]
        path = [Stage.prospect, Stage.evaluation, Stage.negotiation]
        path = path[: path.index(outcome) + 1] if not outcome.is_closed else path + [outcome]
        start = today - timedelta(days=rng.randint(30, 700))
        history, on = [], start
        for stage in path:
            history.append((stage, on))
            on += timedelta(days=rng.randint(5, 50))
        contact = rng.choice(account["contacts"])["name"] if account["contacts"] else "—"
        values = {"c": contact, "product": rng.choice(notes["products"]), "pain": rng.choice(
            notes["pains"].get(account["industry"], notes["pains"]["_"])), "crit": rng.choice(notes["criteria"]),
            "weeks": rng.randint(2, 8), "exec": rng.choice(notes["execs"]), "scope": rng.choice(notes["scopes"]),
            "erp": rng.choice(notes["erps"]), "disc": rng.choice([5, 10, 15]), "amt": "—", "target": "—",
            "comp": rng.choice(notes["competitors"]), "ref": "—", "drivers": "—"}
        visits = []
        loss = rng.choice(list(LOSS_OBJECTIONS)) if outcome is Stage.lost else None
        for n in range(rng.randint(2, 5)):
            day = history[0][1] + timedelta(days=n * rng.randint(3, 20))
            kind = rng.choice(["driver", "objection", "handled", "evaluation", "negotiation"])
            objections: tuple[str, ...] = ()
            if kind in ("driver", "objection", "handled"):
                key = rng.choice(list(notes[kind]))
                template = rng.choice(notes[kind][key])
                objections = (key,) if kind == "objection" else ()
            else:
                template = rng.choice(notes[kind])
            if n == 0:
                template = rng.choice(notes["discovery"])
            if loss and n == 4:
                template = notes["lost"][loss][0]
            text, channel = _fill(rng, template, values)
            visits.append(VisitRecord(id=deal_id * 10 + n, occurred_on=day, channel=channel, summary=text,
                                      next_step=None, objections=objections))
        deals.append(DealRecord(
            id=deal_id, name=f"{values['product']} {deal_id}", account_id=account["id"], account=account["name"],
            industry=account["industry"], region=account["region"], stage=outcome,
            amount=Decimal(rng.randint(50, 3000) * 1000), currency=account["currency"],
            competitor=values["comp"] if loss in ("price", "competitor") else None,
            lost_reason=NOTES[account["lang"]]["lost_reason"][loss].format_map(_Blank(values)) if loss else None,
            closed_on=history[-1][1] if outcome.is_closed else None, history=tuple(history), visits=tuple(visits)))
    return deals


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.eval.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20, help="times each question is asked (default 20)")
    parser.add_argument("--workdir", type=Path, help="index folder (default: a temporary one, removed after)")
    args = parser.parse_args(argv)

    from knowledge.embedder import embedder_for
    from knowledge.index import DealIndex, Manifest, collection_name, create_collection
    from knowledge.retriever import HybridRetriever
    from knowledge.service import add_documents
    from storage.config import Settings

    settings = Settings(_env_file=None)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="salesbot-bench-"))
    try:
        started = time.perf_counter()
        deals = synthetic_deals(args.deals)
        docs = [doc for deal in deals for doc in documents(deal)]
        built_docs = time.perf_counter() - started
        embedder = embedder_for(settings.embedding_model)
        embedder.function  # load the model outside the index timing
        rss_model = rss_mb()
        name = collection_name(settings.embedding_model)
        collection = create_collection(workdir, embedder, name)
        started = time.perf_counter()
        for start in range(0, len(docs), 2000):
            add_documents(collection, docs[start:start + 2000])
            print(f"\r  indexed {min(start + 2000, len(docs))}/{len(docs)} documents "
                  f"({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        index_s = time.perf_counter() - started
        manifest = Manifest(collection=name, embedding_model=settings.embedding_model, database="bench",
                            built_at="", deals=len(deals), documents=len(docs))
        index = DealIndex(workdir, embedder, manifest)
        retriever = HybridRetriever(index)
        started = time.perf_counter()
        retriever.search("warm up 预热", None, 5)
        bm25_s = time.perf_counter() - started
        latencies = []
        for _ in range(args.rounds):
            for query, filters in QUERIES:
                started = time.perf_counter()
                retriever.search(query, filters, 5)
                latencies.append((time.perf_counter() - started) * 1000)
        zh = [ms for i, ms in enumerate(latencies) if i % len(QUERIES) < 6]
        en = [ms for i, ms in enumerate(latencies) if i % len(QUERIES) >= 6]
        follow = deals[0]
        started = time.perf_counter()
        index.replace_deals([follow.id], documents(follow))
        retriever.search("安全评估", None, 5)
        follow_ms = (time.perf_counter() - started) * 1000

        print(f"knowledge benchmark: {len(deals)} synthetic deals, {len(docs)} documents, "
              f"EMBEDDING_MODEL={settings.embedding_model}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"  index time      {index_s:8.1f} s  ({len(docs) / index_s:.0f} documents/s; building the "
              f"documents took {built_docs:.1f} s)")
        print(f"  BM25 load+build {bm25_s:8.2f} s  (first search after start)")
        print(f"  query hybrid    p50 {statistics.median(latencies):6.1f} ms   p95 {percentile(latencies, 0.95):6.1f} ms"
              f"   ({len(latencies)} searches, k=5)")
        print(f"    Chinese       p50 {statistics.median(zh):6.1f} ms   p95 {percentile(zh, 0.95):6.1f} ms   (BM25 only)")
        print(f"    English       p50 {statistics.median(en):6.1f} ms   p95 {percentile(en, 0.95):6.1f} ms   (dense + BM25)")
        print(f"  follow a write  {follow_ms:8.1f} ms  (re-index one deal, then the next search)")
        print(f"  RSS             {rss_mb():8.0f} MB now, {rss_model:.0f} MB after loading the model, "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
