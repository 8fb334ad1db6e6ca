"""`make eval-knowledge`: recall@5 and MRR of dense, BM25 and hybrid retrieval, and the share of
suggestions that cite a relevant past deal, on two histories: the demo data, and an imported one
worded otherwise and without stage histories (`knowledge.eval.imported`).

The demo CRM (seed 7, today 2026-11-25) is loaded into a SQLite file and indexed with the
configured `EMBEDDING_MODEL` under `var/knowledge-eval/` (kept between runs; `--rebuild` starts
over). Each labelled query is searched at the deal level (`Retriever.search`, k = 10):

- recall@5 = relevant deals in the top 5 / min(5, relevant deals): 1.0 when the top 5 are all
  relevant or hold every relevant deal;
- MRR = mean of 1 / rank of the first relevant deal (0 when none is in the top 10);
- cites relevant = suggestions (`knowledge.suggest`, templated, hybrid) for open deals, each with
  a question about one topic, whose answer cites at least one closed deal on that topic.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from knowledge.eval.facts import EVAL_SEED, EVAL_TODAY
from knowledge.eval.label import QUERIES, labelled, read_queries
from knowledge.filters import Filters
from storage.config import Settings

MODES = ("dense", "bm25", "hybrid")
K = 10
CUT = 5


def recall_at(found: list[int], relevant: set[int], cut: int = CUT) -> float:
    return len(set(found[:cut]) & relevant) / min(cut, len(relevant))


def reciprocal_rank(found: list[int], relevant: set[int]) -> float:
    return next((1.0 / rank for rank, deal in enumerate(found, 1) if deal in relevant), 0.0)


def prepare(workdir: Path, *, rebuild: bool, embedding_model: str | None = None,
            say: Callable[[str], None] = print) -> Settings:
    """Settings pointing at the demo database and its index under `workdir`, built if needed."""
    from storage.demo import load_demo

    def load(session) -> None:
        load_demo(session=session, today=EVAL_TODAY, seed=EVAL_SEED)

    return _prepare(workdir, "demo", load, rebuild=rebuild, embedding_model=embedding_model, say=say)


def _prepare(workdir: Path, name: str, load: Callable[[Any], None], *, rebuild: bool,
             embedding_model: str | None, say: Callable[[str], None]) -> Settings:
    """A SQLite CRM `name`.db under `workdir` filled by `load(session)`, and its index."""
    from knowledge import service
    from storage.db import make_engine, migrate, session_scope

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"{name}.db"
    overrides: dict[str, Any] = {"database_url": f"sqlite:///{db}", "knowledge_dir": str(workdir / "index"),
                                 "knowledge_enabled": True}
    if embedding_model:
        overrides["embedding_model"] = embedding_model
    settings = Settings(_env_file=None, **overrides)
    if rebuild or not db.exists():
        db.unlink(missing_ok=True)
        engine = make_engine(settings.database_url)
        migrate(engine)
        with session_scope(engine) as session:
            load(session)
        engine.dispose()
        rebuild = True
    if rebuild or service.unavailable_reason(settings) is not None:
        say(f"indexing the {name} deals with {settings.embedding_model} ...")
        engine = make_engine(settings.database_url)
        report = service.rebuild(settings, engine)
        engine.dispose()
        say(f"indexed {report.deals} deals, {report.documents} documents in {report.seconds:.1f} s")
    return settings


def evaluate(settings: Settings, queries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    from knowledge import service

    knowledge = service.require(settings)
    results: dict[str, dict[str, Any]] = {}
    for mode in MODES:
        retriever = knowledge.retriever(mode)
        retriever.search(queries[0]["query"], None, K)  # load the model and BM25 outside the timing
        rows = []
        for query in queries:
            filters = Filters.of(**query["filters"]) if query.get("filters") else None
            started = time.perf_counter()
            found = [hit.deal_id for hit in retriever.search(query["query"], filters, K)]
            elapsed = (time.perf_counter() - started) * 1000
            relevant = set(query["relevant"])
            rows.append({"id": query["id"], "lang": query["lang"], "found": found,
                         "recall": recall_at(found, relevant), "rr": reciprocal_rank(found, relevant),
                         "ms": elapsed})
        results[mode] = {"rows": rows, **summary(rows)}
        for lang in ("zh", "en"):
            results[mode][lang] = summary([r for r in rows if r["lang"] == lang])
    return results


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    if not rows:
        return {"recall@5": 0.0, "mrr": 0.0, "n": 0, "p50_ms": 0.0}
    return {"recall@5": statistics.fmean(r["recall"] for r in rows), "mrr": statistics.fmean(r["rr"] for r in rows),
            "n": len(rows), "p50_ms": statistics.median(r["ms"] for r in rows)}


def report(results: dict[str, dict[str, Any]], model: str) -> str:
    lines = [f"knowledge retrieval eval: {results['hybrid']['n']} queries over the demo deals, "
             f"EMBEDDING_MODEL={model}",
             f"{'method':<8} {'recall@5':>9} {'MRR':>7}   {'zh r@5':>7} {'zh MRR':>7}   {'en r@5':>7} {'en MRR':>7}   {'p50 ms':>7}"]
    for mode in MODES:
        r = results[mode]
        lines.append(f"{mode:<8} {r['recall@5']:>9.3f} {r['mrr']:>7.3f}   {r['zh']['recall@5']:>7.3f} "
                     f"{r['zh']['mrr']:>7.3f}   {r['en']['recall@5']:>7.3f} {r['en']['mrr']:>7.3f}   "
                     f"{r['p50_ms']:>7.1f}")
    return "\n".join(lines)


def suggestion_rows(settings: Settings, asks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each ask: {deal, question, lang, relevant}; whether the answer cites a relevant deal."""
    import re

    from sqlmodel import Session

    from knowledge import service
    from knowledge.suggest import suggest
    from storage.db import make_engine
    from storage.models import Opportunity

    knowledge = service.require(settings)
    engine = make_engine(settings.database_url)
    rows = []
    with Session(engine) as session:
        for ask in asks:
            deal = session.get(Opportunity, ask["deal"])
            found = suggest(knowledge, session=session, account_id=deal.account_id, deal_id=deal.id,
                            question=ask["question"], lang=ask["lang"], use_llm=False)
            cited = {int(n) for n in re.findall(r"#(\d+)", found.answer)} if found else set()
            rows.append({**ask, "cited": sorted(cited), "ok": bool(cited & set(ask["relevant"])),
                         "answer": found.answer if found else None})
    engine.dispose()
    return rows


