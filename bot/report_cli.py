"""`salesbot report value`: the quarterly value report as a PDF or HTML file."""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

from storage.config import Settings

VALUE_HELP = """\
The quarterly value report of the whole team: efficiency (output per rep, sales cycle, response
to reminders and approvals), data quality (complete records, stage moves backwards, duplicates
found and merged), benefit (won amount per currency and growth, win rate, repeat purchases), usage (active
users per week, adoption per rep, features used and never used, card cancellations, visit to
record time), last quarter's forecast against what was won, and quote approval times; each
against the quarter before, with the digest's funnel and weekly trend charts. PDF needs
WeasyPrint and pango (scripts/system-deps.sh); Chinese uses the Noto Sans CJK font.
"""


def add_commands(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("report", help="write reports to files (the quarterly value report)",
                           description="Reports as files. `salesbot report value --help` for the value report.")
    rsub = group.add_subparsers(title="reports", metavar="REPORT")
    p = rsub.add_parser("value", help="the quarterly value report as PDF or HTML", description=VALUE_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quarter", help="e.g. 2026Q4 (default: the last finished quarter)")
    p.add_argument("--format", choices=("pdf", "html"),
                   help="pdf or html (default: from the file name's extension, else pdf)")
    p.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="the report's language (default zh)")
    p.set_defaults(handler=cmd_report_value, quiet_logs=True)
    group.set_defaults(handler=lambda a, s: group.print_help())


def cmd_report_value(args, settings: Settings) -> int:
    from bot.cli import CliError, _database
    from analytics.quarters import Quarter
    from analytics.report import render_html, render_pdf
    from analytics.value import build_value_report
    from storage.db import session_scope

    started = time.perf_counter()
    fmt = args.format or ("html" if args.output.suffix.lower() in (".html", ".htm") else "pdf")
    today = datetime.now(settings.tz).date()
    try:
        quarter = Quarter.parse(args.quarter) if args.quarter else Quarter.of(today).previous()
    except ValueError as exc:
        raise CliError(f"--quarter: {exc}") from None
    if quarter.start > today:
        raise CliError(f"--quarter {quarter} has not started yet (today is {today})")
    engine = _database(settings)
    with session_scope(engine) as session:
        report = build_value_report(session=session, quarter=quarter, tz=settings.tz, today=today)
    html = render_html(report, args.lang, default_currency=settings.default_currency)
    if fmt == "html":
        data = html.encode("utf-8")
    else:
        try:
            data = render_pdf(html)
        except (ImportError, OSError) as exc:
            raise CliError(f"PDF needs WeasyPrint and pango: pip install weasyprint; "
                           f"bash scripts/system-deps.sh ({exc.__class__.__name__}: {exc})") from None
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(data)
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc}") from None
    print(f"wrote {args.output} ({fmt}, {quarter}, {args.lang}, {len(data):,} bytes) in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
