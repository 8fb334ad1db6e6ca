"""Feishu events → `Received` / `IncomingMessage`, and `Reply` → cards: pure functions over
lark-oapi's own event classes, parsed from the JSON Feishu sends."""
from __future__ import annotations

import json

from lark_oapi.api.im.v1 import P2ImMessageReceiveV1
from lark_oapi.core.json import JSON
from lark_oapi.event.callback.model.p2_card_action_trigger import P2CardActionTrigger

from bot.adapters.feishu.inbound import Resource, card_pressed, claimed_mime, message_received, to_incoming
from bot.adapters.feishu.render import card, card_choices
from bot.messages import Choice

BOT = "ou_bot"


def event(message_type: str, content: dict, *, chat_type: str = "p2p", mentions=(), sender_type="user"):
    payload = {"schema": "2.0", "header": {"event_id": "ev_1", "event_type": "im.message.receive_v1"},
               "event": {"sender": {"sender_id": {"open_id": "ou_rep"}, "sender_type": sender_type},
                         "message": {"message_id": "om_1", "chat_id": "oc_1", "chat_type": chat_type,
                                     "message_type": message_type, "content": json.dumps(content),
                                     "mentions": list(mentions)}}}
    return JSON.unmarshal(json.dumps(payload), P2ImMessageReceiveV1)


def mention(key: str, open_id: str, name: str) -> dict:
    return {"key": key, "id": {"open_id": open_id}, "name": name}


def test_text_without_the_bots_mention_and_with_other_peoples_names():
    got = message_received(event("text", {"text": "@_user_1 和 @_user_2 今天拜访了蓝鲸"}, chat_type="group",
                                 mentions=[mention("@_user_1", BOT, "Salesbot"),
                                           mention("@_user_2", "ou_li", "李娜")]), BOT)
    assert (got.text, got.is_group, got.mentions_bot, got.sender_id) == ("和 @李娜 今天拜访了蓝鲸", True, True, "ou_rep")
    incoming = to_incoming(got)
    assert (incoming.platform, incoming.chat_id, incoming.message_id) == ("feishu", "oc_1", "om_1")


def test_a_group_message_mentioning_someone_else_does_not_address_the_bot():
    got = message_received(event("text", {"text": "@_user_1 看一下"}, chat_type="group",
                                 mentions=[mention("@_user_1", "ou_li", "李娜")]), BOT)
    assert not got.mentions_bot and got.text == "@李娜 看一下"


def test_the_bots_own_and_other_apps_messages_are_dropped():
    assert message_received(event("text", {"text": "hi"}, sender_type="app"), BOT) is None


def test_audio_image_file_and_post_name_their_resources():
    audio = message_received(event("audio", {"file_key": "file_v", "duration": 2500}), BOT)
    assert (audio.kind, audio.audio, audio.duration_s) == ("audio", Resource("file_v", "file"), 2.5)
    image = message_received(event("image", {"image_key": "img_1"}), BOT)
    assert image.attachments == (Resource("img_1", "image"),)
    document = message_received(event("file", {"file_key": "file_d", "file_name": "合同.pdf"}), BOT)
    assert document.attachments == (Resource("file_d", "file", "合同.pdf"),)
    post = message_received(event("post", {"zh_cn": {"title": "周报", "content": [
        [{"tag": "text", "text": "拜访了"}, {"tag": "a", "text": "蓝鲸", "href": "https://x"}],
        [{"tag": "img", "image_key": "img_2"}]]}}), BOT)
    assert (post.text, post.attachments) == ("周报\n拜访了蓝鲸", (Resource("img_2", "image"),))
    assert message_received(event("sticker", {"file_key": "f"}), BOT).kind == "other"


def test_a_press_carries_its_choice_presser_chat_and_card():
    payload = {"schema": "2.0", "header": {"event_id": "ev_p", "event_type": "card.action.trigger"},
               "event": {"operator": {"open_id": "ou_mgr"}, "token": "c-1",
                         "action": {"tag": "button", "value": {"choice": "q:7:approve"}},
                         "context": {"open_message_id": "om_card", "open_chat_id": "oc_9"}}}
    press = card_pressed(JSON.unmarshal(json.dumps(payload), P2CardActionTrigger))
    assert (press.event_id, press.chat_id, press.card_message_id, press.presser_id, press.choice) == (
        "ev_p", "oc_9", "om_card", "ou_mgr", "q:7:approve")
    payload["event"]["action"]["value"] = {"something": "else"}
    assert card_pressed(JSON.unmarshal(json.dumps(payload), P2CardActionTrigger)) is None


def test_cards_are_schema_2_with_plain_text_and_a_button_per_choice():
    choices = (Choice("d:1:confirm", "✅ 确认", "primary"), Choice("d:1:edit", "✏️ 修改"),
               Choice("d:1:cancel", "取消", "danger"))
    shown = card("**拜访** <at id=all></at>", choices)
    assert shown["schema"] == "2.0" and shown["config"]["update_multi"] is True
    text, row = shown["body"]["elements"]
    assert text == {"tag": "div", "text": {"tag": "plain_text", "content": "**拜访** <at id=all></at>"}}
    assert card_choices(shown) == ["d:1:confirm", "d:1:edit", "d:1:cancel"]
    assert [c["elements"][0]["type"] for c in row["columns"]] == ["primary_filled", "default", "danger"]
    many = card("哪一个？", tuple(Choice(f"p:{i}", f"蓝鲸数据科技有限公司第{i}分公司") for i in range(5)))
    assert len(many["body"]["elements"][1]["columns"]) == 5
    assert card_choices(card("完成")) == []


def test_the_claimed_mime_prefers_the_server_then_the_file_name():
    assert claimed_mime(Resource("k", "image"), "image/png") == "image/png"
    assert claimed_mime(Resource("k", "file", "合同.pdf"), "application/octet-stream") == "application/pdf"
    assert claimed_mime(Resource("k", "image"), "") == "image/jpeg"
