"""Contract photos in chat: pictures or a PDF → the pages of one contract → a card that closes its deal.

    IncomingMessage.images ─▶ read_photos (off the event loop: type from the content, size, PDF
        pages rasterized, OCR) ─▶ bad input: one reply; nothing written, nothing kept
        ─▶ on_photos (in the message's transaction): the files into the attachment store, the
           customer party matched to an account and its open deal ─▶ a `file_contract` card

Images that arrive within a minute of a contract card still open in the same chat (an album, or a
second photo sent a moment later) are more pages of that contract: the card is read again over
all its files and shown again. A card cancelled or expired gives its files up again
(`release_files`), unless an attachment already holds them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from bot import drafts
from bot.app import App
from bot.identity import find_user
from bot.messages import IncomingMessage
from bot.outcome import Outcome
from bot.turn import Turn
from intents.base import Parse, Question
from intents.documents.reader import ContractReading, OcrLine
from prompts.ui import t
from storage.attachments import attachment_store, sha256_of
from storage.models import Draft, DraftStatus, Role
from tools.base import ToolCall

log = logging.getLogger("salesbot.contracts")
MERGE_WINDOW = timedelta(seconds=60)
CONTRACT_FIELDS = ("contract_no", "party_a", "party_b", "amount")  # one of them read = a contract
OCR_CACHE_FILES = 64


@dataclass(frozen=True)
class ContractFile:
    """One file of the contract: what the attachment row will say about it. `data` is None for a
    file already in the store (an earlier page of the same card)."""

    sha256: str
    mime: str
    size: int
    pages: int
    name: str | None = None
    data: bytes | None = field(default=None, repr=False)

    def arg(self) -> dict:
        return {"sha256": self.sha256, "mime": self.mime, "bytes": self.size, "pages": self.pages,
                "name": self.name}


@dataclass
class ContractPhotos:
    """What the photos of one message (plus earlier pages of an open card) gave: the files and the
    contract read from them, or the problem to tell the user."""

    files: list[ContractFile] = field(default_factory=list)
    reading: ContractReading | None = None
    problem: tuple[str, dict] | None = None  # a prompts.ui key and its parameters
    merge_into: int | None = None  # the open card these pages belong to


def wants_reading(msg: IncomingMessage) -> bool:
    return bool(msg.images) and not (msg.is_group and not msg.mentions_bot)


def read_photos(app: App, msg: IncomingMessage, *, session: Session | None = None) -> ContractPhotos:
    """Check, rasterize and OCR the message's images (blocking, CPU-bound: run it off the event
    loop). Nothing is stored here."""
    from intents.documents.contract import extract
    from intents.documents.files import MIME, DocumentError, load_pages, sniff

    if session is None:
        with Session(app.db) as own:
            linked, earlier, merge_into = _open_contract_card(app, msg, own)
    else:
        linked, earlier, merge_into = _open_contract_card(app, msg, session)
    if not linked:
        return ContractPhotos()  # a stranger's picture is not read: the loop asks them to link first
    limit = app.settings.attachment_max_bytes
    new: list[ContractFile] = []
    for i, image in enumerate(msg.images, 1):
        name = (image.name or "").strip()[:200] or None
        shown = name or (f"图片 {i}" if (msg.language_hint or "zh").startswith("zh") else f"image {i}")
        try:
            pages = load_pages(image.data, source=shown, max_bytes=limit)
        except DocumentError as exc:
            params = {"name": shown, "mb": round(len(image.data) / 1048576, 1), "limit": round(limit / 1048576)}
            return ContractPhotos(problem=(f"contract_{exc.code}", params))
        digest = sha256_of(image.data)
        if digest not in app.ocr_lines:
            app.ocr_lines[digest] = _ocr(app, pages)
        new.append(ContractFile(digest, MIME[sniff(image.data)], len(image.data), len(pages), name, image.data))
    files = list(earlier) + [f for f in new if f.sha256 not in {e.sha256 for e in earlier}]
    lines: list[OcrLine] = []
    page = 0
    for f in files:
        if f.sha256 not in app.ocr_lines:  # an earlier page read before a restart
            data = attachment_store(app.settings).get(f.sha256)
            app.ocr_lines[f.sha256] = _ocr(app, load_pages(data, source=f.name or f.sha256[:8], max_bytes=limit))
        for ln in app.ocr_lines[f.sha256]:
            lines.append(OcrLine(ln.text, ln.score, ln.x, ln.y, ln.height, page + ln.page))
        page += f.pages
    while len(app.ocr_lines) > OCR_CACHE_FILES:
        app.ocr_lines.pop(next(iter(app.ocr_lines)))
    reading = extract(lines)
    if not any(name in reading.fields for name in CONTRACT_FIELDS):
        return ContractPhotos(problem=("contract_not_found", {}))
    return ContractPhotos(files=files, reading=reading, merge_into=merge_into)


def _ocr(app: App, pages) -> list[OcrLine]:
    ocr = app.document_ocr()
    out: list[OcrLine] = []
    for number, page in enumerate(pages, 1):
        out += [OcrLine(ln.text, ln.score, ln.x, ln.y, ln.height, number) for ln in ocr.lines(page.image)]
    return out


def _open_contract_card(app: App, msg: IncomingMessage,
                        session: Session) -> tuple[bool, list[ContractFile], int | None]:
    """Whether the sender is linked, and the files of this chat's contract card opened less than a
    minute ago and still open."""
    user = find_user(msg.platform, msg.external_user_id, session=session)
    if user is None:
        return False, [], None
    since = app.clock() - MERGE_WINDOW
    rows = session.exec(select(Draft).where(
        Draft.user_id == user.id, Draft.platform == msg.platform, Draft.chat_id == msg.chat_id,
        col(Draft.status).in_([DraftStatus.pending.value, DraftStatus.awaiting_input.value]),
        Draft.created_at >= since).order_by(col(Draft.id).desc())).all()
    for draft in rows:
        call = _contract_call(draft)
        if call is not None:
            files = [ContractFile(f["sha256"], f["mime"], f["bytes"], f.get("pages") or 1, f.get("name"))
                     for f in call["args"].get("files") or []]
            return True, files, draft.id
    return True, [], None


def _contract_call(draft: Draft) -> dict | None:
    return next((c for c in draft.calls or [] if c.get("name") == "file_contract"), None)


# --- in the message's transaction ------------------------------------------------------------


def on_photos(turn: Turn) -> Outcome:
    """The route for a message with images: a problem is answered; a contract becomes a card."""
    photos = turn.photos if turn.photos is not None else read_photos(turn.app, turn.message, session=turn.session)
    if photos.problem is not None:
        key, params = photos.problem
        return Outcome().say(t(turn.language, key, **params), kind="notice")
    if photos.reading is None:
        return Outcome()
    filed = _already_filed(turn, photos)
    if filed is not None:
        return Outcome().say(filed, kind="notice")
    store = attachment_store(turn.app.settings)
    for f in photos.files:
        if f.data is not None:
            store.put(f.data)
    call, questions, note = _card_call(turn, photos)
    draft = turn.session.get(Draft, photos.merge_into) if photos.merge_into else None
    if draft is not None and draft.status in (DraftStatus.pending, DraftStatus.awaiting_input):
        draft.calls = [call.to_json()]
        draft.pending_question = _question_json(questions[0]) if questions else None
        if questions:
            from bot.card import CardEvent, move

            move(draft, CardEvent.ask, now=turn.now, question=draft.pending_question)
        out = drafts.advance(turn, draft)
    else:
        out = drafts.start(turn, Parse(calls=[call], questions=questions, engine="ocr"))
    if note:
        out.replies.insert(0, _notice(note))
    log.info("contract read", extra={"files": len(photos.files), "fields": sorted(photos.reading.fields),
                                     "merged": photos.merge_into is not None})
    return out


def _already_filed(turn: Turn, photos: ContractPhotos) -> str | None:
    """Files that are all filed already are not filed again: say where they are."""
    from storage.models import Account, Opportunity
    from storage.repos.attachments import attachment_by_sha

    rows = [attachment_by_sha(f.sha256, session=turn.session) for f in photos.files]
    if not rows or any(r is None for r in rows):
        return None
    account = turn.session.get(Account, rows[0].account_id) if rows[0].account_id else None
    deal = turn.session.get(Opportunity, rows[0].opportunity_id) if rows[0].opportunity_id else None
    return t(turn.language, "contract_already_filed", account=account.name if account else "—",
             opportunity=deal.name if deal else "—", day=rows[0].uploaded_at.date().isoformat())


def _notice(text: str):
    from bot.messages import Reply

    return Reply(text=text, kind="notice")


def _question_json(q: Question) -> dict:
    return {"kind": q.kind, "call": q.call_index, "arg": q.arg, "mention": q.mention,
            "candidates": list(q.candidates)}


def _card_call(turn: Turn, photos: ContractPhotos) -> tuple[ToolCall, list[Question], str | None]:
    """The `file_contract` call the reading supports, what to ask first, and a note on why."""
    from intents.documents.matching import match_contract

    reading = photos.reading
    directory = turn.parse_context().directory
    deals = _open_deals(turn, directory)
    match = match_contract(reading, directory, deals, user_id=turn.user.id)
    args: dict = {"files": [f.arg() for f in photos.files], "read": _read_json(reading)}
    for name in ("contract_no", "currency", "signed_on", "start_on", "end_on"):
        value = reading.value(name)
        if value is not None:
            args[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    amount = reading.value("amount")
    if isinstance(amount, Decimal) and amount > 0:
        args["amount"] = str(amount)
    questions: list[Question] = []
    note = None
    account = match.account
    if account is not None and Role(turn.user.role) is Role.rep and account.owner_id != turn.user.id:
        account = None  # another rep's customer: the rep says which of their own accounts it is
    if account is None:
        parties = [p for p in (reading.value("party_a"), reading.value("party_b")) if p]
        note = t(turn.language, "contract_which_account",
                 parties=("、" if turn.language == "zh" else ", ").join(parties) or "—")
        return ToolCall("file_contract", args), questions, note
    args["account"] = account.name
    own = [d for d in deals if d.account_id == account.id]
    if match.deal is not None:
        args["opportunity"] = match.deal.name
    elif len(own) > 1:
        questions.append(Question("ambiguous", 0, "opportunity", mention=t(turn.language, "contract_which_deal"),
                                  candidates=tuple(d.name for d in own[:6])))
    return ToolCall("file_contract", args), questions, note


def _open_deals(turn: Turn, directory):
    from bot.contract_cli import open_deals

    ids = {e.id for e in directory.accounts}
    return [d for d in open_deals(session=turn.session) if d.account_id in ids]


def _read_json(reading: ContractReading) -> dict:
    out = {}
    for name, found in reading.fields.items():
        value = found.value
        out[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return out


def release_files(turn: Turn, draft: Draft) -> None:
    """Remove the files of a contract card that ended unconfirmed, unless an attachment or another
    open card holds them."""
    call = _contract_call(draft)
    if call is None:
        return
    store = attachment_store(turn.app.settings)
    held = set()
    for other in turn.session.exec(select(Draft).where(
            Draft.id != draft.id,
            col(Draft.status).in_([DraftStatus.pending.value, DraftStatus.awaiting_input.value]))).all():
        held |= {f.get("sha256") for f in ((_contract_call(other) or {}).get("args") or {}).get("files") or []}
    for f in call["args"].get("files") or []:
        if f.get("sha256") not in held:
            try:
                store.discard(f["sha256"], session=turn.session)
            except (OSError, ValueError):
                log.warning("could not remove a contract file", exc_info=True)