def demo_asks() -> list[dict[str, Any]]:
    """Eight open demo deals that raised an objection, asked about it; relevant: closed deals that
    met the same objection (raised, answered, or lost on it), from the demo's own notes."""
    from knowledge.eval.facts import demo_facts
    from knowledge.vocab import OBJECTION

    _, facts = demo_facts()
    closed = [f for f in facts.values() if f.outcome in ("won", "lost")]
    asks = []
    for deal in sorted(facts.values(), key=lambda f: f.id):
        if deal.outcome != "open" or not deal.objections:
            continue
        topic = sorted(deal.objections)[0]
        name = OBJECTION[deal.lang][topic]
        question = f"客户提出{name}的顾虑，怎么推进" if deal.lang == "zh" else f"how do I handle their {name} concern"
        relevant = sorted(f.id for f in closed
                          if topic in f.objections or topic in f.handled or f.lost_reason == topic)
        asks.append({"deal": deal.id, "question": question, "lang": deal.lang, "relevant": relevant})
        if len(asks) == 8:
            break
    return asks


def prepare_imported(workdir: Path, *, rebuild: bool, embedding_model: str | None = None,
                     say: Callable[[str], None] = print) -> Settings:
    """The imported history (`knowledge.eval.imported`) in a SQLite file under `workdir`, indexed."""
    from knowledge.eval.imported import fixture
    from storage.fixture import import_fixture

    def load(session) -> None:
        import_fixture(fixture(), session=session)

    return _prepare(workdir, "imported", load, rebuild=rebuild, embedding_model=embedding_model, say=say)


def imported_queries() -> list[dict[str, Any]]:
    from knowledge.eval.imported import SEARCHES, relevant

    return [{"id": f"imp-{i:02d}", "lang": lang, "query": query, "filters": {"outcome": ["won", "lost"]},
             "relevant": relevant(topic)} for i, (topic, lang, query) in enumerate(SEARCHES, 1)]


def imported_asks() -> list[dict[str, Any]]:
    from knowledge.eval.imported import QUESTIONS, relevant, topic_of

    return [{"deal": deal, "question": question, "lang": lang, "relevant": relevant(topic_of(deal))}
            for deal, (_account, question, lang) in QUESTIONS.items()]


def advice_report(name: str, rows: list[dict[str, Any]]) -> str:
    ok = sum(r["ok"] for r in rows)
    return f"suggestions citing a relevant past deal ({name}): {ok}/{len(rows)} = {ok / max(1, len(rows)):.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.eval.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", type=Path, default=Path("var/knowledge-eval"),
                        help="where the demo database and its index are kept (default var/knowledge-eval)")
    parser.add_argument("--rebuild", action="store_true", help="reload the demo and re-index it")
    parser.add_argument("--embedding-model", help="override EMBEDDING_MODEL (a model directory)")
    parser.add_argument("--misses", action="store_true", help="list the queries hybrid answers worst")
    parser.add_argument("--json", type=Path, help="also write every query's results to this file")
    args = parser.parse_args(argv)

    stored = read_queries(QUERIES)
    fresh = labelled(stored)
    stale = [q["id"] for q, f in zip(stored, fresh) if q.get("relevant") != f["relevant"]]
    if stale:
        print(f"labels out of date for {', '.join(stale)}: run `python -m knowledge.eval.label`", file=sys.stderr)
        return 2
    settings = prepare(args.workdir, rebuild=args.rebuild, embedding_model=args.embedding_model)
    results = evaluate(settings, fresh)
    print(report(results, settings.embedding_model))
    demo_rows = suggestion_rows(settings, demo_asks())
    print(advice_report("demo, 8 open deals", demo_rows))
    imported = prepare_imported(args.workdir / "imported", rebuild=args.rebuild, embedding_model=args.embedding_model)
    imported_results = evaluate(imported, imported_queries())
    print()
    print(report(imported_results, imported.embedding_model).replace("over the demo deals", "over the imported history"))
    imported_rows = suggestion_rows(imported, imported_asks())
    print(advice_report("imported history, 8 open deals", imported_rows))
    if args.misses:
        by_id = {q["id"]: q for q in fresh}
        worst = sorted(results["hybrid"]["rows"], key=lambda r: (r["recall"], r["rr"]))[:12]
        for row in worst:
            query = by_id[row["id"]]
            print(f"  {row['id']} r@5={row['recall']:.2f} rr={row['rr']:.2f} {query['query']!r} "
                  f"relevant={query['relevant'][:8]} top5={row['found'][:5]}")
    if args.misses:
        for row in demo_rows + imported_rows:
            if not row["ok"]:
                print(f"  no relevant citation: deal {row['deal']} {row['question']!r} relevant={row['relevant']} "
                      f"cited={row['cited']}")
    if args.json:
        results = {"demo": results, "demo_advice": demo_rows, "imported": imported_results,
                   "imported_advice": imported_rows}
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
