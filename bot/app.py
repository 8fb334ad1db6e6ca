"""The running application: settings, database, engine, clock, and the caches they share."""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import warmup
from intents.base import IntentEngine, Turn
from storage.config import Settings
from storage.db import make_engine, migrate, session_scope
from storage.names import Directory, directory_fingerprint, load_directory
from tools.base import Clock, system_clock

DIRECTORY_TTL_S = 30.0
HISTORY_TURNS = 6


@dataclass
class App:
    settings: Settings
    db: Engine
    engine: IntentEngine
    clock: Clock = system_clock
    transcriber: object | None = None  # intents.transcribe.Transcriber when voice is enabled
    ocr: object | None = None  # intents.documents.reader.Ocr; PP-OCRv4 loaded on the first photo when None
    ocr_lines: dict = field(default_factory=dict, repr=False)  # sha256 → OCR lines of a recent file
    _directory: Directory | None = field(default=None, repr=False)
    _directory_at: float = 0.0
    _directory_fingerprint: tuple | None = field(default=None, repr=False)
    _within: dict[frozenset[int], Directory] = field(default_factory=dict, repr=False)
    _within_of: Directory | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _history: dict[str, deque] = field(default_factory=lambda: defaultdict(lambda: deque(maxlen=HISTORY_TURNS)))

    def directory(self, session: Session | None = None) -> Directory:
        """Names for the parser; rebuilt after writes that add names and at most every 30 s (other
        processes may have written). Pass the caller's session when inside a transaction: SQLite
        allows one writer, so a second session would wait on the first."""
        with self._lock:
            if self._directory is None or time.monotonic() - self._directory_at > DIRECTORY_TTL_S:
                if session is not None:
                    self._refresh_directory(session)
                else:
                    with session_scope(self.db) as own:
                        self._refresh_directory(own)
                self._directory_at = time.monotonic()
            return self._directory

    def directory_within(self, owner_ids: frozenset[int] | None, session: Session | None = None) -> Directory:
        """`directory()` cut to the names of `owner_ids`' accounts (`Directory.within`); each cut
        is kept as long as the full directory, so its name index is built once."""
        full = self.directory(session)
        if owner_ids is None:
            return full
        with self._lock:
            if self._within_of is not full:
                self._within.clear()
                self._within_of = full
            cut = self._within.get(owner_ids)
            if cut is None:
                cut = self._within[owner_ids] = full.within(owner_ids)
            return cut

    def names_snapshot(self, owner_ids: frozenset[int] | None) -> tuple[tuple, Directory, Directory | None] | None:
        """The cached directory as it is (no refresh), the fingerprint it was read at and its cut
        to `owner_ids` when one was made: what a tool context may start from (`tools.resolve.seed_names`)."""
        with self._lock:
            if self._directory is None or self._directory_fingerprint is None:
                return None
            full = self._directory
            cut = full if owner_ids is None else self._within.get(owner_ids) if self._within_of is full else None
            return self._directory_fingerprint, full, cut

    def _refresh_directory(self, session: Session) -> None:
        # Rebuilding costs a full read and a new name index; skip it when nothing changed.
        fingerprint = directory_fingerprint(session=session)
        if self._directory is None or fingerprint != self._directory_fingerprint:
            self._directory = load_directory(session=session)
            self._directory_fingerprint = fingerprint

    def document_ocr(self):
        """The OCR engine for contract photos (loaded on first use: about a second)."""
        if self.ocr is None:
            from intents.documents.reader import rapid_ocr

            self.ocr = rapid_ocr(det_model=self.settings.ocr_det_model, rec_model=self.settings.ocr_rec_model)
        return self.ocr

    def invalidate_directory(self) -> None:
        """Names may have changed (a confirmed card wrote): the next `directory()` compares the
        tables' fingerprint and reloads only if it moved. The cached names stay for tool contexts
        (`names_snapshot`), which make the same check before using them; dropping them sent every
        card confirmed after a visit back to reading all names inside its write transaction."""
        with self._lock:
            self._directory_at = 0.0

    def history(self, chat_key: str) -> tuple[Turn, ...]:
        return tuple(self._history[chat_key])

    def remember(self, chat_key: str, role: str, text: str) -> None:
        if text:
            self._history[chat_key].append(Turn(role=role, text=text[:500]))


def build_app(settings: Settings, *, clock: Clock = system_clock, engine: IntentEngine | None = None,
              db: Engine | None = None, run_migrations: bool = True, transcriber: object | None = None,
              warm_up: bool = False) -> App:
    """The application; `warm_up=True` (a bot starting to serve) also starts the background
    start-up tasks (`bot.warmup`: the speech model, the knowledge index and its model, ...);
    one-shot commands load on first use."""
    if db is None:
        db = make_engine(settings.database_url)
    if run_migrations:
        migrate(db)
    if engine is None:
        from intents.factory import build_engine

        engine = build_engine(settings)
    if transcriber is None:
        from intents.transcribe import build_transcriber

        transcriber = build_transcriber(settings)  # checks the voice settings now
    app = App(settings=settings, db=db, engine=engine, clock=clock, transcriber=transcriber)
    if warm_up:
        from bot import knowledge_sync  # noqa: F401 (knowledge_sync registers its task)

        warmup.register("analytics", load_analytics)  # after the model and the index
        warmup.start(app)
    return app


def load_speech_model(app: App) -> None:
    """Start-up task: load the local speech model once, so voice notes do not wait for it; a note
    that comes during the load waits for this same load (the backend's lock)."""
    load = getattr(app.transcriber, "load", None)
    if callable(load):
        load()


def load_analytics(app: App) -> None:
    """Start-up task: import what chat's forecast and potential answers need."""
    from analytics import load_libraries

    load_libraries()


warmup.register("whisper", load_speech_model)
