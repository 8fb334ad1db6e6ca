"""`salesbot jobs run-due`: run (or list) the scheduler's due work once, for cron and for tests."""
from __future__ import annotations

import argparse
import asyncio
import json
from datetime import datetime, timezone

from storage.config import Settings

HELP = """\
Run every scheduler job due by --at (default: now) once and exit: lead SLA steps (nudges,
reassignments, manager notices), chat notices, reminders, morning briefs, stale-deal and approval
nudges, digests and reports. Running it again at the same time sends nothing twice. Messages go out
through Telegram when TELEGRAM_BOT_TOKEN is set; notices for other platforms wait in the chat
outbox for the running bot. --dry-run lists what is due and writes nothing.
"""


def add_commands(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("jobs", help="run the scheduler's due jobs once (cron)", description=HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    jsub = group.add_subparsers(title="jobs commands", metavar="ACTION")
    p = jsub.add_parser("run-due", help="run (or list) every job due by a time, once", description=HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog="examples:\n  salesbot jobs run-due                       # from cron, every few minutes\n"
                               "  salesbot jobs run-due --at 2026-12-08T09:00+08:00 --dry-run")
    p.add_argument("--at", help="ISO time to run at (default: now; no offset = DEFAULT_TIMEZONE)")
    p.add_argument("--dry-run", action="store_true", help="list what is due, write and send nothing")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(handler=cmd_run_due, quiet_logs=True)
    group.set_defaults(handler=lambda a, s: group.print_help())


def _at(text: str | None, settings: Settings) -> datetime:
    from bot.cli import CliError

    if not text:
        return datetime.now(timezone.utc)
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"--at {text!r} is not an ISO time; write e.g. 2026-12-08T09:00+08:00") from None
    return at if at.tzinfo else at.replace(tzinfo=settings.tz)


def cmd_run_due(args, settings: Settings) -> int:
    from bot.adapters import Outbox
    from bot.app import build_app
    from bot.cli import _database
    from bot.scheduler.run_due import due_now, run_due

    at = _at(args.at, settings)
    app = build_app(settings, clock=lambda: at, db=_database(settings), run_migrations=False, transcriber=False)
    platforms = ["telegram"] if settings.telegram_bot_token else []
    if args.dry_run:
        due = due_now(app, None, at)  # what is due for every linked user, whichever bot sends it
        if args.json:
            print(json.dumps(due.as_json(), ensure_ascii=False))
            return 0
        print(f"due by {at.isoformat()}: {len(due.lead_sla)} lead SLA steps, {len(due.reminders)} reminders, "
              f"{len(due.jobs)} jobs, {due.notices} chat notices waiting")
        for step in due.lead_sla:
            print(f"  lead #{step.lead_id} {step.company}: {step.kind} (tell user {step.notify_id})")
        for r in due.reminders:
            print(f"  reminder #{r['id']} for user {r['user_id']}: {r['text']}")
        for job in due.jobs:
            print(f"  {job.key}")
        return 0
    report = asyncio.run(_tick(app, platforms, run_due, Outbox()))
    if args.json:
        print(json.dumps(vars(report)))
    else:
        print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in vars(report).items()))
        if not platforms:
            print("no chat platform to send through (TELEGRAM_BOT_TOKEN unset): notices wait in the chat outbox")
    return 0


async def _tick(app, platforms, run_due, outbox):
    adapter = None
    if "telegram" in platforms:
        from bot.adapters.telegram.adapter import TelegramAdapter
        from bot.adapters.telegram.config import TelegramConfig
        from bot.loop import ConversationLoop

        adapter = TelegramAdapter(ConversationLoop(app), TelegramConfig.from_settings(app.settings), outbox=outbox)
        await adapter.application.initialize()  # send only: no polling, no webhook
    try:
        return await run_due(app, outbox, platforms)
    finally:
        if adapter is not None:
            await adapter.application.shutdown()
