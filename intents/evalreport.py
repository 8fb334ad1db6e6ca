"""`make eval`'s summary of one eval set: case accuracy, cases asked about, cases with a wrong call.

usage: python -m intents.evalreport GOLD.jsonl PRED.jsonl [--score ../shared/eval/score.py] [--held-out]

Scoring is `score.py`'s own (imported from beside the gold file, never copied). A case is *asked*
when the engine made no call and offered readings to choose from (the `asked` field of `salesbot
parse --batch`); *wrong* when it made calls and they do not match the gold ones: a wrong card a
user would have to catch. `--held-out` adds the same figures for the cases the intent classifier
never trained on (see `intents.classify.train.in_training_half`).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path


def _scorer(path: Path):
    spec = importlib.util.spec_from_file_location("eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary(scorer, gold: list[dict], pred: dict, tables) -> dict:
    result = scorer.score(gold, pred, tables)
    missed = {m["id"] for m in result["misses"]}
    asked = sum(1 for g in gold if pred.get(g["id"], {}).get("asked"))
    wrong = sum(1 for g in gold if g["id"] in missed and pred.get(g["id"], {}).get("calls"))
    right_when_asked = sum(1 for g in gold if pred.get(g["id"], {}).get("asked") and g["id"] not in missed)
    return {"cases": len(gold), "accuracy": result["case_accuracy"], "asked": asked, "wrong": wrong,
            "asked_yet_right": right_when_asked}


def _line(name: str, s: dict) -> str:
    return (f"{name:<16} cases {s['cases']:>4}  case_accuracy {s['accuracy']:.3f}  asked {s['asked']:>3}  "
            f"wrong call {s['wrong']:>3} ({s['wrong'] / max(1, s['cases']):.1%})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("pred", type=Path)
    ap.add_argument("--score", type=Path, help="score.py (default: beside the gold file)")
    ap.add_argument("--fixture", type=Path, help="fixture.json (default: beside the gold file)")
    ap.add_argument("--held-out", action="store_true", help="also the cases the classifier never trained on")
    a = ap.parse_args(argv)
    scorer = _scorer(a.score or a.gold.with_name("score.py"))
    tables = scorer.build_aliases(json.loads((a.fixture or a.gold.with_name("fixture.json")).read_text(encoding="utf-8")))
    gold = [json.loads(line) for line in a.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    pred = {}
    for line in a.pred.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pred[row.get("id")] = row
    print(_line(a.gold.stem, summary(scorer, gold, pred, tables)))
    if a.held_out:
        from intents.classify.train import in_training_half

        unseen = [g for g in gold if not in_training_half(g["id"])]
        print(_line(a.gold.stem + " unseen", summary(scorer, unseen, pred, tables)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
