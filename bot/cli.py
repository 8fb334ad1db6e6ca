"""`salesbot`: the command line. Every subcommand's --help says what it does and how."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from storage.config import Settings, SettingsError, load_settings

EPILOG = """\
examples:
  salesbot demo --if-empty && salesbot chat --as 1   console chat as demo rep 1 (no keys needed)
  salesbot users invite --user 3                     one-time code; send "/start CODE" in chat
  salesbot users prefs 3 --off weekly_digest         switch a proactive message off
  salesbot export visits --format csv -o visits.csv
  salesbot web link --as 3 && salesbot web           sign a manager in to the web console, serve it
  salesbot parse --fixture fixture.json --batch cases.jsonl
  salesbot knowledge rebuild && salesbot suggest --as 1 --account 蓝海   next steps from past deals
  salesbot report value --quarter 2026Q4 --format pdf -o value.pdf --lang zh   quarterly value report
  salesbot leads import leads.csv --dry-run --json   match and route leads, write nothing
  salesbot leads rules check                         validate ROUTING_RULES, route the last 100 leads
  salesbot jobs run-due --dry-run                    what the scheduler would send now (cron: without --dry-run)
  salesbot contract read page1.jpg page2.jpg --as 1 --json   read a contract photo (writes nothing)
  salesbot accounts merge 蓝鲸数据 蓝鲸数据科技 --as 3 --dry-run   what a merge of duplicates would move

