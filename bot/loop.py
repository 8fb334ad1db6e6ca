"""The conversation loop: one for every adapter.

    IncomingMessage → (audio → transcriber | images → OCR) → Turn → the route table (bot/routes.py)
        an open card → its answer, a change to it, confirm / cancel (bot/drafts.py, bot/card.py)
        a new request → engine → calls
            reads  → tools → reply at once
            writes → Draft row → confirmation card → confirm → tools (one transaction) → reply

Each message is handled in one database transaction that also records it in `processedmessage`,
so a message delivered twice is handled once, and a crash leaves nothing half-written. A
`ToolError` is shown to the user verbatim (in their language); anything else is logged with its
traceback and the user gets an apology with an error id.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot import drafts
from bot.app import App
from bot.contract_photos import read_photos, wants_reading
from bot.identity import find_user, link_code_in, redeem_invite
from bot.messages import IncomingMessage
from bot.outcome import Outcome
from bot.routes import ROUTES, Route
from bot.text_input import clean_text, guess_language, has_words, small_talk_kind
from bot.turn import Turn, parse_context
from intents.base import Parse, ParseContext
from prompts.ui import t
from storage.models import EngineCall, ProcessedMessage, User
from storage.repos.usage import record_usage

log = logging.getLogger("salesbot.loop")
Progress = Callable[[], Awaitable[None]]
BeforeCommit = Callable[[Session, Outcome], None]


class ConversationLoop:
    def __init__(self, app: App) -> None:
        self.app = app
        self.routes = [*ROUTES, Route("request", lambda turn: True, self._request)]

    async def handle(self, msg: IncomingMessage, *, progress: Progress | None = None,
                     before_commit: BeforeCommit | None = None) -> Outcome:
        """Handle one message off the event loop; `progress` (a typing indicator, a "working on
        it" line) is called before slow steps. `before_commit(session, outcome)` runs inside the
        message's transaction just before it commits (the inbox records the outcome there); an
        exception it raises rolls the message back and propagates."""
        transcript = None
        if wants_reading(msg):
            if progress:
                await progress()
            try:
                photos = await asyncio.to_thread(read_photos, self.app, msg)
            except Exception:
                error_id = uuid.uuid4().hex[:10]
                log.exception("reading photos failed", extra={"error_id": error_id, "platform": msg.platform,
                                                             "chat_id": msg.chat_id, "message_id": msg.message_id})
                return Outcome().say(t(self._language_for(msg), "apology", error_id=error_id))
            return await asyncio.to_thread(self.handle_sync, msg, None, photos, before_commit)
        if msg.audio is not None and self.app.transcriber is not None:
            if progress:
                await progress()
            transcript = await self._transcribe(msg)
            if isinstance(transcript, Outcome):
                return transcript
        elif progress and self.app.settings.engine != "rules" and not msg.choice:
            await progress()
        return await asyncio.to_thread(self.handle_sync, msg, transcript, None, before_commit)

    async def _transcribe(self, msg: IncomingMessage):
        from intents.transcribe import TranscriptionError, transcribe_for_user

        try:
            return await transcribe_for_user(self.app, msg)
        except TranscriptionError as exc:
            lang = guess_language("", msg.language_hint)
            return Outcome().say(exc.user_message(lang))

    def handle_sync(self, msg: IncomingMessage, transcript: str | None = None, photos=None,
                    before_commit: BeforeCommit | None = None) -> Outcome:
        """Handle one message in this thread; `photos` is what `read_photos` made of its images."""
        started = time.perf_counter()
        try:
            outcome = self._handle(msg, transcript, photos, before_commit)
        except Exception:
            error_id = uuid.uuid4().hex[:10]
            log.exception("message failed", extra={"error_id": error_id, "platform": msg.platform,
                                                   "chat_id": msg.chat_id, "message_id": msg.message_id})
            return Outcome().say(t(self._language_for(msg), "apology", error_id=error_id))
        log.info("message handled", extra={
            "platform": msg.platform, "chat_id": msg.chat_id, "message_id": msg.message_id,
            "duplicate": outcome.duplicate, "replies": len(outcome.replies),
            "outgoing": len(outcome.outgoing), "ms": round((time.perf_counter() - started) * 1000, 2)})
        return outcome

    def _handle(self, msg: IncomingMessage, transcript: str | None, photos=None,
                before_commit: BeforeCommit | None = None) -> Outcome:
        try:
            return self._handle_once(msg, transcript, None, photos, before_commit)
        except _ParseFirst as pending:
            # A slow engine (an LLM) runs outside any transaction, so one user's model call never
            # holds the database; the message is then routed again with the parse in hand.
            parsed = self._run_engine(pending.user, pending.text, pending.chat_key, None)
            return self._handle_once(msg, transcript, parsed, photos, before_commit)

    def _handle_once(self, msg: IncomingMessage, transcript: str | None, parsed: _Parsed | None,
                     photos=None, before_commit: BeforeCommit | None = None) -> Outcome:
        with Session(self.app.db, expire_on_commit=False) as session:
            session.add(ProcessedMessage(platform=msg.platform, chat_id=msg.chat_id,
                                         message_id=msg.message_id, received_at=self.app.clock()))
            try:
                session.flush()
            except IntegrityError:
                session.rollback()
                return Outcome(duplicate=True)
            try:
                outcome = self._route(session, msg, transcript, parsed, photos)
                if before_commit is not None:
                    before_commit(session, outcome)
                session.commit()
            except IntegrityError as exc:
                session.rollback()
                if "processedmessage" in str(exc).lower():
                    return Outcome(duplicate=True)
                raise
            except BaseException:
                session.rollback()
                raise
        return outcome

    def _route(self, session: Session, msg: IncomingMessage, transcript: str | None,
               parsed: _Parsed | None, photos=None) -> Outcome:
        user = find_user(msg.platform, msg.external_user_id, session=session)
        if user is None:
            return self._unlinked(session, msg)
        raw = transcript if transcript is not None else msg.text
        turn = Turn(app=self.app, session=session, user=user, message=msg, language=user.language,
                    clock=self.app.clock, text=clean_text(raw or ""), transcript=transcript, parsed=parsed,
                    photos=photos)
        for route in self.routes:
            if route.when(turn):
                outcome = route.run(turn)
                if outcome is not None:
                    return outcome
        return Outcome()

    def _request(self, turn: Turn) -> Outcome:
        """A new request: the engine reads it; reads are answered, writes become a draft."""
        text, parsed = turn.text, turn.parsed
        if parsed is None or parsed.text != text:
            if getattr(self.app.engine, "name", "") != "rules":
                user = turn.user
                detached = User(**{name: getattr(user, name) for name in User.model_fields})
                raise _ParseFirst(detached, text, turn.chat_key)
            parsed = self._run_engine(turn.user, text, turn.chat_key, turn.session)
        parse = parsed.parse
        self._record(turn.session, turn.user, parsed)
        self.app.remember(turn.chat_key, "user", text)
        if not parse.calls and not parse.questions and not parse.alternatives:
            kind = "help" if _asks_about_bot(text) else small_talk_kind(text) or "not_understood"
            return Outcome().say(t(turn.language, kind))
        return drafts.start(turn, parse)

    def _run_engine(self, user: User, text: str, chat_key: str, session: Session | None) -> _Parsed:
        ctx = self.parse_context(user, chat_key, session=session)
        started = time.perf_counter()
        parse = self.app.engine.parse(text, ctx)
        elapsed = (time.perf_counter() - started) * 1000
        log.info("parsed", extra={"engine": parse.engine, "calls": [c.name for c in parse.calls],
                                  "confidence": round(parse.confidence, 3), "ms": round(elapsed, 2),
                                  "fallback": parse.fallback_reason})
        return _Parsed(text=text, parse=parse, elapsed_ms=elapsed)

    def _record(self, session: Session, user: User, parsed: _Parsed) -> None:
        parse = parsed.parse
        session.add(EngineCall(at=self.app.clock(), user_id=user.id, engine=parse.engine,
                               ok=parse.fallback_reason is None, latency_ms=round(parsed.elapsed_ms, 3),
                               fallback_reason=parse.fallback_reason, model=parse.model,
                               prompt_tokens=parse.prompt_tokens, completion_tokens=parse.completion_tokens))

    def parse_context(self, user: User, chat_key: str, *, session: Session | None = None) -> ParseContext:
        return parse_context(self.app, user, chat_key, session=session)


    def _language_for(self, msg: IncomingMessage) -> str:
        """The sender's language: their profile if they are linked, else a guess from the message."""
        try:
            with Session(self.app.db) as session:
                user = find_user(msg.platform, msg.external_user_id, session=session)
                if user is not None:
                    return user.language
        except Exception:  # the database itself may be what failed
            log.warning("could not look up the sender's language", exc_info=True)
        return self._guess_language(msg)

    def _guess_language(self, msg: IncomingMessage) -> str:
        words = "" if link_code_in(msg.text or "") else (msg.text or "")
        if msg.language_hint:
            return guess_language("", msg.language_hint)
        return guess_language(words) if has_words(words) else self.app.settings.default_language

    def _unlinked(self, session: Session, msg: IncomingMessage) -> Outcome:
        lang = self._guess_language(msg)
        code = link_code_in(msg.text or "")
        if code is None:
            if msg.is_group and not msg.mentions_bot:
                return Outcome(sender_linked=False)
            return Outcome(sender_linked=False).say(t(lang, "not_linked"), kind="notice")
        user = redeem_invite(code, msg.platform, msg.external_user_id, msg.chat_id,
                             session=session, now=self.app.clock())
        if user is None:
            return Outcome(sender_linked=False).say(t(lang, "link_bad_code"))
        log.info("linked", extra={"platform": msg.platform, "user_id": user.id})
        record_usage(session=session, at=self.app.clock(), user_id=user.id, kind="command", name="start",
                     platform=msg.platform)
        return Outcome().say(t(user.language, "link_ok", name=user.name))


@dataclass(frozen=True)
class _Parsed:
    text: str
    parse: Parse
    elapsed_ms: float


class _ParseFirst(Exception):
    """Raised inside the transaction when the engine is slow: parse outside it, then route again."""

    def __init__(self, user: User, text: str, chat_key: str) -> None:
        super().__init__(text)
        self.user, self.text, self.chat_key = user, text, chat_key


def _asks_about_bot(text: str) -> bool:
    lowered = text.casefold()
    return any(cue in lowered for cue in ("你能", "能干", "会什么", "功能", "支持", "what can you", "can you",
                                          "does this", "do you support", "help"))
