"""The FastAPI application: state, templates, static files, error pages, routers."""
from __future__ import annotations

import logging
import secrets
import threading
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from itsdangerous import URLSafeSerializer
from sqlalchemy.engine import Engine

from prompts.errors import render_error
from prompts.web import stage_name, web_text
from storage.config import Settings
from storage.db import make_engine, migrate
from tools.base import Clock, ToolError, system_clock

HERE = Path(__file__).parent
log = logging.getLogger("salesbot.web")


@dataclass
class WebState:
    settings: Settings
    db: Engine
    clock: Clock
    signer: URLSafeSerializer
    templates: Jinja2Templates

    @property
    def secure_cookies(self) -> bool:
        return self.settings.web_base_url.startswith("https://")


class NotSignedIn(Exception):
    pass


class Forbidden(Exception):
    pass


def create_app(settings: Settings, *, db: Engine | None = None, clock: Clock = system_clock,
               run_migrations: bool = True) -> FastAPI:
    """The console and the API over `db` (default: DATABASE_URL, migrated)."""
    if db is None:
        db = make_engine(settings.database_url)
    if run_migrations:
        migrate(db)
    key = settings.web_secret_key.get_secret_value() if settings.web_secret_key else None
    if not key:
        log.warning("WEB_SECRET_KEY is not set: a random key is used, sessions end at restart")
        key = secrets.token_urlsafe(32)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(stage_name=stage_name)
    templates.env.filters["money"] = format_money
    templates.env.filters["pct"] = lambda v: "—" if v is None else f"{v * 100:.0f}%"
    app = FastAPI(title="Salesbot API", version="1", docs_url="/api/docs", redoc_url=None, lifespan=_warm_up,
                  openapi_url="/api/openapi.json",
                  description="CRM records within the token owner's permissions. Authenticate with "
                              "`Authorization: Bearer <personal API token>` (created in the console).")
    app.state.web = WebState(settings=settings, db=db, clock=clock,
                             signer=URLSafeSerializer(key, salt="salesbot-session"), templates=templates)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from web import api, auth, leads_api, pages

    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(leads_api.router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/web/pipeline", status_code=303)

    @app.exception_handler(NotSignedIn)
    def not_signed_in(request: Request, exc: NotSignedIn):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "unauthorized", "message": "a valid API token is needed"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return message_page(request, None, "sign_in_needed", 401)

    @app.exception_handler(Forbidden)
    def forbidden(request: Request, exc: Forbidden):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "forbidden", "message": str(exc) or "not allowed"}, status_code=403)
        return message_page(request, None, str(exc) or "not_allowed", 403)

    @app.exception_handler(ToolError)
    def tool_error(request: Request, exc: ToolError):
        lang = getattr(request.state, "lang", "en" if request.url.path.startswith("/api/") else "zh")
        status = 404 if exc.code in ("record_not_found", "quote_not_found", "account_not_found",
                                     "account_not_in_reach") else (
            403 if exc.code.startswith("not_") or exc.code == "cannot_decide_own_quote" else 422)
        text = render_error(exc.code, exc.params, lang)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.code, "message": text}, status_code=status)
        return message_page(request, getattr(request.state, "user", None), None, status, text=text)

    @app.exception_handler(Exception)
    def crashed(request: Request, exc: Exception):
        error_id = uuid.uuid4().hex[:10]
        log.error("request failed", exc_info=exc, extra={"error_id": error_id, "path": request.url.path})
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "internal", "error_id": error_id}, status_code=500)
        lang = getattr(request.state, "lang", "zh")
        return message_page(request, None, None, 500, text=web_text(lang)("error", error_id=error_id))

    return app


@asynccontextmanager
async def _warm_up(app: FastAPI):
    """Load what the first search and the first data-health page would otherwise wait for (the
    pinyin dictionary, the duplicate finder's name caches) in the background at start-up."""
    def load() -> None:
        from sqlmodel import Session

        from tools.account_view import searchable_forms
        from tools.health import warm_up

        searchable_forms("预热")
        try:
            with Session(app.state.web.db) as session:
                warm_up(session)
        except Exception:  # a warm-up only saves time; the request does the same work if it failed
            log.warning("web warm-up of the duplicate finder failed", exc_info=True)

    threading.Thread(target=load, name="web-warm-up", daemon=True).start()
    yield


def state_of(request: Request) -> WebState:
    return request.app.state.web


def message_page(request: Request, user, key: str | None, status: int, *, text: str | None = None) -> HTMLResponse:
    lang = getattr(request.state, "lang", None) or _accept_language(request)
    _ = web_text(lang)
    return state_of(request).templates.TemplateResponse(
        request, "message.html", {"_": _, "lang": lang, "user": user, "message": text or _(key), "csrf": None,
                                  "nav": None}, status_code=status)


def _accept_language(request: Request) -> str:
    header = request.headers.get("accept-language", "")
    return "en" if header.lower().startswith("en") else "zh"


def format_money(values) -> str:
    """[{amount, currency}] or one {amount, currency} → '¥800,000 + $12,000'; '—' for none."""
    if not values:
        return "—"
    if isinstance(values, dict):
        values = [values]
    symbols = {"CNY": "¥", "USD": "$", "EUR": "€"}
    parts = []
    for item in values:
        amount = float(item["amount"])
        text = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
        parts.append(f"{symbols.get(item['currency'], item['currency'] + ' ')}{text}")
    return " + ".join(parts)
