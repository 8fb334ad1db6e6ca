"""A voice note from a chat → the text the intent engine reads.

`transcribe_for_user(app, msg)` is what the conversation loop awaits: it finds the speaker, checks
and decodes the audio, and runs the transcriber with the speaker's language and the names they are
likely to say, all off the event loop. `transcribe_note` is the same without a chat (the CLI).
"""
from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from intents.transcribe.audio import Limits, Pcm, check_envelope, prepare
from intents.transcribe.contract import Transcriber, Transcript
from intents.transcribe.errors import TranscriptionError
from storage.names import Directory

log = logging.getLogger("salesbot.transcribe")

# Whisper keeps at most 223 prompt tokens (its tail); a CJK character is 1-3 tokens, a Latin word
# about one per 4 bytes, so this many UTF-8 bytes stays within it for either script.
PROMPT_BYTES = 300
_PROMPT_HEAD = {"zh": "拜访记录。客户与联系人：", "en": "Sales visit notes. Accounts and contacts: "}
_PROMPT_SEP = {"zh": "、", "en": ", "}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Speaker:
    user_id: int
    language: str | None  # ISO 639-1 for Whisper, None = detect
    prompt: str | None
    reply_language: str  # the user's setting, for replies


async def transcribe_for_user(app: Any, msg: Any) -> str | None:
    """The transcript of `msg.audio`, or None when there is nothing to transcribe for this sender
    (no audio, no transcriber, an unlinked sender, a group note not addressed to the bot): the loop
    then answers as it would for a text message. Raises `TranscriptionError` with a reply for the
    user; any other failure is logged and becomes `unavailable`.

    `app` is the bot's App (settings, db, directory(), transcriber); `msg` an IncomingMessage.
    """
    audio, transcriber = getattr(msg, "audio", None), getattr(app, "transcriber", None)
    if audio is None or transcriber is None or (msg.is_group and not msg.mentions_bot):
        return None
    speaker = await asyncio.to_thread(_speaker, app, msg)
    if speaker is None:
        return None
    limits = Limits.from_settings(app.settings)
    try:
        check_envelope(audio.data, limits, declared_seconds=audio.duration_s)
        return await asyncio.to_thread(
            transcribe_note, transcriber, audio.data, audio.format, limits=limits,
            declared_seconds=audio.duration_s, language=speaker.language, prompt=speaker.prompt,
            log_extra={"platform": msg.platform, "chat_id": msg.chat_id, "message_id": msg.message_id,
                       "user_id": speaker.user_id})
    except TranscriptionError as exc:
        exc.language = speaker.reply_language
        raise


def transcribe_note(transcriber: Transcriber, data: bytes, fmt: str, *, limits: Limits = Limits(),
                    declared_seconds: float | None = None, language: str | None = None,
                    prompt: str | None = None, log_extra: dict | None = None) -> str:
    """Check, decode and transcribe one note (blocking). Returns clean, non-empty text."""
    extra = dict(log_extra or {}, format=fmt, bytes=len(data), backend=getattr(transcriber, "name", "?"))
    started = time.perf_counter()
    try:
        pcm = prepare(data, fmt, limits, declared_seconds=declared_seconds)
        decoded = time.perf_counter()
        transcript = run_transcriber(transcriber, pcm, language=language, prompt=prompt)
    except TranscriptionError as exc:
        log.info("voice note refused", extra=dict(extra, code=exc.code, detail=exc.detail))
        raise
    text = clean_transcript(transcript.text)
    log.info("voice note transcribed", extra=dict(
        extra, seconds=round(pcm.seconds, 2), decode_ms=round((decoded - started) * 1000, 1),
        model_ms=round((time.perf_counter() - decoded) * 1000, 1), language=transcript.language,
        chars=len(text)))
    if not text:
        raise TranscriptionError("no_speech", detail=f"{pcm.seconds:.1f} s, empty transcript")
    return text


def run_transcriber(transcriber: Transcriber, pcm: Pcm, *, language: str | None,
                    prompt: str | None) -> Transcript:
    """Call the backend; anything but a TranscriptionError is an outage the user hears about as
    `unavailable` (and the log gets the traceback)."""
    try:
        result = transcriber.transcribe(pcm, language_hint=language, prompt=prompt)
    except TranscriptionError:
        raise
    except Exception as exc:
        log.exception("transcriber failed", extra={"backend": getattr(transcriber, "name", "?")})
        raise TranscriptionError("unavailable", detail=f"{exc.__class__.__name__}: {exc}"[:300]) from exc
    return result if isinstance(result, Transcript) else Transcript(text=str(result or ""))


def clean_transcript(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def whisper_language(user_language: str | None) -> str | None:
    """A user's language setting ("zh", "zh-CN", "en-US") as Whisper's code; None = detect."""
    code = (user_language or "").lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isalpha() else None


def vocabulary_prompt(directory: Directory, user_id: int | None, language: str | None, *,
                      max_bytes: int = PROMPT_BYTES) -> str | None:
    """Account and contact names as Whisper's initial prompt, so company names are heard right.

    Priority: the speaker's own accounts, their contacts, then everyone else's accounts, then
    other contacts, until `max_bytes` (UTF-8). Whisper keeps the tail of a long prompt and is most
    swayed by what is nearest the audio, so the list is written lowest priority first."""
    lang = "en" if language == "en" else "zh"
    own = [a for a in directory.accounts if user_id is not None and a.owner_id == user_id]
    own_ids = {a.id for a in own}
    ranked = [*own, *(c for c in directory.contacts if c.account_id in own_ids),
              *(a for a in directory.accounts if a.id not in own_ids),
              *(c for c in directory.contacts if c.account_id not in own_ids)]
    head, sep = _PROMPT_HEAD[lang], _PROMPT_SEP[lang]
    budget = max_bytes - len(head.encode())
    chosen: list[str] = []
    seen: set[str] = set()
    for entry in ranked:
        name = clean_transcript(entry.name)
        if not name or name.casefold() in seen:
            continue
        cost = len(name.encode()) + len(sep.encode())
        if cost > budget:
            continue
        chosen.append(name)
        seen.add(name.casefold())
        budget -= cost
    if not chosen:
        return None
    return head + sep.join(reversed(chosen)) + ("。" if lang == "zh" else ".")


def _speaker(app: Any, msg: Any) -> Speaker | None:
    from sqlmodel import Session, select

    from storage.models import ChatIdentity, User

    with Session(app.db) as session:
        identity = session.exec(select(ChatIdentity).where(
            ChatIdentity.platform == msg.platform, ChatIdentity.external_id == msg.external_user_id)).first()
        user = session.get(User, identity.user_id) if identity is not None else None
        if user is None or not user.active:
            return None
        user_id, setting = user.id, user.language
    language = whisper_language(setting)
    return Speaker(user_id=user_id, language=language, reply_language=setting,
                   prompt=vocabulary_prompt(app.directory(), user_id, language))
