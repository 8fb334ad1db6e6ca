"""The web console and API against the eval fixture plus an admin (user 7), on SQLite and
PostgreSQL, with the fixed clock. Users: reps 1, 2, 6 and their manager 3; rep 4 and manager 5."""
from __future__ import annotations

import re
from collections.abc import Callable
import pytest
from fastapi.testclient import TestClient

from storage.config import Settings
from storage.db import session_scope
from storage.repos.web_access import create_api_token, create_signin_link
from tests.tools.conftest import ADMIN_ID, crm_admin  # noqa: F401  (the fixture plus an admin)
from web.app import create_app

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def web_settings() -> Settings:
    return Settings(_env_file=None, knowledge_enabled=False, web_secret_key="test-secret-key")


@pytest.fixture
def web_app(crm_admin, web_settings, clock):  # noqa: F811
    return create_app(web_settings, db=crm_admin, clock=clock, run_migrations=False)


@pytest.fixture
def db(crm_admin):  # noqa: F811
    return crm_admin


@pytest.fixture
def token_for(db, clock) -> Callable[[int], str]:
    """A personal API token for a user (made once per user and test)."""
    made: dict[int, str] = {}

    def make(user_id: int) -> str:
        if user_id not in made:
            with session_scope(db) as session:
                made[user_id] = create_api_token(user_id, "test", session=session, now=clock())[1]
        return made[user_id]

    return make


@pytest.fixture
def api(web_app, token_for) -> Callable[[int], TestClient]:
    """A client whose requests carry `user_id`'s API token."""
    def as_user(user_id: int) -> TestClient:
        client = TestClient(web_app)
        client.headers["Authorization"] = f"Bearer {token_for(user_id)}"
        return client

    return as_user


def signin_link(db, user_id: int, now, minutes: int = 10) -> str:
    with session_scope(db) as session:
        return create_signin_link(user_id, session=session, now=now, minutes=minutes)


@pytest.fixture
def browser_as(web_app, db, clock) -> Callable[[int], TestClient]:
    """A client signed in to the console as `user_id` through a sign-in link."""
    def sign_in(user_id: int) -> TestClient:
        client = TestClient(web_app)
        secret = signin_link(db, user_id, clock())
        assert client.get(f"/web/signin/{secret}").status_code == 200
        response = client.post(f"/web/signin/{secret}", follow_redirects=False)
        assert response.status_code == 303, response.text
        return client

    return sign_in


def csrf_of(client: TestClient, page: str = "/web/tokens") -> str:
    match = CSRF.search(client.get(page).text)
    assert match, "no CSRF field on the page"
    return match.group(1)

