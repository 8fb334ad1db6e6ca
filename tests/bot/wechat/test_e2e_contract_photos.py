"""A contract photo sent in WeChat: downloaded through the gateway's file stream, read (a fake of
the OCR interface), answered with the card, and closing the deal on "1"."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import select

from storage.db import session_scope
from storage.models import Attachment, Opportunity
from tests.fakes.ocr import PageOcr, contract_lines


async def test_a_wechat_photo_closes_the_deal(harness, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # ATTACHMENTS_DIR's default lands in the test's folder
    h = harness
    ocr = PageOcr()
    h.app.ocr = ocr
    rep = await h.person(1)
    await h.gw.send_file(rep, "IMG_1187.jpg", ocr.page(contract_lines(), fmt="JPEG"))
    [card] = await h.replies(rep, 0, 1, timeout=40)
    assert "合同 LJ-2026-1187 · 蓝鲸数据 · ¥800,000 · 2026-11-20 签署 → 关联「数据平台扩容」并标记成交？" in card
    await h.say(rep, "1")
    with session_scope(h.app.db) as s:
        deal = s.get(Opportunity, 1)
        assert (deal.stage, deal.amount, deal.closed_on) == ("won", Decimal("800000.00"), date(2026, 11, 20))
        [row] = s.exec(select(Attachment)).all()
        assert (row.opportunity_id, row.mime, row.name) == (1, "image/jpeg", "IMG_1187.jpg")
