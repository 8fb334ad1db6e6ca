"""The REST API and its permission matrix: role × endpoint × own/other team, tokens, writes
through the tools (with the rep told through the outbox), pagination and incremental sync."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from storage.db import session_scope
from storage.models import Account, AuditLog, Opportunity, OutboxMessage, Quote, Visit
from storage.repos.web_access import revoke_api_token, tokens_of
from tests.web.conftest import ADMIN_ID

# Who reaches whose data: a rep themself, a manager their team, the admin everyone.
REACH = {1: {1}, 2: {2}, 3: {1, 2, 3, 6}, 4: {4}, 5: {4, 5}, ADMIN_ID: None}
OWNER_COLUMN = {"accounts": "owner_id", "opportunities": "owner_id", "quotes": "requested_by",
                "reminders": "user_id"}


def _ids(client: TestClient, kind: str, **params) -> list[dict]:
    response = client.get(f"/api/v1/{kind}", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _first_of(db, kind: str, owner: int) -> int:
    model = {"opportunities": Opportunity, "visits": Visit, "contacts": None}[kind]
    with Session(db) as session:
        if model is None:
            from storage.models import Contact

            return session.exec(select(Contact.id).join(Account, Account.id == Contact.account_id)
                                .where(Account.owner_id == owner)).first()
        column = model.owner_id if kind == "opportunities" else model.rep_id
        return session.exec(select(model.id).where(column == owner)).first()


@pytest.mark.parametrize("user_id", sorted(REACH))
@pytest.mark.parametrize("kind", ["accounts", "opportunities", "quotes", "reminders"])
def test_lists_hold_exactly_what_the_user_reaches(api, db, user_id, kind):
    items = _ids(api(user_id), kind)
    owners = {row[OWNER_COLUMN[kind]] for row in items}
    reach = REACH[user_id]
    if reach is None:
        model = {"accounts": Account, "opportunities": Opportunity, "quotes": Quote}.get(kind)
        if model is not None:
            with Session(db) as session:
                assert len(items) == len(session.exec(select(model.id)).all())
    elif kind == "quotes":  # a quote is also visible to whoever owns its account
        with Session(db) as session:
            visible = {q.id for q in session.exec(select(Quote)).all()
                       if q.requested_by in reach or session.get(Account, q.account_id).owner_id in reach}
        assert {row["id"] for row in items} == visible
    else:
        assert owners <= reach


@pytest.mark.parametrize("user_id,own,other", [(1, 1, 4), (3, 2, 4), (5, 4, 1), (ADMIN_ID, 1, 4)])
@pytest.mark.parametrize("kind", ["accounts", "opportunities", "visits", "contacts", "quotes"])
def test_details_of_another_team_are_not_found(api, db, user_id, own, other, kind):
    ids = {"accounts": {1: 1, 2: 2, 4: 12}, "quotes": {1: 102, 2: None, 4: 101}}
    own_id = ids[kind][own] if kind in ids else _first_of(db, kind, own)
    other_id = ids[kind][other] if kind in ids else _first_of(db, kind, other)
    client = api(user_id)
    if own_id is not None:
        assert client.get(f"/api/v1/{kind}/{own_id}").status_code == 200
    if other_id is not None:
        expected = 200 if user_id == ADMIN_ID else 404
        response = client.get(f"/api/v1/{kind}/{other_id}")
        assert response.status_code == expected, response.text
        if expected == 404:
            assert response.json()["error"] == "record_not_found"


def test_missing_unknown_and_revoked_tokens_get_401(web_app, api, db, clock, token_for):
    anonymous = TestClient(web_app)
    assert anonymous.get("/api/v1/accounts").status_code == 401
    anonymous.headers["Authorization"] = "Bearer sbt_not-a-token"
    assert anonymous.get("/api/v1/accounts").status_code == 401
    client = api(1)
    assert client.get("/api/v1/me").json()["id"] == 1
    with session_scope(db) as session:
        [token] = tokens_of(1, session=session)
        assert token.token_hash != token_for(1) and token.last_used_at is not None
        assert revoke_api_token(token.id, 2, session=session, now=clock()) is False  # not theirs
        assert revoke_api_token(token.id, 1, session=session, now=clock()) is True
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"


@pytest.mark.parametrize("user_id,status,error", [
    (3, 200, None),                       # the requester's manager
    (ADMIN_ID, 200, None),                # an admin
    (2, 404, "quote_not_found"),          # a rep of the same team does not see a teammate's quote
    (1, 403, "cannot_decide_own_quote"),  # the requester
    (5, 404, "quote_not_found"),          # another team's manager
])
def test_deciding_a_quote_follows_the_tools_rules(api, db, user_id, status, error):
    response = api(user_id).post("/api/v1/quotes/102/approve", json={"comment": "ok, sign this week"})
    assert response.status_code == status, response.text
    with Session(db) as session:
        quote = session.get(Quote, 102)
        notices = session.exec(select(OutboxMessage)).all()
    if error:
        assert response.json()["error"] == error and response.json()["message"]
        assert quote.status == "pending" and notices == []
        return
    assert quote.status == "approved" and quote.approver_id == user_id
    [notice] = notices
    assert (notice.user_id, notice.kind, notice.status) == (1, "quote_decided", "pending")
    assert notice.data["comment"] == "ok, sign this week"


def test_reject_is_recorded_with_the_api_as_its_source(api, db):
    response = api(3).post("/api/v1/quotes/104/reject", json={"comment": "太低了"})
    assert response.status_code == 200 and response.json()["decision"] == "rejected"
    with Session(db) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.entity == "quote", AuditLog.entity_id == 104)).one()
    assert entry.action == "rejected" and entry.source_message == "REST API" and entry.actor_id == 3


def test_log_visit_and_update_deal_go_through_the_tools(api, db, clock):
    client = api(1)
    response = client.post("/api/v1/visits", json={"account": "蓝鲸", "contacts": ["李总"],
                                                   "summary": "聊了扩容方案", "channel": "onsite"})
    assert response.status_code == 201, response.text
    assert response.json()["account"]["name"] == "蓝鲸数据"
    hidden = client.post("/api/v1/visits", json={"account": "Acme", "summary": "x"})  # another team's
    assert hidden.status_code == 404 and hidden.json()["error"] == "account_not_in_reach"
    assert "Alice" not in hidden.json()["message"]
    denied = client.post("/api/v1/visits", json={"account": "金桥物流", "summary": "x"})  # a teammate's
    assert denied.status_code == 403 and denied.json()["error"] == "not_your_account"
    invalid = client.post("/api/v1/visits", json={"summary": "no account"})
    assert invalid.status_code == 422
    deal = _ids(client, "opportunities", account_id=1)[0]
    patched = client.patch(f"/api/v1/opportunities/{deal['id']}", json={"stage": "negotiation", "amount": "800000"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["opportunity"]["stage"] == "negotiation"
    assert api(4).patch(f"/api/v1/opportunities/{deal['id']}", json={"stage": "won"}).status_code == 404


def test_pagination_and_updated_since(api, clock):
    client = api(ADMIN_ID)
    first = client.get("/api/v1/accounts", params={"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3 and first["total"] == 20
    rest = client.get("/api/v1/accounts", params={"offset": 18, "limit": 3}).json()
    assert [a["id"] for a in rest["items"]] == [19, 20] and rest["next_offset"] is None
    clock.current = datetime.now(timezone.utc) + timedelta(days=1)  # after the fixture rows were written
    mark = clock()
    clock.advance(minutes=5)
    deal = _ids(client, "opportunities", account_id=12)[0]
    client.patch(f"/api/v1/opportunities/{deal['id']}", json={"amount": "123456"})
    changed = client.get("/api/v1/opportunities", params={"updated_since": (mark + timedelta(minutes=1)).isoformat()})
    assert [d["id"] for d in changed.json()["items"]] == [deal["id"]]
    assert changed.json()["items"][0]["amount"] == "123456.00"


def test_exports_hold_only_what_the_user_reaches(api):
    response = api(1).get("/api/v1/export/accounts", params={"format": "csv"})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {int(r["owner_id"]) for r in rows} == {1} and "蓝鲸数据" in {r["name"] for r in rows}
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(api(5).get("/api/v1/export/opportunities", params={"format": "parquet"}).content))
    assert set(table.column("owner_id").to_pylist()) == {4}
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(api(ADMIN_ID).get("/api/v1/export/visits", params={"format": "xlsx"}).content))
    assert book.active.max_row == 1 + 3


def test_pipeline_endpoint_is_the_chat_report(api):
    report = api(3).get("/api/v1/pipeline").json()
    assert report["scope"] == "team" and [s["stage"] for s in report["stages"]] == ["prospect", "evaluation", "negotiation"]
    narrowed = api(1).get("/api/v1/pipeline", params={"scope": "team"}).json()
    assert narrowed["scope"] == "mine" and narrowed["scope_narrowed"] is True


def test_openapi_docs_are_served(web_app):
    client = TestClient(web_app)
    assert client.get("/api/docs").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert {"/api/v1/accounts", "/api/v1/quotes/{record_id}/approve", "/api/v1/export/{kind}"} <= set(spec["paths"])
