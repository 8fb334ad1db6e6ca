"""Contract photos over the wire: a photo, an album and a PDF document downloaded through getFile,
read (a fake of the OCR interface; the real model runs in tests/bot/test_contract_console.py) and
closing the right deal after one press; bad files answered once, nothing kept."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from storage.db import session_scope
from storage.models import Attachment, Draft, Opportunity
from tests.bot.telegram.conftest import TG, button
from tests.fakes.ocr import PageOcr, contract_lines


@pytest.fixture
def ocr(tg_app, tmp_path, monkeypatch) -> PageOcr:
    monkeypatch.chdir(tmp_path)  # ATTACHMENTS_DIR's default, var/attachments, lands in the test's folder
    fake = PageOcr()
    tg_app.ocr = fake
    return fake


def files_kept(tmp_path) -> list:
    root = tmp_path / "var" / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_a_photo_closes_the_deal_after_one_press(harness, ocr, tmp_path):
    h = harness
    rep = h.person(1)
    rep.send_photo(ocr.page(contract_lines(), fmt="JPEG"))
    await h.settled()
    assert any(c.params.get("action") == "typing" for c in h.api.calls_of("sendChatAction"))
    [card] = h.api.bot_messages(TG[1])
    assert "合同 LJ-2026-1187 · 蓝鲸数据 · ¥800,000 · 2026-11-20 签署 → 关联「数据平台扩容」并标记成交？" in card["text"]
    assert h.count(Attachment) == 0

    await h.press(rep, card, button(card, "confirm"))
    with session_scope(h.app.db) as s:
        deal = s.get(Opportunity, 1)
        assert (deal.stage, deal.amount, deal.closed_on) == ("won", Decimal("800000.00"), date(2026, 11, 20))
        [row] = s.exec(select(Attachment)).all()
        assert (row.opportunity_id, row.account_id, row.mime) == (1, 1, "image/jpeg")
    assert [p.name for p in files_kept(tmp_path)] == [row.sha256]


async def test_an_album_is_one_contract(harness, ocr):
    h = harness
    rep = h.person(1)
    rep.send_photo(ocr.page(contract_lines(amount=None, words=None, signed=None)), media_group_id="album1")
    rep.send_photo(ocr.page(["合同总金额：人民币800,000.00元", "签订日期：2026年11月20日"]), media_group_id="album1")
    await h.settled()
    card = h.api.bot_messages(TG[1])[-1]
    assert "¥800,000 · 2026-11-20 签署" in card["text"]
    await h.press(rep, card, button(card, "confirm"))
    assert h.count(Attachment) == 2 and h.count(Draft) == 1


async def test_a_pdf_document_closes_the_deal(harness, ocr):
    import io

    from PIL import Image

    first = Image.open(io.BytesIO(ocr.page(contract_lines(amount=None, words=None, signed=None))))
    second = Image.open(io.BytesIO(ocr.page(["合同总金额：人民币800,000.00元", "签订日期：2026年11月20日"])))
    pdf = io.BytesIO()
    first.save(pdf, format="PDF", save_all=True, append_images=[second], resolution=72)
    h = harness
    rep = h.person(1)
    rep.send_document(pdf.getvalue(), file_name="合同.pdf", mime_type="application/pdf")
    await h.settled()
    [card] = h.api.bot_messages(TG[1])  # both pages rasterized and read: nothing left to ask
    assert "合同 LJ-2026-1187 · 蓝鲸数据 · ¥800,000 · 2026-11-20 签署" in card["text"]
    await h.press(rep, card, button(card, "confirm"))
    with session_scope(h.app.db) as s:
        [row] = s.exec(select(Attachment)).all()
        assert (row.mime, row.pages, row.name, row.opportunity_id) == ("application/pdf", 2, "合同.pdf", 1)


async def test_a_document_that_is_not_a_picture_gets_one_reply_and_nothing_is_kept(harness, ocr, tmp_path):
    h = harness
    rep = h.person(1)
    rep.send_document(b"PK\x03\x04" + bytes(100), file_name="contract.jpg", mime_type="image/jpeg")
    await h.settled()
    [reply] = h.api.bot_messages(TG[1])
    assert "不是图片或 PDF" in reply["text"] and "contract.jpg" in reply["text"]
    assert h.count(Draft) == 0 and h.count(Attachment) == 0 and files_kept(tmp_path) == []


async def test_an_oversized_photo_is_refused_before_download(harness, ocr):
    h = harness
    rep = h.person(1)
    rep.send_photo(b"\xff\xd8\xff" + bytes(10), declared_size=50 * 1024 * 1024)
    await h.settled()
    [reply] = h.api.bot_messages(TG[1])
    assert "太大" in reply["text"] and h.api.calls_of("getFile") == []
