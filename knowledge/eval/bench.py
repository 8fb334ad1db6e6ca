"""`make bench-knowledge`: indexing rate, write-to-searchable latency, query latency (p50/p95,
Chinese, English and mixed), first-answer latency after start, and memory, over synthetic deals.

Deals are generated from the demo's note templates (zh and en, 2–5 visits each, won, lost and
open), turned into documents exactly as real ones are, and indexed into a fresh folder with the
configured `EMBEDDING_MODEL` (tokens, batched embedding, one SQLite file). Then, as a bot starts:
the index is opened and a first question answered from BM25 (the model still loading), the
model is loaded, and a mix of Chinese and English questions is searched hybrid, with and without
filters. Last, one deal is re-indexed as a write does and searched for.
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
    ("客户嫌贵 price objection 怎么办", None), ("ERP对接 integration 风险", Filters.of(outcome="won")),
    ("安全评估 security review 通过", None), ("POC 试点 pilot 成功标准", Filters.of(stage="evaluation")),
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
    parser.add_argument("--embedding-model", help="override EMBEDDING_MODEL")
    args = parser.parse_args(argv)

    from knowledge.embedder import embedder_for
    from knowledge.index import DealIndex, Manifest, build_store, collection_name
    from knowledge.retriever import HybridRetriever
    from storage.config import Settings

    settings = Settings(_env_file=None, **({"embedding_model": args.embedding_model} if args.embedding_model else {}))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="salesbot-bench-"))
    try:
        started = time.perf_counter()
        deals = synthetic_deals(args.deals)
        docs = [doc for deal in deals for doc in documents(deal)]
        built_docs = time.perf_counter() - started
        embedder = embedder_for(settings.embedding_model)
        started = time.perf_counter()
        embedder.load()  # outside the index timing
        load_s = time.perf_counter() - started
        rss_model = rss_mb()
        name = collection_name(settings.embedding_model)
        started, cpu = time.perf_counter(), time.process_time()
        batches = (docs[i:i + 2000] for i in range(0, len(docs), 2000))
        build_store(workdir, name, batches, embedder)
        index_s, index_cpu = time.perf_counter() - started, time.process_time() - cpu
        manifest = Manifest(collection=name, embedding_model=settings.embedding_model, database="bench",
                            built_at="", deals=len(deals), documents=len(docs))
        manifest.write(workdir)

        # A bot starting: a fresh embedder (not loaded) and index; the first question is answered
        # from BM25 while the model loads in the background.
        from knowledge.embedder import Embedder

        cold = Embedder(setting=embedder.setting, path=embedder.path)
        started = time.perf_counter()
        index = DealIndex(workdir, cold, manifest)
        HybridRetriever(index).search("客户嫌贵怎么办 price objection", None, 5)
        first_s = time.perf_counter() - started
        index.embedder = embedder  # the model, loaded in the background meanwhile
        retriever = HybridRetriever(index)
        started = time.perf_counter()
        retriever.search("how do I handle their price objection", None, 5)
        first_dense_s = time.perf_counter() - started

        by_lang: dict[str, list[float]] = {"zh": [], "en": [], "mixed": []}
        cpu_by_lang: dict[str, list[float]] = {"zh": [], "en": [], "mixed": []}
        for _ in range(args.rounds):
            for query, filters in QUERIES:
                started, cpu = time.perf_counter(), time.thread_time()
                retriever.search(query, filters, 5)
                by_lang[_lang(query)].append((time.perf_counter() - started) * 1000)
                cpu_by_lang[_lang(query)].append((time.thread_time() - cpu) * 1000)
        every = [ms for values in by_lang.values() for ms in values]

        follow = deals[0]
        marker = "雪豹项目复盘"
        changed = DealRecord(**{**follow.__dict__, "visits": (*follow.visits, VisitRecord(
            id=follow.id * 10 + 9, occurred_on=follow.history[-1][1], channel="phone", summary=marker,
            next_step=None))})
        writes = []
        for _ in range(5):
            started = time.perf_counter()
            index.replace_deals([changed.id], documents(changed))
            found = retriever.search(marker, None, 1)
            writes.append((time.perf_counter() - started) * 1000)
            assert found and found[0].deal_id == changed.id

        print(f"knowledge benchmark: {len(deals)} synthetic deals, {len(docs)} documents, "
              f"EMBEDDING_MODEL={settings.embedding_model}, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"  index            {index_s:8.1f} s  ({len(docs) / index_s:.0f} documents/s; building the "
              f"documents took {built_docs:.1f} s, loading the model {load_s:.1f} s)")
        print(f"                   {index_cpu:8.1f} CPU-s ({len(docs) / index_cpu:.0f} documents per CPU-second of "
              f"this process: what a busy machine leaves it decides the wall-clock rate)")
        print(f"  first answer     {first_s * 1000:8.0f} ms (open the index, read it, BM25; model not loaded)")
        print(f"  first dense      {first_dense_s * 1000:8.0f} ms (first hybrid search once the model is in)")
        print(f"  write→searchable p50 {statistics.median(writes):6.1f} ms (re-index one deal, search finds it; "
              f"{len(writes)} writes)")
        for lang, values in (("mixed", by_lang["mixed"]), ("zh", by_lang["zh"]), ("en", by_lang["en"]),
                             ("all", every)):
            if values:
                cpu = cpu_by_lang.get(lang) or [c for v in cpu_by_lang.values() for c in v]
                print(f"  query {lang:<6}     p50 {statistics.median(values):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms"
                      f"   ({len(values)} hybrid searches, k=5; CPU p50 {statistics.median(cpu):.1f} ms)")
        print(f"  RSS              {rss_mb():8.0f} MB now, {rss_model:.0f} MB after loading the model, "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB peak")
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _lang(query: str) -> str:
    import re

    has_zh = bool(re.search(r"[\u4e00-\u9fff]", query))
    has_en = bool(re.search(r"[A-Za-z]{3,}", query))
    return "mixed" if has_zh and has_en else "zh" if has_zh else "en"


if __name__ == "__main__":
    sys.exit(main())
