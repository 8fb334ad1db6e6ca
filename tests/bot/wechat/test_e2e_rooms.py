"""Rooms and the bot's own messages: in a room the bot answers only when @mentioned (and mentions
the asker back); invite codes belong in private chats; what the bot account sends is never read
as a message to answer."""
from __future__ import annotations

from sqlmodel import select

from prompts.ui import t
from prompts.wechat import wx
from storage.db import session_scope
from storage.models import ChatIdentity, ProcessedMessage, Visit
from tests.bot.wechat.conftest import BOT_ID

ROOM = "sales-east@chatroom"
NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def handled_ids(h) -> list[str]:
    with session_scope(h.app.db) as session:
        return list(session.exec(select(ProcessedMessage.message_id).where(
            ProcessedMessage.platform == "wechat")).all())


async def test_room_messages_are_answered_only_when_the_bot_is_mentioned(harness):
    h = harness
    wang, li = await h.person(1), await h.person(2)
    await h.gw.room(ROOM, "华东销售", [wang, li])
    visits = h.count(Visit)

    ignored = [await h.gw.say(wang, NOTE, to=ROOM), await h.gw.say(li, "1", to=ROOM)]
    [card] = await h.say(wang, f"@Salesbot\u2005{NOTE}", to=ROOM, mentions=[BOT_ID])
    assert card.startswith("@王磊\u2005" + t("zh", "card_title", n=1, plural=""))
    assert card.endswith("回复 1 确认 / 2 修改 / 3 取消")

    await h.gw.say(wang, "1", to=ROOM)  # a bare number in a room is not addressed to the bot
    [saved] = await h.say(wang, "@Salesbot\u20051", to=ROOM, mentions=[BOT_ID])
    assert saved.startswith("@王磊\u2005" + t("zh", "confirmed"))
    await h.settled()
    assert len(h.gw.messages_to(ROOM)) == 2
    assert h.count(Visit) == visits + 1
    assert not set(ignored) & set(handled_ids(h))
    [room_message] = [m for m in h.gw.bot_messages if m["to"] == ROOM][:1]
    assert room_message["room"] == ROOM


async def test_numbers_in_a_room_belong_to_the_person_the_card_was_for(harness):
    h = harness
    wang, li = await h.person(1), await h.person(2)
    await h.gw.room(ROOM, "华东销售", [wang, li])
    await h.say(wang, f"@Salesbot\u2005{NOTE}", to=ROOM, mentions=[BOT_ID])
    visits = h.count(Visit)
    [answer] = await h.say(li, "@Salesbot\u20051", to=ROOM, mentions=[BOT_ID])
    assert answer == "@李娜\u2005" + t("zh", "nothing_pending")
    assert h.count(Visit) == visits


async def test_invite_codes_in_a_room_are_sent_back_to_a_private_chat(harness):
    h = harness
    stranger = await h.stranger("wxid_new", "新同事")
    wang = await h.person(1)
    await h.gw.room(ROOM, "华东销售", [wang, stranger])
    [answer] = await h.say(stranger, "@Salesbot\u2005绑定 ABCD2345", to=ROOM, mentions=[BOT_ID])
    assert answer == "@新同事\u2005" + wx("zh", "link_in_private")
    with session_scope(h.app.db) as session:
        assert session.exec(select(ChatIdentity).where(ChatIdentity.external_id == stranger)).first() is None


async def test_the_bots_own_messages_are_ignored(harness):
    h = harness
    rep = await h.person(1)
    [card] = await h.say(rep, NOTE)  # the card itself comes back from the gateway as a message
    typed_by_bot_account = await h.gw.say(BOT_ID, NOTE, to=rep)  # someone typing on the bot's phone
    assert await h.say(rep, "你好") == [t("zh", "greeting")]
    await h.settled()

    bot_ids = {m["message_id"] for m in h.gw.bot_messages}
    assert typed_by_bot_account in bot_ids and len(bot_ids) == 3
    assert not bot_ids & set(handled_ids(h))
    assert len(handled_ids(h)) == 2
    assert [m["text"] for m in h.gw.messages_to(rep)] == [card, NOTE, t("zh", "greeting")]


async def test_a_damaged_picture_gets_one_clear_answer_and_unknown_messages_none(harness):
    h = harness
    rep = await h.person(1)
    await h.gw.send_file(rep, "price-list.pdf", b"%PDF-1.4 quote")  # the mock gateway's "Unknown" type
    # a picture goes to the contract reader, which finds it is no readable image
    await h.gw.send_file(rep, "whiteboard.jpg", b"\xff\xd8\xff\xe0 not really a photo")
    [damaged] = await h.replies(rep, 0, 1)
    assert "已损坏" in damaged and "没有保存" in damaged
    assert await h.say(rep, "你好") == [t("zh", "greeting")]
    assert len(h.gw.messages_to(rep)) == 2
    assert len(handled_ids(h)) == 2  # the picture and the text reached the conversation loop

