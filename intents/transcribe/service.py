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

# Whisper keeps the last 223 tokens of a prompt. Its tokenizer spends about 1.6 tokens on a CJK
# character and one on 3.5-4 bytes of other text (measured on the eval fixture's names), so names
# are budgeted with `prompt_tokens`, an estimate that errs high, and some room is left.
PROMPT_TOKENS = 200
# The words of the trade before the names: a prompt sets the spelling and style the model expects,
# so "close" is not heard as "clause" nor "negotiation" as something else.
_PROMPT_HEAD = {
    "zh": "销售拜访记录：潜在客户、评估、试用、谈判、合同、成交、签约、丢单、金额、预计成交日期、跟进。客户与联系人：",
    "en": "Sales notes: visits, calls, new leads, demos, pilots, evaluation, negotiation, contract review, "
          "signed, won, lost, amounts, close dates, follow-ups. Accounts and contacts: ",
}
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
        extra, seconds=round(pcm.seconds, 2), speech_seconds=transcript.speech_seconds,
        decode_ms=round((decoded - started) * 1000, 1),
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
                      max_tokens: int = PROMPT_TOKENS) -> str | None:
    """The words of the trade and the CRM's names as Whisper's initial prompt, so company names and
    sales terms are heard right.

    Priority: the speaker's own accounts, their contacts, then everyone else's accounts, then
    other contacts, until about `max_tokens` (`prompt_tokens`). Whisper keeps the tail of a long
    prompt and is most swayed by what is nearest the audio, so the list is written lowest priority
    first. An English speaker says a Chinese name by its Latin alias (蓝鲸数据: "Bluewhale Data"),
    so that is the form listed; a name with no Latin form is left out of an English prompt."""
    lang = "en" if language == "en" else "zh"
    own = [a for a in directory.accounts if user_id is not None and a.owner_id == user_id]
    own_ids = {a.id for a in own}
    ranked = [*own, *(c for c in directory.contacts if c.account_id in own_ids),
              *(a for a in directory.accounts if a.id not in own_ids),
              *(c for c in directory.contacts if c.account_id not in own_ids)]
    head, sep = _PROMPT_HEAD[lang], _PROMPT_SEP[lang]
    budget = max_tokens - prompt_tokens(head) - 1
    chosen: list[str] = []
    seen: set[str] = set()
    for entry in ranked:
        name = clean_transcript(_spoken_form(entry, lang))
        if not name or name.casefold() in seen:
            continue
        cost = prompt_tokens(name + sep)
        if cost > budget:
            continue
        chosen.append(name)
        seen.add(name.casefold())
        budget -= cost
    if not chosen:
        return None
    return head + sep.join(reversed(chosen)) + ("。" if lang == "zh" else ".")


def _spoken_form(entry, lang: str) -> str:
    if lang != "en" or not _has_cjk(entry.name):
        return entry.name
    return next((alias for alias in entry.aliases if alias and not _has_cjk(alias)), "")


def _has_cjk(text: str) -> bool:
    return any(ord(char) >= 0x2E80 for char in text)


def prompt_tokens(text: str) -> int:
    """Whisper tokens `text` takes, estimated high: two a CJK character, one per 3 bytes of the rest."""
    cjk = sum(1 for char in text if ord(char) >= 0x2E80)
    rest = len(text.encode()) - sum(len(char.encode()) for char in text if ord(char) >= 0x2E80)
    return 2 * cjk + -(-rest // 3)


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
