"""Contract photos through the conversation loop: read (a fake of the OCR interface; the real model
runs in tests/bot/test_contract_console.py), filed, checked and closing the deal after one confirm.

The eval fixture: rep 王磊 (1, manager 张伟 3) owns 蓝鲸数据 (account 1, deal 1 「数据平台扩容」,
evaluation, ¥800,000) and 青松制药 (account 3, deal 2, negotiation); 李娜 (2) owns 蓝海数据 and
金桥物流."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from bot.app import build_app
from bot.identity import link
from bot.loop import ConversationLoop
from bot.messages import Image
from storage.config import Settings
from storage.db import session_scope
from storage.models import Attachment, AuditLog, Draft, Opportunity, Quote, QuoteStatus, StageChange
from tests.bot.conftest import message
from tests.fakes.engines import ScriptedEngine
from tests.fakes.ocr import PageOcr, contract_lines


@pytest.fixture
def ocr() -> PageOcr:
    return PageOcr()


@pytest.fixture
def store_dir(tmp_path):
    return tmp_path / "attachments"


@pytest.fixture
def loop(crm, clock, ocr, store_dir):
    settings = Settings(_env_file=None, database_url=str(crm.url), attachments_dir=store_dir,
                        attachment_max_bytes=200_000)
    app = build_app(settings, clock=clock, engine=ScriptedEngine(), db=crm, run_migrations=False)
    app.ocr = ocr
    with session_scope(crm) as session:
        for user_id in (1, 2, 3, 4):
            link(user_id, "test", f"u{user_id}", chat_id=f"chat{user_id}", session=session, now=clock())
    return ConversationLoop(app)


def photo(data: bytes, name: str | None = "IMG_1187.png", mime: str = "image/png") -> Image:
    return Image(data=data, mime=mime, name=name)


async def send(loop, user_id, *images, **kwargs):
    return await loop.handle(message(user_id, images=tuple(images), **kwargs))


async def say(loop, user_id, text):
    return await loop.handle(message(user_id, text))


def texts(outcome) -> str:
    return "\n".join(r.text for r in outcome.replies)


def stored(store_dir) -> list:
    return [p for p in store_dir.rglob("*") if p.is_file()] if store_dir.exists() else []


def deal(crm, deal_id: int) -> Opportunity:
    with session_scope(crm) as s:
        row = s.get(Opportunity, deal_id)
        s.expunge(row)
        return row


def attachments(crm) -> list[Attachment]:
    with session_scope(crm) as s:
        rows = s.exec(select(Attachment).order_by(Attachment.id)).all()
        for r in rows:
            s.expunge(r)
        return list(rows)


def approve_quote(crm, clock, *, account_id=1, deal_id=1, amount="850000", discount="0") -> int:
    with session_scope(crm) as s:
        q = Quote(account_id=account_id, opportunity_id=deal_id, amount=Decimal(amount),
                  discount_pct=Decimal(discount), currency="CNY", status=QuoteStatus.approved, requested_by=1,
                  approver_id=3, requested_at=clock(), decided_at=clock())
        s.add(q)
        s.flush()
        return q.id


async def test_a_photo_closes_the_right_deal_after_one_confirm(loop, crm, ocr, store_dir):
    out = await send(loop, 1, photo(ocr.page(contract_lines())))
    card = out.replies[-1]
    assert card.kind == "card"
    assert "合同 LJ-2026-1187 · 蓝鲸数据 · ¥800,000 · 2026-11-20 签署 → 关联「数据平台扩容」并标记成交？" in card.text
    assert "⚠️" not in card.text
    assert deal(crm, 1).stage == "evaluation" and attachments(crm) == []  # nothing written before confirm
    assert len(stored(store_dir)) == 1  # the file is kept while the card is open

    done = await say(loop, 1, "1")
    assert "已保存" in texts(done) and "成交" in texts(done)
    won = deal(crm, 1)
    assert (won.stage, won.amount, won.closed_on) == ("won", Decimal("800000.00"), date(2026, 11, 20))
    [row] = attachments(crm)
    assert (row.account_id, row.opportunity_id, row.uploaded_by, row.kind, row.mime, row.pages) == \
        (1, 1, 1, "contract", "image/png", 1)
    assert row.fields["contract_no"] == "LJ-2026-1187" and row.fields["party_a"] == "蓝鲸数据科技有限公司"
    assert row.fields["amount"] == "800000.00" and row.fields["signed_on"] == "2026-11-20" and row.fields["currency"] == "CNY"
    assert stored(store_dir)[0].name == row.sha256 and stored(store_dir)[0].stat().st_size == row.bytes
    with session_scope(crm) as s:
        assert s.exec(select(StageChange).where(StageChange.opportunity_id == 1,
                                                StageChange.to_stage == "won")).first() is not None
        assert s.exec(select(AuditLog).where(AuditLog.entity == "attachment")).first() is not None


async def test_the_same_file_twice_is_one_attachment(loop, crm, ocr, store_dir, clock):
    data = ocr.page(contract_lines())
    await send(loop, 1, photo(data))
    await say(loop, 1, "1")
    clock.advance(minutes=5)
    again = await send(loop, 1, photo(data, name="copy.png"))
    assert len(again.replies) == 1 and "已归档在 蓝鲸数据「数据平台扩容」，没有重复保存" in again.replies[0].text
    assert len(attachments(crm)) == 1 and len(stored(store_dir)) == 1


async def test_a_file_on_two_open_cards_survives_cancelling_one(loop, crm, ocr, store_dir, clock):
    data = ocr.page(contract_lines())
    await send(loop, 1, photo(data))
    clock.advance(minutes=2)
    await send(loop, 1, photo(data))  # a second card for the same file (the first is still open)
    await say(loop, 1, "3")  # cancels the newest card
    assert len(stored(store_dir)) == 1


async def test_cancel_keeps_nothing(loop, crm, ocr, store_dir):
    await send(loop, 1, photo(ocr.page(contract_lines())))
    out = await say(loop, 1, "3")
    assert "取消" in texts(out)
    assert deal(crm, 1).stage == "evaluation" and attachments(crm) == [] and stored(store_dir) == []


@pytest.mark.parametrize("data, expected", [
    (b"PK\x03\x04 this is a zip archive, not a picture", "不是图片或 PDF"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "已损坏"),
    (b"", "是空的"),
])
async def test_bad_files_get_one_clear_reply_and_nothing_is_kept(loop, crm, store_dir, data, expected):
    out = await send(loop, 1, photo(data, name="contract.jpg", mime="image/jpeg"))
    assert len(out.replies) == 1 and expected in out.replies[0].text and "没有保存" in out.replies[0].text
    assert stored(store_dir) == [] and attachments(crm) == []
    with session_scope(crm) as s:
        assert s.exec(select(Draft)).all() == []


async def test_an_oversized_file_is_refused(loop, crm, store_dir):
    out = await send(loop, 1, photo(b"\x89PNG\r\n\x1a\n" + b"\x00" * 300_000))
    assert len(out.replies) == 1 and "太大" in out.replies[0].text and "0.3 MB" in out.replies[0].text
    assert stored(store_dir) == []


async def test_a_photo_with_no_contract_on_it(loop, crm, ocr, store_dir):
    out = await send(loop, 1, photo(ocr.page(["今天天气不错", "周末去爬山"])))
    assert len(out.replies) == 1 and "没有在图片里找到合同" in out.replies[0].text
    assert stored(store_dir) == [] and attachments(crm) == []


async def test_the_type_comes_from_the_content_not_the_name(loop, crm, ocr):
    data = ocr.page(contract_lines())  # a PNG sent as "scan.pdf" claiming to be a PDF
    out = await send(loop, 1, photo(data, name="scan.pdf", mime="application/pdf"))
    assert out.replies[-1].kind == "card"
    await say(loop, 1, "1")
    assert attachments(crm)[0].mime == "image/png"


async def test_an_amount_off_the_deal_by_more_than_one_percent_is_a_warning(loop, ocr):
    out = await send(loop, 1, photo(ocr.page(contract_lines(amount="780,000.00", words="柒拾捌万元整"))))
    card = out.replies[-1].text
    assert "¥780,000" in card and "⚠️ 与商机金额 ¥800,000 相差 -2.5%" in card
    await say(loop, 1, "3")
    out = await send(loop, 1, photo(ocr.page(contract_lines(amount="805,000.00", words="捌拾万零伍仟元整"))))
    assert "⚠️" not in out.replies[-1].text  # 0.6 % apart: within tolerance


async def test_below_the_approved_quote_warns_and_tells_the_manager(loop, crm, clock, ocr):
    quote_id = approve_quote(crm, clock, amount="900000", discount="5")  # ¥855,000 after the discount
    out = await send(loop, 1, photo(ocr.page(contract_lines())))
    card = out.replies[-1].text
    assert f"⚠️ 与已批准报价 #{quote_id}（¥855,000）相差 -6.4%，低于报价：确认后会通知经理" in card
    done = await say(loop, 1, "1")
    assert deal(crm, 1).stage == "won"
    [notice] = [o for o in done.outgoing if o.chat_id == "chat3"]
    assert "价格管控" in notice.reply.text and "王磊" in notice.reply.text and f"#{quote_id}" in notice.reply.text
    assert not [o for o in done.outgoing if o.chat_id == "chat1"]


async def test_above_the_approved_quote_warns_but_tells_no_one(loop, crm, clock, ocr):
    approve_quote(crm, clock, amount="700000")
    out = await send(loop, 1, photo(ocr.page(contract_lines())))
    assert "相差 14.3%" in out.replies[-1].text and "通知经理" not in out.replies[-1].text
    done = await say(loop, 1, "1")
    assert done.outgoing == []


async def test_a_customer_that_is_not_the_reps_account_is_asked_for(loop, crm, ocr):
    lines = contract_lines(buyer="蓝海数据有限公司", number="LH-2026-0001")  # 李娜's account
    out = await send(loop, 1, photo(ocr.page(lines)))
    text = texts(out)
    assert "都不是你名下的客户" in text and "蓝海数据有限公司" in text and "客户" in out.replies[-1].text
    assert out.replies[-1].kind == "question"
    card = await say(loop, 1, "蓝鲸数据")
    assert "合同 LH-2026-0001 · 蓝鲸数据" in card.replies[-1].text and "数据平台扩容" in card.replies[-1].text
    await say(loop, 1, "1")
    assert deal(crm, 1).stage == "won"


async def test_an_unreadable_amount_and_date_are_asked_and_typed_in(loop, crm, ocr):
    out = await send(loop, 1, photo(ocr.page(contract_lines(amount=None, words=None, signed=None))))
    assert out.replies[-1].kind == "question" and "金额" in out.replies[-1].text
    out = await say(loop, 1, "80万")
    assert "签署日期" in out.replies[-1].text
    out = await say(loop, 1, "2026-11-18")
    assert "¥800,000 · 2026-11-18 签署" in out.replies[-1].text
    await say(loop, 1, "1")
    assert deal(crm, 1).closed_on == date(2026, 11, 18)


async def test_an_unread_contract_number_is_shown_as_missing_and_can_be_typed(loop, crm, ocr):
    out = await send(loop, 1, photo(ocr.page(contract_lines(number=None))))
    assert "（编号未识别）" in out.replies[-1].text
    out = await say(loop, 1, "合同编号改成 LJ-2026-2001")
    assert "合同 LJ-2026-2001 · 蓝鲸数据" in out.replies[-1].text
    await say(loop, 1, "1")
    assert attachments(crm)[0].fields["contract_no"] == "LJ-2026-2001"


async def test_the_card_is_edited_in_plain_words(loop, crm, ocr):
    await send(loop, 1, photo(ocr.page(contract_lines())))
    out = await say(loop, 1, "金额改成79万，签署日期改成11月19日")
    assert "¥790,000 · 2026-11-19 签署" in out.replies[-1].text
    await say(loop, 1, "好的")
    won = deal(crm, 1)
    assert (won.amount, won.closed_on) == (Decimal("790000.00"), date(2026, 11, 19))


async def test_a_signing_date_in_the_future_is_refused_on_the_card(loop, crm, ocr):
    out = await send(loop, 1, photo(ocr.page(contract_lines(signed="2026年12月20日"))))
    assert "还没到" in texts(out)
    assert deal(crm, 1).stage == "evaluation"


async def test_pages_sent_within_a_minute_are_one_contract(loop, crm, ocr, clock, store_dir):
    first = ocr.page(["技术服务合同", "合同编号：LJ-2026-1187", "甲方（买方）：蓝鲸数据科技有限公司",
                      "乙方（卖方）：星云软件有限公司"])
    second = ocr.page(["合同总金额：人民币800,000.00元", "大写：人民币捌拾万元整", "签订日期：2026年11月20日"])
    out = await send(loop, 1, photo(first, name="p1.png"))
    assert "金额" in out.replies[-1].text  # the first page alone has no total: asked
    clock.advance(seconds=20)
    out = await send(loop, 1, photo(second, name="p2.png"))
    assert "合同 LJ-2026-1187 · 蓝鲸数据 · ¥800,000 · 2026-11-20 签署" in out.replies[-1].text
    await say(loop, 1, "1")
    rows = attachments(crm)
    assert [r.name for r in rows] == ["p1.png", "p2.png"] and {r.opportunity_id for r in rows} == {1}
    with session_scope(crm) as s:
        assert len(s.exec(select(Draft)).all()) == 1


async def test_several_images_in_one_message_are_pages_of_one_contract(loop, crm, ocr):
    first = ocr.page(contract_lines(amount=None, words=None, signed=None))
    second = ocr.page(["合同总金额：人民币800,000.00元", "签订日期：2026年11月20日"])
    out = await send(loop, 1, photo(first), photo(second))
    assert "¥800,000 · 2026-11-20 签署" in out.replies[-1].text


async def test_a_photo_a_minute_later_is_a_new_contract(loop, crm, ocr, clock):
    await send(loop, 1, photo(ocr.page(contract_lines())))
    clock.advance(seconds=90)
    out = await send(loop, 1, photo(ocr.page(contract_lines(buyer="青松制药股份有限公司", number="QS-1",
                                                             amount="1,200,000.00", words="壹佰贰拾万元整"))))
    assert "合同 QS-1 · 青松制药" in out.replies[-1].text and "GMP 合规系统" in out.replies[-1].text
    with session_scope(crm) as s:
        assert len(s.exec(select(Draft)).all()) == 2


async def test_an_account_with_several_open_deals_asks_which(loop, crm, ocr, clock):
    with session_scope(crm) as s:
        s.add(Opportunity(account_id=1, name="数据治理咨询", stage="evaluation", amount=Decimal("300000"),
                          currency="CNY", owner_id=1, created_at=clock(), updated_at=clock()))
    out = await send(loop, 1, photo(ocr.page(contract_lines(amount="550,000.00", words="伍拾伍万元整"))))
    assert out.replies[-1].kind == "question" and "数据平台扩容" in out.replies[-1].text
    out = await say(loop, 1, "2")
    assert "关联「数据治理咨询」" in out.replies[-1].text


async def test_a_strangers_photo_is_not_read(loop, ocr, store_dir):
    out = await loop.handle(message(9, images=(photo(ocr.page(contract_lines())),), external_user_id="stranger"))
    assert ocr.calls == 0 and stored(store_dir) == []
    assert "绑定" in texts(out)


def test_photo_command_reads_the_files_named_and_refuses_what_it_cannot_open(tmp_path):
    from bot.adapters.console.config import ConsoleConfig
    from bot.adapters.console.inbound import is_photo_command, photo_to_incoming

    config = ConsoleConfig(1, "王磊", "zh")
    (tmp_path / "page 1.jpg").write_bytes(b"\xff\xd8\xff one")
    (tmp_path / "p2.png").write_bytes(b"\x89PNG two")
    assert is_photo_command("/photo a.jpg") and is_photo_command("  /PHOTO") and not is_photo_command("/photos")
    msg = photo_to_incoming(f'/photo "{tmp_path / "page 1.jpg"}" {tmp_path / "p2.png"}', config, message_id="m1")
    assert [(i.name, i.data, i.mime) for i in msg.images] == [("page 1.jpg", b"\xff\xd8\xff one", "image/jpeg"),
                                                               ("p2.png", b"\x89PNG two", "image/png")]
    assert msg.text == "" and msg.platform == "console"
    assert photo_to_incoming("/photo", config, message_id="m2").startswith("用法：/photo")
    missing = photo_to_incoming(f"/photo {tmp_path / 'nope.jpg'}", config, message_id="m3")
    assert isinstance(missing, str) and "打不开" in missing and "nope.jpg" in missing


async def test_an_english_contract_for_an_english_speaking_rep(loop, crm, ocr):
    lines = ["SALES CONTRACT", "Contract No.: AC-2026-0042", "Party A (Buyer): Acme Corporation Inc.",
             "Party B (Seller): Nebula Software Ltd.", "Total Contract Price: USD 250,000.00",
             "Signing Date: November 18, 2026"]
    out = await send(loop, 4, photo(ocr.page(lines)))
    assert ("📄 Contract AC-2026-0042 · Acme Corporation · $250,000 · signed 2026-11-18 → attach to Fleet analytics "
            "and mark it won?") in out.replies[-1].text
    done = await say(loop, 4, "yes")
    assert "Contract AC-2026-0042 filed" in texts(done) and deal(crm, 4).stage == "won"
