"""`salesbot web` (serve the console and the REST API) and `salesbot web link --as USER`."""
from __future__ import annotations

import argparse
from datetime import datetime, timezone

from storage.config import Settings


def add_web_commands(sub) -> None:
    web = sub.add_parser(
        "web", help="serve the manager web console and REST API; `web link` prints a sign-in link",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve the web console (/web) and the REST API (/api/v1, docs at /api/docs) on "
                    "WEB_HOST:WEB_PORT (default 127.0.0.1:8080). Users sign in with a one-time link: "
                    "/web in chat, or `salesbot web link --as USER`.",
        epilog="examples:\n  salesbot web --port 8080\n  salesbot web link --as 张伟 --base-url https://crm.example.com\n"
               "settings: WEB_HOST, WEB_PORT, WEB_BASE_URL, WEB_SECRET_KEY, WEB_SESSION_HOURS, WEB_LINK_MINUTES")
    web.add_argument("--host", help="address to bind (default WEB_HOST)")
    web.add_argument("--port", type=int, help="port to bind (default WEB_PORT)")
    web.set_defaults(handler=cmd_web)
    wsub = web.add_subparsers(title="web commands", metavar="ACTION")
    p = wsub.add_parser("link", help="print a one-time sign-in link (valid WEB_LINK_MINUTES) for a user",
                        description="Print a one-time console sign-in link for USER on standard output.")
    p.add_argument("--as", dest="as_user", required=True, metavar="USER", help="user id or name")
    p.add_argument("--base-url", help="the console's public address (default WEB_BASE_URL)")
    p.set_defaults(handler=cmd_web_link, quiet_logs=True)


def cmd_web(args, settings: Settings) -> int:
    import uvicorn

    from bot.cli import _database
    from web.app import create_app

    app = create_app(settings, db=_database(settings), run_migrations=False)
    uvicorn.run(app, host=args.host or settings.web_host, port=args.port or settings.web_port,
                log_level="warning", access_log=False)
    return 0


def cmd_web_link(args, settings: Settings) -> int:
    from bot.cli import CliError, _database, _resolve_user
    from storage.db import session_scope
    from storage.repos.web_access import create_signin_link

    base = (args.base_url or settings.web_base_url).rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise CliError("--base-url needs a full address like https://crm.example.com")
    with session_scope(_database(settings)) as session:
        user = _resolve_user(session, args.as_user)
        secret = create_signin_link(user.id, session=session, now=datetime.now(timezone.utc),
                                    minutes=settings.web_link_minutes, via="cli")
    print(f"{base}/web/signin/{secret}")
    return 0
