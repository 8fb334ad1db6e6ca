"""`salesbot accounts merge|unmerge`: one record per customer from the command line, through the
same tools (and permissions) as the chat card and the web console's Merge button."""
from __future__ import annotations

import argparse
import json

from storage.config import Settings

MERGE_HELP = """\
Fold the account DROP into KEEP (each an id, a CRM name or a customer number such as C000042):
contacts (the same person becomes one contact), visits, deals, quotes, reminders and everything
else of DROP move to KEEP; DROP's name, aliases and number become aliases of KEEP, so messages
naming them still find it; KEEP's empty industry, region, phone and email are filled from DROP;
fields both have with different values are listed as conflicts (KEEP's value stays). Managers
(for accounts of their team) and admins only. --dry-run shows the same figures and writes nothing.
--json prints {"merge_id", "moved": {"contacts", "visits", "opportunities", "quotes", "reminders",
...}, "conflicts": [...]} (merge_id is null on a dry run). Undo with `salesbot accounts unmerge ID`.
"""
UNMERGE_HELP = """\
Undo the merge MERGE_ID (printed by `accounts merge`; also the id of its audit entry): the dropped
account is live again with its number, the rows and contacts that moved go back (those not changed
by hand since), and the aliases and fields the merge gave the kept account are removed.
"""


def add_commands(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("accounts", help="merge duplicate accounts into one customer record, or undo it",
                           description="One record per customer: merge duplicates, undo a merge.")
    asub = group.add_subparsers(title="accounts commands", metavar="ACTION")
    p = asub.add_parser("merge", help="merge the account DROP into KEEP", description=MERGE_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("keep", metavar="KEEP", help="the account that stays: id, name or customer number")
    p.add_argument("drop", metavar="DROP", help="the duplicate folded into it: id, name or customer number")
    p.add_argument("--as", dest="as_user", required=True, metavar="USER", help="acting manager or admin: id or name")
    p.add_argument("--dry-run", action="store_true", help="show what would move and conflict; write nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.set_defaults(handler=cmd_accounts_merge, quiet_logs=True)
    p = asub.add_parser("unmerge", help="undo a merge by its id", description=UNMERGE_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("merge_id", type=int, metavar="MERGE_ID", help="the id `accounts merge` printed")
    p.add_argument("--as", dest="as_user", required=True, metavar="USER", help="acting manager or admin: id or name")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.set_defaults(handler=cmd_accounts_unmerge, quiet_logs=True)
    group.set_defaults(handler=lambda a, s: group.print_help())


def _run(settings: Settings, as_user: str, call, *, dry: bool = False):
    from bot.cli import CliError, _database, _resolve_user
    from bot.executor import dry_run, run_calls
    from prompts.errors import render_error
    from storage.db import session_scope
    from tools.base import ToolContext, ToolError

    with session_scope(_database(settings)) as session:
        user = _resolve_user(session, as_user)
        ctx = ToolContext(user=user, session=session, settings=settings, source_message="salesbot accounts")
        try:
            [result] = (dry_run if dry else run_calls)([call], ctx)
        except ToolError as err:
            raise CliError(render_error(err.code, err.params, user.language)) from None
        return result, user.language


def cmd_accounts_merge(args, settings: Settings) -> int:
    from bot.render_merge import merge_card
    from bot.render_results import Fmt, render_result
    from tools.base import ToolCall

    call = ToolCall("merge_accounts", {"keep": args.keep, "merge": args.drop})
    result, lang = _run(settings, args.as_user, call, dry=args.dry_run)
    d = result.data
    if args.json:
        print(json.dumps({"merge_id": None if args.dry_run else d["merge_id"], "moved": d["moved"],
                          "conflicts": d["conflicts"], "kept": d["kept"], "merged": d["merged"],
                          "dry_run": args.dry_run}, ensure_ascii=False, default=str))
    elif args.dry_run:
        print(merge_card(d, call.args, Fmt(lang, None)))
    else:
        print(render_result(result, lang))
    return 0


def cmd_accounts_unmerge(args, settings: Settings) -> int:
    from bot.render_results import render_result
    from tools.base import ToolCall

    result, lang = _run(settings, args.as_user, ToolCall("unmerge_accounts", {"audit_id": args.merge_id}))
    if args.json:
        print(json.dumps({"merge_id": args.merge_id, "returned": result.data["returned"],
                          "kept": result.data["kept"], "restored": result.data["restored"]},
                         ensure_ascii=False, default=str))
    else:
        print(render_result(result, lang))
    return 0
