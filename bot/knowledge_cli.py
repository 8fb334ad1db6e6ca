"""`salesbot knowledge ...` and `salesbot suggest`: the deal index from the command line."""
from __future__ import annotations

import argparse
import sys

from storage.config import Settings

KNOWLEDGE_HELP = """\
The knowledge index holds every deal and visit (account, industry, region, size, stage path,
notes, objections, competitor, outcome) for retrieval over past deals: BM25 over jieba tokens
plus dense vectors from EMBEDDING_MODEL, in KNOWLEDGE_DIR (default var/knowledge). The bot keeps
it up to date as visits are logged and deals close; rebuild it after importing data, switching
DATABASE_URL or changing EMBEDDING_MODEL. Without an index, suggestions come from the rules.
"""


def add_commands(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("knowledge", help="build and inspect the index of past deals",
                           description=KNOWLEDGE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ksub = group.add_subparsers(title="knowledge commands", metavar="ACTION")
    p = ksub.add_parser("rebuild", help="index every deal and visit from scratch",
                        description="Index every deal and visit of DATABASE_URL into a new collection "
                                    "in KNOWLEDGE_DIR, then switch to it (a running bot keeps answering "
                                    "from the old one until the new one is complete). Loads "
                                    "EMBEDDING_MODEL; the demo's 150 deals take about a minute on a "
                                    "laptop CPU.")
    p.add_argument("--if-missing", action="store_true",
                   help="do nothing when an index for this database and model already exists")
    p.set_defaults(handler=cmd_knowledge_rebuild, quiet_logs=True)
    p = ksub.add_parser("status", help="say whether the index is usable and what it holds",
                        description="Print the index's manifest (deals, documents, model, build time) "
                                    "or why there is no usable index.")
    p.set_defaults(handler=cmd_knowledge_status, quiet_logs=True)
    group.set_defaults(handler=lambda a, s: group.print_help())

    p = sub.add_parser("suggest", help="next steps for an account, as the chat answers them",
                       description="Print the suggest_next_steps answer the chat gives USER for ACCOUNT: "
                                   "from similar past deals (with citations) when the knowledge index is "
                                   "built, else from the rules.")
    p.add_argument("--as", dest="as_user", required=True, metavar="USER_ID", help="user id or name, e.g. 1")
    p.add_argument("--account", required=True, metavar="NAME", help="the account, as a rep would name it")
    p.add_argument("--question", metavar="TEXT", help="what the rep asks, e.g. \"客户嫌贵怎么办\"")
    p.set_defaults(handler=cmd_suggest, quiet_logs=True)


def cmd_knowledge_rebuild(args, settings: Settings) -> int:
    from bot.cli import CliError
    from knowledge import service
    from knowledge.embedder import EmbedderError
    from knowledge.index import IndexUnavailable
    from storage.db import make_engine, migrate

    if args.if_missing and service.unavailable_reason(settings) is None:
        print("knowledge index already built; nothing to do")
        return 0
    engine = make_engine(settings.database_url)
    migrate(engine)

    def progress(done: int, total: int) -> None:
        print(f"\r  {done}/{total} deals", end="", file=sys.stderr, flush=True)

    try:
        report = service.rebuild(settings, engine, progress=progress)
    except (IndexUnavailable, EmbedderError) as exc:
        raise CliError(str(exc)) from None
    print(file=sys.stderr)
    print(f"indexed {report.deals} deals, {report.documents} documents in {report.seconds:.1f} s "
          f"({settings.embedding_model}, {service.directory_of(settings)})")
    return 0


def cmd_knowledge_status(args, settings: Settings) -> int:
    from knowledge import service
    from knowledge.index import Manifest

    reason = service.unavailable_reason(settings)
    manifest = Manifest.read(service.directory_of(settings))
    if manifest is not None:
        print(f"{manifest.deals} deals, {manifest.documents} documents, built {manifest.built_at} with "
              f"{manifest.embedding_model} in {service.directory_of(settings)}")
    print("usable" if reason is None else f"not usable: {reason}")
    return 0 if reason is None else 1


def cmd_suggest(args, settings: Settings) -> int:
    from bot.cli import _resolve_user
    from bot.render_results import render_result
    from prompts.errors import render_error
    from storage.db import make_engine, migrate, session_scope
    from tools.base import ToolContext, ToolError, get_tool

    engine = make_engine(settings.database_url)
    migrate(engine)
    with session_scope(engine) as session:
        user = _resolve_user(session, args.as_user)
        ctx = ToolContext(user=user, session=session, settings=settings)
        call = {"account": args.account} | ({"question": args.question} if args.question else {})
        try:
            result = get_tool("suggest_next_steps").run(ctx, call)
        except ToolError as err:
            print(render_error(err.code, err.params, user.language))
            return 1
        print(render_result(result, user.language))
    return 0
