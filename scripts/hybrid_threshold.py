#!/usr/bin/env python3
"""How sure must the rules engine be before the hybrid engine trusts it without asking a model?

Parses the dev set (or any set in its format, e.g. tests/intents/llm/data/heldout.jsonl) with the
rules engine through the same batch contract as `salesbot parse`, scores every case with the eval's
score.py, and prints, for each confidence threshold, how many cases the hybrid engine would answer
offline (`HybridEngine.accepts`) and how many of those are right. No model is called.

usage: python scripts/hybrid_threshold.py [--gold DEV.jsonl] [--fixture fixture.json] [--score score.py]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


class Recorder:
    """Delegates to the rules engine and keeps each Parse, in order."""

    name = "rules"

    def __init__(self) -> None:
        from intents.rules import RulesEngine

        self.rules = RulesEngine()
        self.parses = []

    def parse(self, text, ctx):
        parse = self.rules.parse(text, ctx)
        self.parses.append(parse)
        return parse


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=EVAL / "dev.jsonl")
    ap.add_argument("--fixture", type=Path, default=EVAL / "fixture.json")
    ap.add_argument("--score", type=Path, default=EVAL / "score.py")
    ap.add_argument("--show-misses", action="store_true", help="list the cases the rules engine got wrong")
    ap.add_argument("--show-unsure", action="store_true", help="list the cases below the top confidence")
    a = ap.parse_args(argv)

    from intents.batch import parse_batch
    from intents.llm.hybrid import HybridEngine

    scorer = load_scorer(a.score)
    fixture = json.loads(a.fixture.read_text(encoding="utf-8"))
    gold = [json.loads(line) for line in a.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    recorder = Recorder()
    predictions = {row["id"]: row for row in parse_batch(fixture, gold, engine=recorder)}
    result = scorer.score(gold, predictions, scorer.build_aliases(fixture))
    wrong = {m["id"] for m in result["misses"]}
    cases = [(row["id"], parse, row["id"] not in wrong) for row, parse in zip(gold, recorder.parses)]
    if a.show_misses:
        by_id = {i: p for i, p, _ in cases}
        for miss in result["misses"]:
            parse = by_id[miss["id"]]
            print(f"{miss['id']} conf={parse.confidence:.2f} questions={len(parse.questions)} {miss['text']}")
            for line in miss["wrong"] + [f"missing {m}" for m in miss["missing"]] + [f"extra {e}" for e in miss["extra"]]:
                print(f"    {line}")
    if a.show_unsure:
        top = max(p.confidence for _, p, _ in cases)
        for case_id, parse, ok in sorted(cases, key=lambda c: c[1].confidence):
            if parse.confidence < top:
                print(f"{case_id} conf={parse.confidence:.3f} calls={len(parse.calls)} "
                      f"questions={len(parse.questions)} {'right' if ok else 'WRONG'}")
    print(f"rules engine alone: {len(cases)} cases, case accuracy {result['case_accuracy']:.3f}")
    print(f"{'threshold':>9} {'offline':>8} {'right':>6} {'precision':>10} {'to LLM':>7} {'rules right there':>18}")
    for t in THRESHOLDS:
        hybrid = HybridEngine(recorder.rules, None, threshold=t)
        taken = [ok for _, p, ok in cases if hybrid.accepts(p)]
        rest = [ok for _, p, ok in cases if not hybrid.accepts(p)]
        precision = sum(taken) / len(taken) if taken else 1.0
        print(f"{t:>9.2f} {len(taken):>8} {sum(taken):>6} {precision:>10.3f} {len(rest):>7} {sum(rest):>18}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
