"""Linking and confirmation cards over a real puppet-service gateway: invite codes, the one-time
refusal for strangers, a visit note → numbered card → "1" → the visit in the database, and
replies with images."""
from __future__ import annotations

from sqlmodel import select

from bot.identity import create_invite, find_user
from prompts.ui import t
from storage.db import session_scope
from storage.models import ChatIdentity, Draft, ProcessedMessage, Visit

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


async def test_linking_with_bind_code_and_slash_start(harness):
    h = harness
    with session_scope(h.app.db) as session:
        code_zh = create_invite(1, session=session, now=h.app.clock())
        code_en = create_invite(4, session=session, now=h.app.clock())
    wang = await h.stranger("wxid_wang", "王磊")
    alice = await h.stranger("wxid_alice", "Alice")

    assert await h.say(wang, f"绑定 {code_zh}") == [t("zh", "link_ok", name="王磊")]
    assert await h.say(alice, f"/start {code_en.lower()}") == [t("en", "link_ok", name="Alice Chen")]
    with session_scope(h.app.db) as session:
        assert find_user("wechat", wang, session=session).id == 1
        assert find_user("wechat", alice, session=session).id == 4
        identity = session.exec(select(ChatIdentity).where(ChatIdentity.external_id == wang)).one()
        assert identity.chat_id == wang  # notices for 王磊 go to this private chat

    assert await h.say(wang, f"绑定 {code_zh}") == [t("zh", "link_already", name="王磊")]


async def test_a_stranger_is_refused_once_not_on_every_message(harness):
    h = harness
    stranger = await h.stranger("wxid_stranger", "路人")
    assert await h.say(stranger, "你好") == [t("zh", "not_linked")]
    await h.gw.say(stranger, "在吗")
    await h.gw.say(stranger, "？？")
    assert await h.say(stranger, "绑定 WRONGCODE") == [t("zh", "link_bad_code")]
    assert [m["text"] for m in h.gw.messages_to(stranger)] == [t("zh", "not_linked"), t("zh", "link_bad_code")]


async def test_visit_note_numbered_card_and_1_saves_the_visit(harness_all_dbs):
    h = harness_all_dbs
    rep = await h.person(1)
    visits = h.count(Visit)
    [card] = await h.say(rep, NOTE)
    assert card.startswith(t("zh", "card_title", n=1, plural=""))
    assert "蓝鲸" in card
    assert card.endswith("回复 1 确认 / 2 修改 / 3 取消")
    assert h.count(Visit) == visits

    [saved] = await h.say(rep, "1")
    assert saved.startswith(t("zh", "confirmed"))
    assert h.count(Visit) == visits + 1
    with session_scope(h.app.db) as session:
        visit = session.exec(select(Visit).order_by(Visit.id.desc())).first()
        assert (visit.rep_id, visit.account_id) == (1, 1)
        draft = session.exec(select(Draft).order_by(Draft.id.desc())).first()
        assert str(draft.status) == "confirmed"
        handled = session.exec(select(ProcessedMessage.message_id).where(
            ProcessedMessage.platform == "wechat")).all()
    assert len(handled) == 2  # the note and the "1", nothing of the bot's own

    assert await h.say(rep, "1") == [t("zh", "nothing_pending")]  # numbers refer to the last message


async def test_english_card_footer_and_cancel_with_3(harness):
    h = harness
    alice = await h.person(4)
    visits = h.count(Visit)
    [card] = await h.say(alice, "visited Acme today, met John about the rollout")
    assert card.endswith("Reply 1 Confirm / 2 Edit / 3 Cancel")
    assert await h.say(alice, "3") == [t("en", "cancelled")]
    assert h.count(Visit) == visits


class ChartLoop:
    """A conversation loop (the adapter's `Handles`) that answers every message with a chart."""

    def __init__(self, png: bytes) -> None:
        self.png = png

    async def handle(self, msg, *, progress=None, before_commit=None):
        from bot.messages import Reply
        from bot.outcome import Outcome

        out = Outcome()
        out.replies.append(Reply(text="📈 本季度 pipeline", image=self.png, image_alt="谈判 120万 / 评估 80万"))
        return out


async def test_images_are_sent_as_files_before_their_text(harness):
    h = harness
    png = bytes.fromhex("89504e470d0a1a0a") + b"\x00" * 64
    h.adapter.loop = ChartLoop(png)
    rep = await h.person(1)
    before = len(h.gw.messages_to(rep))
    await h.gw.say(rep, "本季度pipeline")
    await h.replies(rep, before, 2)
    image, text = h.gw.messages_to(rep)[before:]
    assert (image["file"], image["text"]) == ("chart.png", None)
    assert text["text"] == "📈 本季度 pipeline"
