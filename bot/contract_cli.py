"""`salesbot contract read`: read contract photos or PDFs and match them to an account and deal,
without writing anything."""
from __future__ import annotations

import argparse
import json
import time
from decimal import Decimal
from pathlib import Path

from storage.config import Settings

CONTRACT_HELP = """\
Read FILE... (photos of one contract's pages, or a PDF) offline with PP-OCRv4, find the contract's
fields (number, parties, total in figures and in 大写, currency, signing date, term), and match the
customer party to one of the accounts and its best-fitting open deal. Nothing is written. Prints one
JSON object: {"fields": {...}, "account": {"id", "name"} | null, "opportunity": {"id", "name"} | null,
"warnings": [...], "seconds": float}. A file that is not a readable image or PDF, or is larger than
ATTACHMENT_MAX_BYTES, exits with status 2 and one line saying why. See docs/contracts.md.
"""
FIELDS = ("contract_no", "party_a", "party_b", "amount", "currency", "signed_on", "start_on", "end_on")
LOW_CONFIDENCE = 0.6


def add_commands(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("contract", help="read contract photos and PDFs",
                           description="Contract photos and PDFs (docs/contracts.md).")
    csub = group.add_subparsers(title="contract commands", metavar="ACTION")
    p = csub.add_parser("read", help="read contract pages and match them to an account and deal (writes nothing)",
                        description=CONTRACT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a photo (JPEG, PNG, ...) or a PDF; "
                                                                        "several files are pages of one contract")
    p.add_argument("--as", dest="as_user", required=True, metavar="USER", help="user id or name, e.g. 1 or 王磊")
    p.add_argument("--json", action="store_true", help="print the JSON object (the only output format)")
    p.set_defaults(handler=cmd_contract_read, quiet_logs=True)
    group.set_defaults(handler=lambda a, s: group.print_help())


def cmd_contract_read(args, settings: Settings) -> int:
    from bot.cli import CliError, _database, _resolve_user
    from intents.documents.files import DocumentError, load_pages
    from intents.documents.matching import match_contract
    from intents.documents.reader import build_reader
    from storage.db import session_scope
    from storage.names import load_directory

    started = time.perf_counter()
    pages = []
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            pages += load_pages(data, source=str(path), max_bytes=settings.attachment_max_bytes)
        except DocumentError as exc:
            raise CliError(str(exc)) from None
    db = _database(settings)
    with session_scope(db) as session:
        user = _resolve_user(session, args.as_user)
        user_id = user.id
        directory = load_directory(session=session)
        deals = open_deals(session=session)
    reading = build_reader(settings).read(pages)
    match = match_contract(reading, directory, deals, user_id=user_id)
    warnings = list(reading.warnings)
    if not any(f in reading.fields for f in ("contract_no", "party_a", "party_b", "amount")):
        warnings.append("no contract found: no number, party or amount could be read")
    warnings += [f"{name} read with low confidence ({f.confidence:.2f})"
                 for name, f in reading.fields.items() if f.confidence < LOW_CONFIDENCE]
    print(json.dumps({
        "fields": {name: _json_value(reading.value(name)) for name in FIELDS},
        "account": {"id": match.account.id, "name": match.account.name} if match.account else None,
        "opportunity": {"id": match.deal.id, "name": match.deal.name} if match.deal else None,
        "warnings": warnings + match.warnings,
        "seconds": round(time.perf_counter() - started, 3),
    }, ensure_ascii=False, indent=1))
    return 0


def open_deals(*, session):
    """Every open deal, as the matcher needs them."""
    from sqlmodel import select

    from intents.documents.matching import OpenDeal
    from storage.models import Opportunity
    from storage.models.types import Stage

    open_stages = [s.value for s in Stage if not s.is_closed]
    return [OpenDeal(o.id, o.name, o.account_id, str(o.stage), o.amount, o.currency)
            for o in session.exec(select(Opportunity).where(Opportunity.stage.in_(open_stages))).all()]


def _json_value(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
