"""Train the intent classifier (`make train-intents`): `python -m intents.classify.train`.

Data: every case of dev.jsonl, the training half of dev2.jsonl (`in_training_half`: even case
numbers; the odd half is never seen and is what `make eval` reports apart), and a corpus generated
from templates (`corpus.generate`), of which a fifth is held out. Texts are masked exactly as at
run time (names and values found by the rules replaced by placeholders), so the model learns how
requests are phrased. A one-vs-rest logistic regression per tool over tf-idf features; fixed seeds,
so the same data gives the same artefact. Prints accuracy (the exact set of tools) on both held-out
parts, then writes `intents/classify/intents.npz`.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from intents.base import ParseContext, UserInfo
from intents.classify import corpus
from intents.classify.features import analyze
from intents.classify.model import ARTEFACT, IntentModel, load
from intents.classify import masked_text
from intents.rules.facts import gather
from intents.rules.text import prepare
from storage.names import Directory

TOOLS = ("log_visit", "update_opportunity", "create_quote", "approve_quote", "reject_quote", "create_reminder",
         "list_reminders", "list_pending_approvals", "top_accounts", "pipeline_report", "account_overview",
         "suggest_next_steps", "data_health", "reassign_accounts", "sales_forecast", "account_potential")
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
_NOW = datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
_USER = UserInfo(id=1, name="王磊", role="rep", language="zh", timezone="Asia/Shanghai")


def in_training_half(case_id: str) -> bool:
    """dev2 cases the classifier may learn from: even case numbers (e002, e004, …)."""
    digits = "".join(ch for ch in str(case_id) if ch.isdigit())
    return bool(digits) and int(digits) % 2 == 0


def mask_with(text: str, directory: Directory, now: datetime = _NOW) -> str:
    ctx = ParseContext(user=_USER, now=now, directory=directory)
    return masked_text(gather(prepare(text), ctx))


def _cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _labelled(cases: list[dict], directory: Directory) -> list[tuple[str, tuple[str, ...]]]:
    out = []
    for case in cases:
        now = datetime.fromisoformat(case["now"]).replace(tzinfo=_NOW.tzinfo)
        out.append((mask_with(case["text"], directory, now), tuple(sorted({c["name"] for c in case["calls"]}))))
    return out


def fit(examples: list[tuple[str, tuple[str, ...]]], *, c: float = 30.0) -> IntentModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, min_df=2, dtype=np.float64)
    x = vectorizer.fit_transform([text for text, _ in examples])
    coef, intercept = [], []
    for tool in TOOLS:
        y = np.array([tool in labels for _, labels in examples], dtype=int)
        clf = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
        clf.fit(x, y)
        coef.append(clf.coef_[0])
        intercept.append(clf.intercept_[0])
    return IntentModel(labels=TOOLS, vocab=dict(vectorizer.vocabulary_), idf=vectorizer.idf_,
                       coef=np.array(coef), intercept=np.array(intercept))


def tool_set(probs: dict[str, float], threshold: float = 0.5) -> tuple[str, ...]:
    return tuple(sorted(t for t, p in probs.items() if p >= threshold))


def accuracy(model: IntentModel, examples: list[tuple[str, tuple[str, ...]]]) -> float:
    hits = sum(tool_set(model.predict(text)) == labels for text, labels in examples)
    return hits / len(examples) if examples else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=SHARED)
    ap.add_argument("--generated", type=int, default=6000)
    ap.add_argument("--out", type=Path, default=ARTEFACT)
    a = ap.parse_args(argv)
    started = time.perf_counter()
    from intents.batch import load_fixture

    fixture_dir = load_fixture(json.loads((a.eval_dir / "fixture.json").read_text(encoding="utf-8"))).directory
    dev = _cases(a.eval_dir / "dev.jsonl")
    dev2 = _cases(a.eval_dir / "dev2.jsonl")
    dev2_train = [c for c in dev2 if in_training_half(c["id"])]
    dev2_held = [c for c in dev2 if not in_training_half(c["id"])]
    synthetic = corpus.directory()
    generated = [(mask_with(text, synthetic), labels) for text, labels in corpus.generate(a.generated, seed=7)]
    cut = len(generated) * 4 // 5
    gen_train, gen_held = generated[:cut], generated[cut:]
    train = _labelled(dev, fixture_dir) + _labelled(dev2_train, fixture_dir) + gen_train
    model = fit(train)
    model.save(a.out)
    reloaded = load(a.out)  # the figures are those of the stored (float16) model
    print(f"trained on {len(train)} examples ({len(dev)} dev, {len(dev2_train)} dev2 training half, "
          f"{len(gen_train)} generated) in {time.perf_counter() - started:.1f} s; "
          f"{len(reloaded.vocab)} features, {a.out.stat().st_size / 1e6:.2f} MB")
    print(f"tool-set accuracy, held out: generated {accuracy(reloaded, gen_held):.3f} ({len(gen_held)}), "
          f"dev2 odd half {accuracy(reloaded, _labelled(dev2_held, fixture_dir)):.3f} ({len(dev2_held)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
