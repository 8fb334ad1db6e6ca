"""The trained intent model at run time: numpy only (scikit-learn is needed to train it, not to use it).

The artefact (`intents/classify/intents.npz`, built by `make train-intents`) holds the feature
vocabulary, the tf-idf weights and one logistic-regression row per tool of CONTRACT.md. `predict`
gives, for a masked message, the probability that each tool is among its calls (multi-label: a
message may ask for several). Loading takes a few tens of milliseconds; a prediction well under one.
"""
from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from intents.classify.features import analyze

ARTEFACT = Path(__file__).with_name("intents.npz")


@dataclass(frozen=True)
class IntentModel:
    labels: tuple[str, ...]
    vocab: dict[str, int]
    idf: np.ndarray  # (features,)
    coef: np.ndarray  # (labels, features)
    intercept: np.ndarray  # (labels,)

    def vector(self, masked: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse tf-idf of a masked message as (feature indices, l2-normalised weights), exactly as
        scikit-learn's TfidfVectorizer(sublinear_tf=True) computes it."""
        counts = Counter(f for f in analyze(masked) if f in self.vocab)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        idx = np.fromiter((self.vocab[f] for f in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
        weights = tf * self.idf[idx]
        return idx, weights / np.linalg.norm(weights)

    def predict(self, masked: str) -> dict[str, float]:
        """Tool name → probability that the message asks for it."""
        idx, weights = self.vector(masked)
        logits = self.coef[:, idx].astype(np.float64) @ weights + self.intercept
        probs = 1.0 / (1.0 + np.exp(-logits))
        return {label: float(p) for label, p in zip(self.labels, probs)}

    def save(self, path: Path = ARTEFACT) -> None:
        names = sorted(self.vocab, key=self.vocab.get)
        np.savez_compressed(
            path, labels=np.array("\n".join(self.labels).encode()), vocab=np.array("\n".join(names).encode()),
            idf=self.idf.astype(np.float32), coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32))


def load(path: Path = ARTEFACT) -> IntentModel:
    with np.load(path, allow_pickle=False) as data:
        labels = tuple(bytes(data["labels"]).decode().split("\n"))
        names = bytes(data["vocab"]).decode().split("\n")
        return IntentModel(labels=labels, vocab={n: i for i, n in enumerate(names)},
                           idf=data["idf"].astype(np.float64), coef=data["coef"].astype(np.float32),
                           intercept=data["intercept"].astype(np.float64))


_lock = threading.Lock()
_model: IntentModel | None = None
_missing = False


def shared_model() -> IntentModel | None:
    """The packaged model, loaded once; None when the artefact is absent (the rules answer alone)."""
    global _model, _missing
    if _model is None and not _missing:
        with _lock:
            if _model is None and not _missing:
                if ARTEFACT.exists():
                    _model = load()
                else:
                    _missing = True
    return _model
