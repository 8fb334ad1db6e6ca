"""`salesbot jobs run-due`: run (or list) the scheduler's due work once, for cron and for tests."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime, timezone

from storage.config import Settings

HELP = """\
Run every scheduler job due by --at (default: now) once and exit: lead SLA steps (nudges,
reassignments, manager notices), chat notices, reminders, morning briefs, stale-deal and approval
nudges, digests and reports. Running it again at the same time sends nothing twice.

Messages go out through every platform configured that can send without the running bot:
Telegram (TELEGRAM_BOT_TOKEN), WeCom (WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, ...) and Feishu
(FEISHU_APP_ID, FEISHU_APP_SECRET, ...). WeChat sends only through the running bot's puppet
gateway: messages for users reachable only there stay queued for `salesbot run --platform wechat`,
as do messages for users on no configured platform. A platform that refuses its credentials is
skipped (its messages stay queued) and the exit status is 1. --dry-run lists what is due and
writes and sends nothing.
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
    from bot.adapters.send_only import configured
    from bot.app import build_app
    from bot.cli import _database
    from bot.scheduler.run_due import due_now

    at = _at(args.at, settings)
    app = build_app(settings, clock=lambda: at, db=_database(settings), run_migrations=False, transcriber=False)
    sendable, waiting = configured(settings)
    if args.dry_run:
        due = due_now(app, None, at)  # what is due for every linked user, whichever bot sends it
        if args.json:
            print(json.dumps({**due.as_json(), "send_through": sendable, "wait_for_bot": waiting}, ensure_ascii=False))
            return 0
        print(f"due by {at.isoformat()}: {len(due.lead_sla)} lead SLA steps, {len(due.reminders)} reminders, "
              f"{len(due.jobs)} jobs, {due.notices} chat notices waiting")
        for step in due.lead_sla:
            print(f"  lead #{step.lead_id} {step.company}: {step.kind} (tell user {step.notify_id})")
        for r in due.reminders:
            print(f"  reminder #{r['id']} for user {r['user_id']}: {r['text']}")
        for job in due.jobs:
            print(f"  {job.key}")
        _print_platforms(sendable, waiting, {})
        return 0
    report, refused = asyncio.run(_tick(app, sendable))
    sent_through = [p for p in sendable if p not in refused]
    if args.json:
        print(json.dumps({**vars(report), "sent_through": sent_through, "wait_for_bot": waiting,
                          "refused": refused}, ensure_ascii=False))
    else:
        print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in vars(report).items()))
        _print_platforms(sent_through, waiting, refused)
    for platform, reason in refused.items():
        print(f"salesbot: {platform} not used: {reason}", file=sys.stderr)
    return 1 if refused else 0


def _print_platforms(sending: list[str], waiting: list[str], refused: dict[str, str]) -> None:
    if sending:
        print(f"sent through: {', '.join(sending)}")
    elif not refused:
        print("no chat platform to send through (set TELEGRAM_BOT_TOKEN, WECOM_* or FEISHU_*): "
              "messages wait in the queue for the running bot")
    for platform in waiting:
        print(f"{platform}: messages wait for the running bot (salesbot run --platform {platform})")


async def _tick(app, platforms: list[str]):
    from bot.adapters import Outbox
    from bot.adapters.send_only import send_only
    from bot.scheduler.run_due import run_due

    outbox = Outbox()
    async with send_only(app, outbox, platforms) as refused:
        report = await run_due(app, outbox, [p for p in platforms if p not in refused])
    return report, refused
