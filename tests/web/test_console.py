"""The console in a test client: sign-in links (one-time, 10 minutes), the session cookie, CSRF on
every form, sign-out, and each page within the user's reach, in their language."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from storage.db import session_scope
from storage.models import Account, ApiToken, AuditLog, OutboxMessage, Quote
from tests.web.conftest import ADMIN_ID, csrf_of, signin_link

PAGES = ["/web/pipeline", "/web/team", "/web/approvals", "/web/accounts", "/web/health", "/web/audit",
         "/web/tokens", "/web/accounts/1", "/web/team/1"]


def test_a_link_signs_in_once_with_a_safe_cookie(web_app, db, clock):
    client = TestClient(web_app)
    secret = signin_link(db, 3, clock())
    assert client.get(f"/web/signin/{secret}").status_code == 200  # a link preview spends nothing
    response = client.post(f"/web/signin/{secret}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/web/pipeline"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=43200" in cookie
    assert "张伟" in client.get("/web/pipeline").text
    again = TestClient(web_app).post(f"/web/signin/{secret}", follow_redirects=False)
    assert again.status_code == 403 and "已用过" in again.text


def test_an_expired_or_unknown_link_signs_nobody_in(web_app, db, clock):
    secret = signin_link(db, 3, clock())
    clock.advance(minutes=10)
    client = TestClient(web_app)
    assert client.post(f"/web/signin/{secret}", follow_redirects=False).status_code == 403
    assert client.post("/web/signin/made-up", follow_redirects=False).status_code == 403
    assert client.get("/web/pipeline").status_code == 401


def test_a_forged_cookie_and_a_signed_out_session_are_refused(web_app, browser_as):
    client = browser_as(3)
    forged = TestClient(web_app)
    forged.cookies.set("salesbot_session", "abc.def")
    assert forged.get("/web/pipeline").status_code == 401
    stolen = client.cookies.get("salesbot_session")
    assert client.post("/web/signout", data={"csrf": csrf_of(client)}).status_code == 200
    copy = TestClient(web_app)
    copy.cookies.set("salesbot_session", stolen)
    assert copy.get("/web/pipeline").status_code == 401


@pytest.mark.parametrize("form", [{}, {"csrf": "wrong"}])
def test_a_form_without_the_csrf_token_changes_nothing(browser_as, db, form):
    client = browser_as(3)
    response = client.post("/web/approvals/102", data={"decision": "approve", **form})
    assert response.status_code == 403 and "表单已过期" in response.text
    assert client.post("/web/tokens", data={"name": "x", **form}).status_code == 403
    assert client.post("/web/health/merge", data={"keep": 1, "merge": 3, **form}).status_code == 403
    with Session(db) as session:
        assert session.get(Quote, 102).status == "pending"
        assert session.exec(select(ApiToken)).all() == []
        assert session.get(Account, 3).merged_into_id is None


@pytest.mark.parametrize("user_id,sees,hidden", [
    (1, "蓝鲸数据", "Acme Corporation"), (3, "蓝海数据", "Acme Corporation"),
    (5, "Acme Corporation", "蓝鲸数据"), (ADMIN_ID, "Acme Corporation", None)])
def test_every_page_renders_within_the_users_reach(browser_as, user_id, sees, hidden):
    client = browser_as(user_id)
    for page in PAGES:
        response = client.get(page)
        if page.endswith("/1") and user_id in (5,):
            assert response.status_code == 404, page
            continue
        assert response.status_code == 200, (page, response.text[:300])
        if hidden:
            assert hidden not in response.text, page
    assert sees in client.get("/web/accounts").text


def test_english_users_get_english_pages(browser_as):
    text = browser_as(5).get("/web/pipeline").text
    assert "Open deals by stage" in text and "Weighted forecast" in text and "漏斗" not in text
    assert "各阶段在手商机" in browser_as(3).get("/web/pipeline").text


def test_approving_in_the_console_tells_the_rep_through_the_outbox(browser_as, db):
    client = browser_as(3)
    page = client.get("/web/approvals").text
    assert "青松制药" in page and "蓝鲸数据" in page
    response = client.post("/web/approvals/104", data={"decision": "reject", "comment": "价格太低",
                                                        "csrf": csrf_of(client)},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "已驳回" in response.text and "王磊" in response.text
    with Session(db) as session:
        assert session.get(Quote, 104).status == "rejected"
        [notice] = session.exec(select(OutboxMessage)).all()
        entry = session.exec(select(AuditLog).where(AuditLog.entity == "quote")).one()
    assert notice.user_id == 1 and notice.data["comment"] == "价格太低"
    assert entry.source_message == "web console"
    assert "价格太低" in client.get("/web/approvals").text  # now among the decided quotes


def test_a_refused_decision_is_shown_in_place_of_the_row(browser_as, db):
    client = browser_as(3)
    client.post("/web/approvals/104", data={"decision": "approve", "csrf": csrf_of(client)})
    again = client.post("/web/approvals/104", data={"decision": "reject", "csrf": csrf_of(client)},
                        headers={"HX-Request": "true"})
    assert again.status_code == 200 and 'id="quote-104"' in again.text and "不能再审批" in again.text
    with Session(db) as session:
        assert session.get(Quote, 104).status == "approved"


def test_account_search_by_pinyin_initials_and_alias(browser_as):
    client = browser_as(3)
    assert "蓝鲸数据" in client.get("/web/accounts", params={"q": "lanjing"}).text
    assert "青松制药" in client.get("/web/accounts", params={"q": "qszy"}).text
    found = client.get("/web/accounts", params={"q": "Bluewhale"}, headers={"HX-Request": "true"}).text
    assert "蓝鲸数据" in found and "<html" not in found
    assert "蓝鲸数据" not in client.get("/web/accounts", params={"q": "jinqiao"}).text


def test_merge_from_data_health_and_undo_from_the_audit_log(browser_as, db):
    with session_scope(db) as session:
        session.add(Account(id=50, name="青松制药有限公司", owner_id=1))
    client = browser_as(3)
    assert "青松制药有限公司" in client.get("/web/health").text
    response = client.post("/web/health/merge", data={"keep": 3, "merge": 50, "csrf": csrf_of(client)})
    assert response.status_code == 200 and "已合并" in response.text
    with Session(db) as session:
        assert session.get(Account, 50).merged_into_id == 3
        entry = session.exec(select(AuditLog).where(AuditLog.action == "merge")).one()
    audit = client.get("/web/audit", params={"action": "merge"}).text
    assert "撤销合并" in audit
    undone = client.post(f"/web/audit/{entry.id}/unmerge", data={"csrf": csrf_of(client)})
    assert undone.status_code == 200 and "已撤销合并" in undone.text
    with Session(db) as session:
        assert session.get(Account, 50).merged_into_id is None
    assert "撤销合并" not in client.get("/web/audit", params={"action": "merge"}).text


def test_a_token_is_shown_once_stored_hashed_and_revocable(web_app, browser_as, db):
    client = browser_as(1)
    page = client.post("/web/tokens", data={"name": "BI", "csrf": csrf_of(client)}).text
    secret = page.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith("sbt_") and secret not in client.get("/web/tokens").text
    api = TestClient(web_app, headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/me").json()["id"] == 1
    with Session(db) as session:
        token = session.exec(select(ApiToken)).one()
    assert token.token_hash != secret and secret not in token.token_hash
    client.post(f"/web/tokens/{token.id}/revoke", data={"csrf": csrf_of(client)})
    assert api.get("/api/v1/me").status_code == 401


def test_console_downloads_are_limited_to_the_user(browser_as):
    text = browser_as(1).get("/web/export/accounts.csv").content.decode("utf-8-sig")
    assert "蓝鲸数据" in text and "Acme" not in text
