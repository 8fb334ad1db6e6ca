"""POST /api/leads: Bearer LEADS_API_KEY, 201 with id and owner, 401, 422 naming the field, 503
until it is set up; the lead is matched and routed like a CSV row."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from storage.config import Settings
from storage.models import Lead, OutboxMessage
from web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
KEY = "lead-key-123"


@pytest.fixture
def client(db, clock):
    settings = Settings(_env_file=None, knowledge_enabled=False, web_secret_key="k", leads_api_key=KEY,
                        routing_rules=str(ROOT / "config" / "routing.yaml"))
    c = TestClient(create_app(settings, db=db, clock=clock, run_migrations=False))
    c.headers["Authorization"] = f"Bearer {KEY}"
    return c


def test_created_with_id_and_owner(client, db):
    r = client.post("/api/leads", json={"company": "远航物流有限公司", "contact": "刘经理", "phone": "13800001111",
                                        "region": "上海", "source": "官网"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["owner"] == {"id": 1, "name": "王磊"} and body["status"] == "assigned" and body["merged"] is False
    again = client.post("/api/leads", json={"company": "遠航物流", "source": "展会", "email": "liu@yh.cn"}).json()
    assert again["id"] == body["id"] and again["merged"] is True and again["sources"] == ["官网", "展会"]
    known = client.post("/api/leads", json={"company": "Acme Corp", "source": "web"}).json()
    assert known["account_id"] == 12 and known["owner"]["name"] == "Alice Chen"
    with Session(db) as session:
        assert len(session.exec(select(Lead)).all()) == 2
        assert {m.user_id for m in session.exec(select(OutboxMessage)).all()} == {1, 4}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {KEY}"}])
def test_401_without_the_key(client, headers):
    client.headers.pop("Authorization")
    r = client.post("/api/leads", json={"company": "X"}, headers=headers)
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"


@pytest.mark.parametrize("body,field", [({"contact": "刘"}, "company"), ({"company": "X", "email": "nope"}, "email"),
                                        ({"company": "X", "phone": "abc"}, "phone"),
                                        ({"company": "X", "credit_code": "123"}, "credit_code"),
                                        ({"company": "X", "fax": "1"}, "fax"), (["X"], "body")])
def test_422_names_the_field(client, db, body, field):
    r = client.post("/api/leads", json=body)
    assert r.status_code == 422 and r.json()["field"] == field and r.json()["message"].startswith(field)
    with Session(db) as session:
        assert session.exec(select(Lead)).all() == []


def test_503_until_configured(db, clock):
    app = create_app(Settings(_env_file=None, knowledge_enabled=False, web_secret_key="k"), db=db, clock=clock,
                     run_migrations=False)
    r = TestClient(app).post("/api/leads", json={"company": "X"}, headers={"Authorization": "Bearer x"})
    assert r.status_code == 503 and "LEADS_API_KEY" in r.json()["message"]
