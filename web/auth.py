"""Who is asking: sign-in links, the session cookie, CSRF, API tokens.

- A sign-in link (`/web/signin/<secret>`, from `/web` in chat or `salesbot web link`) opens a page
  with one button; pressing it (a POST) spends the link and starts a session. The GET alone spends
  nothing, so a chat app fetching the link for a preview does not use it up.
- The session cookie holds the session id signed with WEB_SECRET_KEY; it is HttpOnly,
  SameSite=Lax, Secure when WEB_BASE_URL is https, and ends at WEB_SESSION_HOURS or sign-out (the
  row is ended, so a copied cookie stops working too).
- Every form carries the session's CSRF token (a hidden `csrf` field, or the `X-CSRF-Token` header
  htmx sends); a POST without the right one is refused before anything runs.
- The API takes `Authorization: Bearer <token>`: a personal token acts as its owner.
"""
from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from itsdangerous import BadSignature
from sqlmodel import Session

from prompts.web import web_text
from storage.db import session_scope
from storage.models import User
from storage.repos.web_access import (
    end_session, live_session, redeem_signin_link, start_session, user_for_token,
)
from web.app import Forbidden, NotSignedIn, message_page, state_of

COOKIE = "salesbot_session"
router = APIRouter(include_in_schema=False)
bearer = HTTPBearer(auto_error=False, description="a personal API token from the console")


@dataclass(frozen=True)
class Viewer:
    """The signed-in user (a detached copy), their language, and for a browser the session."""

    user: User
    session_id: str | None = None
    csrf: str | None = None

    @property
    def lang(self) -> str:
        return "en" if (self.user.language or "").startswith("en") else "zh"


@contextmanager
def transaction(request: Request) -> Iterator[Session]:
    """One unit of work for a request: commit on success, roll back on any exception."""
    with session_scope(state_of(request).db) as session:
        yield session


def _detached(user: User) -> User:
    return User(**{name: getattr(user, name) for name in User.model_fields})


def page_viewer(request: Request) -> Viewer:
    """The browser's signed-in user; `NotSignedIn` (a sign-in page) otherwise."""
    state = state_of(request)
    raw = request.cookies.get(COOKIE)
    if not raw:
        raise NotSignedIn()
    try:
        session_id = state.signer.loads(raw)
    except BadSignature:
        raise NotSignedIn() from None
    with transaction(request) as session:
        found = live_session(str(session_id), session=session, now=state.clock())
        if found is None:
            raise NotSignedIn()
        row, user = found
        viewer = Viewer(user=_detached(user), session_id=row.id, csrf=row.csrf_token)
    request.state.user, request.state.lang = viewer.user, viewer.lang
    return viewer


async def checked_form(request: Request, viewer: Viewer = Depends(page_viewer)) -> Viewer:
    """`page_viewer` for a POST: the CSRF token must match the session's."""
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        sent = (await request.form()).get("csrf")
    if not sent or not viewer.csrf or not hmac.compare_digest(str(sent), viewer.csrf):
        raise Forbidden("csrf_failed")
    return viewer


def api_viewer(request: Request,
               credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Viewer:
    """The owner of the bearer token; 401 for a missing, unknown or revoked token."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotSignedIn()
    with transaction(request) as session:
        user = user_for_token(credentials.credentials, session=session, now=state_of(request).clock())
        if user is None:
            raise NotSignedIn()
        viewer = Viewer(user=_detached(user))
    request.state.user, request.state.lang = viewer.user, viewer.lang
    return viewer


@router.get("/web/signin/{secret}", response_class=HTMLResponse)
def signin_page(request: Request, secret: str) -> Response:
    """A button that spends the link (GET spends nothing: link previews are harmless)."""
    lang = "en" if request.headers.get("accept-language", "").lower().startswith("en") else "zh"
    return state_of(request).templates.TemplateResponse(
        request, "signin.html", {"_": web_text(lang), "lang": lang, "secret": secret, "user": None, "nav": None})


@router.post("/web/signin/{secret}")
def signin(request: Request, secret: str) -> Response:
    state = state_of(request)
    with transaction(request) as session:
        user = redeem_signin_link(secret, session=session, now=state.clock())
        row = start_session(user.id, session=session, now=state.clock(),
                            hours=state.settings.web_session_hours) if user is not None else None
    if row is None:
        return message_page(request, None, "link_invalid", 403)
    response = RedirectResponse("/web/pipeline", status_code=303)
    response.set_cookie(COOKIE, state.signer.dumps(row.id), max_age=state.settings.web_session_hours * 3600,
                        httponly=True, samesite="lax", secure=state.secure_cookies, path="/")
    return response


@router.post("/web/signout")
def signout(request: Request, viewer: Viewer = Depends(checked_form)) -> Response:
    with transaction(request) as session:
        end_session(viewer.session_id, session=session, now=state_of(request).clock())
    response = message_page(request, None, "signed_out", 200)
    response.delete_cookie(COOKIE, path="/")
    return response


def require(condition: bool) -> None:
    if not condition:
        raise Forbidden("not_allowed")
