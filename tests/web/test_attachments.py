"""Contract files in the console and the API: shown on their deal, downloaded by whoever may see
the account and by no one else, listed and exported like every record."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from storage.attachments import AttachmentStore
from storage.config import Settings
from storage.db import session_scope
from storage.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"contract page" * 10


@pytest.fixture
def web_settings(tmp_path) -> Settings:
    return Settings(_env_file=None, knowledge_enabled=False, web_secret_key="test-secret-key",
                    attachments_dir=tmp_path / "files")


@pytest.fixture
def filed(db, web_settings, clock) -> int:
    """A contract of 蓝鲸数据 (account 1, rep 1) filed against deal 1 「数据平台扩容」."""
    sha = AttachmentStore(web_settings.attachments_dir).put(PNG)
    with session_scope(db) as s:
        row = Attachment(sha256=sha, mime="image/png", bytes=len(PNG), pages=1, name="IMG_1187.png",
                         account_id=1, opportunity_id=1, uploaded_by=1, uploaded_at=clock(),
                         fields={"contract_no": "LJ-2026-1187", "amount": str(Decimal("800000.00")),
                                 "currency": "CNY", "signed_on": "2026-11-20"})
        s.add(row)
        s.flush()
        return row.id


def test_the_deal_shows_its_contract_and_the_owner_downloads_it(browser_as, filed):
    client = browser_as(1)
    page = client.get("/web/accounts/1").text
    assert f'href="/web/attachments/{filed}">LJ-2026-1187</a>' in page and "¥800,000" in page and "2026-11-20" in page
    got = client.get(f"/web/attachments/{filed}")
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["content-type"] == "image/png" and got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith("attachment;") and "IMG_1187.png" in got.headers["content-disposition"]


@pytest.mark.parametrize("user_id, status", [(3, 200), (7, 200), (2, 404), (4, 404), (5, 404)])
def test_who_may_download_is_who_may_see_the_account(browser_as, filed, user_id, status):
    assert browser_as(user_id).get(f"/web/attachments/{filed}").status_code == status


def test_the_api_lists_and_exports_attachments_within_reach(api, filed):
    mine = api(1).get("/api/v1/attachments").json()
    assert mine["total"] == 1
    item = mine["items"][0]
    assert (item["account_name"], item["opportunity_name"], item["contract_no"], item["amount"], item["signed_on"]) == \
        ("蓝鲸数据", "数据平台扩容", "LJ-2026-1187", "800000.00", "2026-11-20")
    assert api(4).get("/api/v1/attachments").json()["total"] == 0
    assert api(4).get(f"/api/v1/attachments/{filed}").status_code == 404
    lines = api(1).get("/api/v1/export/attachments?format=jsonl").text.splitlines()
    assert [json.loads(x)["sha256"] for x in lines] == [item["sha256"]]
    assert api(2).get("/api/v1/export/attachments?format=jsonl").text == ""


def test_data_health_shows_contract_compliance(browser_as, db, filed):
    from datetime import date

    from storage.models import Opportunity

    with session_scope(db) as s:
        for deal_id in (1, 2):  # 数据平台扩容 with its contract, GMP 合规系统 without one
            deal = s.get(Opportunity, deal_id)
            deal.stage, deal.closed_on = "won", date(2026, 11, 20)
            s.add(deal)
    page = browser_as(3).get("/web/health").text
    assert "本季度合同合规率" in page and "50%" in page and "1/2" in page
    assert "已成交但没有合同" in page and "GMP 合规系统" in page