settings come from the environment or .env (see .env.example): DATABASE_URL, ENGINE, LLM_MODEL, ...
"""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"salesbot: configuration error\n{exc}", file=sys.stderr)
        return 2
    from bot.logs import setup_logging

    setup_logging(settings.log_level if not getattr(args, "quiet_logs", False) else "WARNING",
                  settings.log_format)
    try:
        return args.handler(args, settings) or 0
    except CliError as exc:
        print(f"salesbot: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:  # raised at start by checks that need more than one variable
        print(f"salesbot: configuration error\n{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


class CliError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salesbot", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Chat-first sales assistant: turns reps' messages into CRM records after they confirm.")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("chat", help="console chat as a user (cards with numbered choices)",
                       description="Open an interactive console chat as USER (an id or a name). "
                                   "Type a visit note, a deal update or a question; reply with the "
                                   "number of a choice to press it; /photo PATH [PATH...] sends photos or "
                                   "a PDF of a signed contract (pages of one contract) to close its deal; "
                                   "/quit or Ctrl-D ends.")
    p.add_argument("--as", dest="as_user", required=True, metavar="USER", help="user id or name, e.g. 1 or 王磊")
    p.set_defaults(handler=cmd_chat, quiet_logs=True)

    p = sub.add_parser("run", help="run the bot on a platform (console, telegram, wechat, wecom, feishu)",
                       description="Run the bot. console is the same as `chat`; the others read their "
                                   "settings (TELEGRAM_BOT_TOKEN, WECHATY_PUPPET_SERVICE_TOKEN, "
                                   "WECOM_CORP_ID..., FEISHU_APP_ID...) from the environment; see .env.example.")
    p.add_argument("--platform", choices=["console", "telegram", "wechat", "wecom", "feishu"], default="console")
    p.add_argument("--as", dest="as_user", metavar="USER", help="console only: user id or name")
    p.add_argument("--workers-only", action="store_true",
                   help="telegram only: handle and answer messages from the shared inbox without polling "
                        "Telegram or serving the webhook (extra processes on one PostgreSQL database)")
    p.set_defaults(handler=cmd_run)

    p = sub.add_parser("demo", help="load the bundled demo dataset",
                       description="Load a realistic demo CRM (reps, managers, 40 accounts, 150 deals "
                                   "with visit histories) into DATABASE_URL.")
    p.add_argument("--if-empty", action="store_true", help="do nothing when the database has users")
    p.add_argument("--reset", action="store_true", help="delete the SQLite file first (SQLite only)")
    p.set_defaults(handler=cmd_demo, quiet_logs=True)

    p = sub.add_parser("import", help="load a CRM state from a fixture JSON file",
                       description="Load users, accounts, contacts, deals, quotes and visits from a "
                                   "file in the format of the eval fixture. One transaction: a bad "
                                   "file writes nothing.")
    p.add_argument("fixture", type=Path, metavar="FIXTURE.json")
    p.set_defaults(handler=cmd_import, quiet_logs=True)

    users = sub.add_parser("users", help="list users, link chat accounts, make invite codes",
                           description="Manage who may talk to the bot.")
    usub = users.add_subparsers(title="users commands", metavar="ACTION")
    p = usub.add_parser("list", help="list users with their role, manager and linked chats")
    p.set_defaults(handler=cmd_users_list, quiet_logs=True)
    p = usub.add_parser("link", help="link a chat account to a user",
                        description="Map PLATFORM's EXTERNAL_ID (a Telegram user id, a WeChat contact "
                                    "id, a WeCom userid, a Feishu open_id) to USER_ID.")
    p.add_argument("user_id", type=int, metavar="USER_ID")
    p.add_argument("platform", choices=["telegram", "wechat", "wecom", "feishu", "console"], metavar="PLATFORM",
                   help="telegram, wechat, wecom (the member's userid), feishu (the user's open_id, ou_...) or console")
    p.add_argument("external_id", metavar="EXTERNAL_ID")
    p.set_defaults(handler=cmd_users_link, quiet_logs=True)
    p = usub.add_parser("invite", help="print a one-time code the user sends as /start CODE",
                        description="Create a one-time invite code (valid 7 days). The user sends "
                                    "`/start CODE` (or `绑定 CODE`) to the bot to link their account.")
    p.add_argument("--user", type=int, required=True, metavar="USER_ID")
    p.set_defaults(handler=cmd_users_invite, quiet_logs=True)
    from bot.scheduler.notify import add_prefs_command

    add_prefs_command(usub)
    users.set_defaults(handler=lambda a, s: users.print_help())

    p = sub.add_parser("export", help="export records as JSON lines, CSV, XLSX or Parquet for BI and ERP",
                       description="Write one record a row with ids, names and timestamps. XLSX and "
                                   "Parquet are binary: give -o FILE (or redirect standard output).")
    p.add_argument("kind", choices=["visits", "opportunities", "quotes", "reminders", "accounts", "contacts",
                                    "attachments", "leads"],
                   help="attachments: the contract files filed in chat (the files stay in ATTACHMENTS_DIR, "
                        "named by sha256)")
    p.add_argument("--format", choices=["jsonl", "csv", "xlsx", "parquet"], default="jsonl")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.set_defaults(handler=cmd_export, quiet_logs=True)

    p = sub.add_parser("parse", help="turn messages into tool calls (the eval batch contract)",
                       description="Batch: for each line {id, now, user, text} of CASES.jsonl, parse "
                                   "text as `user` at `now` against a fresh in-memory copy of "
                                   "FIXTURE.json and print {\"id\", \"calls\"} a line. Single: parse "
                                   "TEXT as --as USER against DATABASE_URL.")
    p.add_argument("text", nargs="?", help="one message to parse (needs --as)")
    p.add_argument("--fixture", type=Path, help="CRM state to parse against (batch mode)")
    p.add_argument("--batch", type=Path, metavar="CASES.jsonl", help="cases to parse (batch mode)")
    p.add_argument("--as", dest="as_user", metavar="USER", help="user id or name (single mode)")
    p.add_argument("--engine", choices=["rules", "llm", "hybrid"],
                   help="engine to use (default: ENGINE from settings)")
    p.set_defaults(handler=cmd_parse, quiet_logs=True)

    p = sub.add_parser("transcribe", help="voice note → text (and, with --parse, tool calls)",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Transcribe AUDIO_FILE (ogg/opus, silk, amr, mp3, m4a, wav) with the "
                                   "configured backend (WHISPER_BACKEND, WHISPER_MODEL, or TRANSCRIBE_API_URL "
                                   "for openai-api) under the same limits as chat voice notes, and print "
                                   "the text. With --as USER the user's language and account names guide "
                                   "the model; with --parse the text also goes through the engine.",
                       epilog="examples:\n"
                              "  WHISPER_MODEL=small salesbot transcribe note.ogg\n"
                              "  salesbot transcribe wechat.silk --parse --as 1\n"
                              "exit status 2 when the note is refused (too long, silent, undecodable).")
    p.add_argument("audio", type=Path, metavar="AUDIO_FILE", help="the voice note; its suffix names the format")
    p.add_argument("--format", help="container/codec when the file name does not say (ogg, silk, amr, ...)")
    p.add_argument("--as", dest="as_user", metavar="USER", help="user id or name: language hint and names")
    p.add_argument("--language", help="language hint (zh, en) overriding the user's; default: detect")
    p.add_argument("--parse", action="store_true", help="also print the tool calls the engine gives (needs --as)")
    p.set_defaults(handler=cmd_transcribe, quiet_logs=True)

    p = sub.add_parser("stats", help="engine usage: calls, latency, tokens, fallbacks",
                       description="Summarize which engine answered, how fast, and LLM token usage.")
    p.add_argument("--days", type=int, default=7, help="look back this many days (default 7)")
    p.set_defaults(handler=cmd_stats, quiet_logs=True)

    p = sub.add_parser("migrate", help="create or upgrade the database schema",
                       description="Run Alembic migrations on DATABASE_URL up to the newest revision.")
    p.set_defaults(handler=cmd_migrate, quiet_logs=True)

    from bot.contract_cli import add_commands as add_contract_commands
    from bot.knowledge_cli import add_commands
    from bot.report_cli import add_commands as add_report_commands

    add_commands(sub)
    add_report_commands(sub)
    from bot.web_cli import add_web_commands

    add_web_commands(sub)
    add_contract_commands(sub)
    from bot.accounts_cli import add_commands as add_account_commands

    add_account_commands(sub)
    from bot.leads_cli import add_commands as add_leads_commands

    add_leads_commands(sub)
    from bot.jobs_cli import add_commands as add_jobs_commands

    add_jobs_commands(sub)
    return parser


# --- commands -----------------------------------------------------------------------------


def _app(settings: Settings, **kwargs):
    from bot.app import build_app

    return build_app(settings, **kwargs)


def _database(settings: Settings):
    """The migrated database of DATABASE_URL."""
    from storage.db import make_engine, migrate

    engine = make_engine(settings.database_url)
    migrate(engine)
    return engine


def _resolve_user(session, who: str):
    from sqlmodel import select

    from storage.models import User
    from storage.names import fold

    if who.isdigit():
        user = session.get(User, int(who))
    else:
        user = next((u for u in session.exec(select(User)).all()
                     if fold(who) in {fold(n) for n in [u.name, *(u.aliases or [])]}), None)
    if user is None:
        raise CliError(f"no user {who!r}; `salesbot users list` shows them (run `salesbot demo` for demo data)")
    return user


def cmd_chat(args, settings: Settings) -> int:
    from bot.adapters.console.adapter import ConsoleAdapter
    from bot.identity import link
    from bot.loop import ConversationLoop
    from storage.db import session_scope

    app = _app(settings, warm_up=True)
    with session_scope(app.db) as session:
        user = _resolve_user(session, args.as_user)
        # The person at this terminal is trusted to act as --as USER: link the console identity.
        link(user.id, "console", str(user.id), chat_id=f"console:{user.id}", session=session,
             now=datetime.now(timezone.utc))
        user_id, name, lang = user.id, user.name, user.language
    from bot.scheduler.runner import Scheduler, beside

    adapter = ConsoleAdapter(ConversationLoop(app), user_id, name, lang)
    scheduler = Scheduler(app, adapter.outbox, platforms=["console"], only_users=[user_id])
    asyncio.run(beside(adapter.start(), scheduler))
    return 0


def cmd_run(args, settings: Settings) -> int:
    if args.platform == "console":
        if not args.as_user:
            raise CliError("run --platform console needs --as USER")
        return cmd_chat(args, settings)
    import importlib

    if getattr(args, "workers_only", False):
        if args.platform != "telegram":
            raise CliError("--workers-only is for --platform telegram")
        from bot.adapters.telegram.adapter import run_telegram

        return run_telegram(settings, intake=False)
    try:
        module = importlib.import_module(f"bot.adapters.{args.platform}.adapter")
    except ModuleNotFoundError as exc:
        raise CliError(f"the {args.platform} adapter is not available: {exc.name} is not installed "
                       f"(pip install 'salesbot[{args.platform}]')") from None
    return getattr(module, f"run_{args.platform}")(settings)


def cmd_demo(args, settings: Settings) -> int:
    from storage.db import session_scope
    from storage.demo import load_demo
    from storage.fixture import has_data

    if args.reset:
        if not settings.database_url.startswith("sqlite:///"):
            raise CliError("--reset only deletes SQLite files; drop a PostgreSQL database yourself")
        path = Path(settings.database_url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    engine = _database(settings)
    with session_scope(engine) as session:
        if has_data(session=session):
            if args.if_empty:
                print("database already has data; demo not loaded")
                return 0
            raise CliError("the database already has data; use --reset (SQLite) or an empty database")
        counts = load_demo(session=session)
    print("demo loaded: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def cmd_import(args, settings: Settings) -> int:
    from storage.db import session_scope
    from storage.fixture import FixtureError, import_fixture

    try:
        data = json.loads(args.fixture.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CliError(f"cannot read {args.fixture}: {exc}") from None
    engine = _database(settings)
    try:
        with session_scope(engine) as session:
            counts = import_fixture(data, session=session)
    except FixtureError as exc:
        raise CliError(str(exc)) from None
    except Exception as exc:  # an id clash with existing rows, a bad reference...
        raise CliError(f"import failed, nothing was written: {exc.__class__.__name__}: {str(exc)[:300]}") from None
    print("imported: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


def cmd_users_list(args, settings: Settings) -> int:
    from sqlmodel import select

    from bot.identity import identities_of
    from storage.db import session_scope
    from storage.models import User

    engine = _database(settings)
    with session_scope(engine) as session:
        users = session.exec(select(User).order_by(User.id)).all()
        if not users:
            print("no users yet; run `salesbot demo` or `salesbot import FIXTURE.json`")
        for u in users:
            chats = ", ".join(f"{i.platform}:{i.external_id}" for i in identities_of(u.id, session=session))
            print(f"{u.id:>4}  {u.name:<16} {u.role:<8} manager={u.manager_id or '-':<4} "
                  f"lang={u.language} tz={u.timezone}  {chats}")
    return 0


def cmd_users_link(args, settings: Settings) -> int:
    from bot.identity import link
    from storage.db import session_scope

    engine = _database(settings)
    try:
        with session_scope(engine) as session:
            link(args.user_id, args.platform, args.external_id, session=session, now=datetime.now(timezone.utc))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    print(f"linked {args.platform}:{args.external_id} → user {args.user_id}")
    return 0


def cmd_users_invite(args, settings: Settings) -> int:
    from bot.identity import create_invite
    from storage.db import session_scope

    engine = _database(settings)
    try:
        with session_scope(engine) as session:
            code = create_invite(args.user, session=session, now=datetime.now(timezone.utc))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    print(code)
    return 0


def cmd_export(args, settings: Settings) -> int:
    from storage.db import session_scope
    from storage.export import BINARY_FORMATS, write_binary_export, write_export

    engine = _database(settings)
    binary = args.format in BINARY_FORMATS
    if binary and not args.output and sys.stdout.isatty():
        raise CliError(f"{args.format} is a binary format: give -o FILE.{args.format}")
    if binary:
        out = args.output.open("wb") if args.output else sys.stdout.buffer
    else:
        out = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        with session_scope(engine) as session:
            if binary:
                write_binary_export(args.kind, args.format, out, session=session)
            else:
                write_export(args.kind, args.format, out, session=session)
    finally:
        if args.output:
            out.close()
    return 0


def cmd_parse(args, settings: Settings) -> int:
    if args.engine:
        settings = settings.model_copy(update={"engine": args.engine})
    from intents.factory import build_engine

    engine = build_engine(settings)
    if args.batch or args.fixture:
        if not (args.batch and args.fixture):
            raise CliError("batch mode needs both --fixture and --batch")
        from intents.batch import parse_batch

        try:
            fixture = json.loads(args.fixture.read_text(encoding="utf-8"))
            with args.batch.open(encoding="utf-8") as fh:
                cases = [json.loads(line) for line in fh if line.strip()]
        except (OSError, json.JSONDecodeError) as exc:
            raise CliError(f"cannot read input: {exc}") from None
        for row in parse_batch(fixture, cases, engine=engine):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        totals = getattr(getattr(engine, "llm", engine), "totals", None)  # LLM usage of the run
        if totals is not None:
            print(totals.summary(), file=sys.stderr)
        return 0
    if not (args.text and args.as_user):
        raise CliError("give TEXT and --as USER, or --fixture and --batch")
    from bot.loop import ConversationLoop
    from storage.db import session_scope

    app = _app(settings, engine=engine)
    loop = ConversationLoop(app)
    with session_scope(app.db) as session:
        user = _resolve_user(session, args.as_user)
        parse = engine.parse(args.text, loop.parse_context(user, "cli", session=session))
    print(json.dumps({"engine": parse.engine, "confidence": round(parse.confidence, 3),
                      "calls": parse.to_json(),
                      "questions": [q.__dict__ for q in parse.questions]}, ensure_ascii=False, indent=1,
                     default=str))
    return 0


def cmd_transcribe(args, settings: Settings) -> int:
    from intents.transcribe import (
        Limits, TranscriptionError, build_transcriber, transcribe_note, vocabulary_prompt, whisper_language,
    )
    from storage.db import make_engine, migrate, session_scope
    from storage.names import load_directory

    if args.parse and not args.as_user:
        raise CliError("--parse needs --as USER (whose accounts and time zone the engine uses)")
    try:
        data = args.audio.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {args.audio}: {exc.strerror or exc}") from None
    transcriber = build_transcriber(settings)
    if transcriber is None:
        raise CliError("voice notes are off: set WHISPER_MODEL (a size name or a local model path), or "
                       "WHISPER_BACKEND=openai-api with TRANSCRIBE_API_URL; see docs/voice.md")
    db = make_engine(settings.database_url)
    migrate(db)
    with session_scope(db) as session:
        user = _resolve_user(session, args.as_user) if args.as_user else None
        user_id, user_language = (user.id, user.language) if user else (None, None)
        directory = load_directory(session=session)
    language = whisper_language(args.language or user_language)
    try:
        text = transcribe_note(transcriber, data, args.format or args.audio.suffix.lstrip("."),
                               limits=Limits.from_settings(settings), language=language,
                               prompt=vocabulary_prompt(directory, user_id, language))
    except TranscriptionError as exc:
        raise CliError(f"{exc.code}: {exc.user_message(user_language or 'en')}"
                       + (f" ({exc.detail})" if exc.detail else "")) from None
    if not args.parse:
        print(text)
        return 0
    from bot.loop import ConversationLoop

    app = _app(settings, db=db, run_migrations=False, transcriber=transcriber)
    with session_scope(app.db) as session:
        user = _resolve_user(session, args.as_user)
        parse = app.engine.parse(text, ConversationLoop(app).parse_context(user, "cli", session=session))
    print(json.dumps({"transcript": text, "engine": parse.engine, "calls": parse.to_json(),
                      "questions": [q.__dict__ for q in parse.questions]}, ensure_ascii=False, indent=1,
                     default=str))
    return 0


def cmd_stats(args, settings: Settings) -> int:
    from bot.stats import engine_stats
    from storage.db import session_scope

    engine = _database(settings)
    with session_scope(engine) as session:
        print(engine_stats(session=session, days=args.days, now=datetime.now(timezone.utc)))
    return 0


def cmd_migrate(args, settings: Settings) -> int:
    from storage.db import make_engine, migrate

    migrate(make_engine(settings.database_url))
    print("database is at the newest schema")
    return 0


if __name__ == "__main__":
    sys.exit(main())
