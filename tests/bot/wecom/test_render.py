"""Reply → WeCom messages: text within 2048 bytes, cards within WeCom's limits, images first."""
from __future__ import annotations

from bot.adapters.wecom.inbound import parse_event
from bot.adapters.wecom.render import (MAX_BUTTONS, MAX_CARD_TEXT, MAX_TITLE, card_title, decision_name,
                                       render_reply, split_text)
from bot.messages import Choice, Reply
from tests.fakes.wecom_server import _card_error

CHOICES = (Choice("d:1:confirm", "✅ 确认", "primary"), Choice("d:1:edit", "✏️ 修改"),
           Choice("d:1:cancel", "✖️ 取消", "danger"))


def test_long_text_is_cut_at_line_ends_within_2048_bytes():
    text = "\n".join(f"第{i}行：拜访记录" * 3 for i in range(300))
    pieces = split_text(text)
    assert len(pieces) > 1 and all(len(p.encode()) <= 2048 for p in pieces)
    assert "\n".join(pieces) == text
    one_line = "长" * 2000  # 6000 bytes without a line end
    assert "".join(split_text(one_line)) == one_line


def test_a_card_keeps_to_wecoms_limits_and_its_buttons_carry_the_choice_ids():
    [piece] = render_reply(Reply(text="📋 确认写入（1 项）\n📝 拜访 蓝鲸数据 · 李明", choices=CHOICES, kind="card"))
    assert piece.msgtype == "template_card" and _card_error(piece.content) is None
    assert [(b["key"], b["style"]) for b in piece.content["button_list"]] == [
        ("d:1:confirm", 1), ("d:1:edit", 2), ("d:1:cancel", 3)]


def test_a_long_first_line_continues_under_the_title():
    title, rest = card_title("🧾 报价待审批 #105 · 青松制药 · ¥500,000 · 折扣 10%\n申请人：王磊")
    assert title == "🧾 报价待审批 #105 · 青松制药 · ¥500,000" and len(title) <= MAX_TITLE
    assert rest == "折扣 10%\n申请人：王磊"


def test_a_card_too_long_for_wecom_goes_as_text_then_a_short_card():
    text = "📋 确认写入（3 项）\n" + "\n".join(f"📝 拜访 客户{i} · 联系人 · 聊了很久很久的扩容方案和预算" for i in range(6))
    assert len(text) > MAX_CARD_TEXT
    first, card = render_reply(Reply(text=text, choices=CHOICES, kind="card"))
    assert (first.msgtype, first.content["content"]) == ("text", text)
    assert card.msgtype == "template_card" and _card_error(card.content) is None


def test_more_choices_than_six_buttons_become_several_cards():
    many = tuple(Choice(f"pick:{i}", f"客户{i}") for i in range(8))
    cards = render_reply(Reply(text="你说的是哪一个？", choices=many, kind="question"))
    assert [len(c.content["button_list"]) for c in cards] == [MAX_BUTTONS, 2]
    assert len({c.content["task_id"] for c in cards}) == 2


def test_an_image_goes_first_and_the_text_follows():
    pieces = render_reply(Reply(text="本季度 pipeline", image=b"\x89PNG...", image_alt="潜在 2"))
    assert [p.msgtype for p in pieces] == ["image", "text"] and pieces[0].image_alt == "潜在 2"


def test_the_pressed_card_shows_the_pressed_buttons_words():
    assert decision_name("✅ 确认", "✅ 已保存\n📝 已记录拜访") == "✅ 确认"
    assert decision_name(None, "这张卡片已经失效了，请重新发送一次消息。\n…") == "这张卡片已经失效了，请重新发送…"


def test_events_are_read_and_unknown_ones_are_ignored():
    press = parse_event("<xml><FromUserName>u1</FromUserName><MsgType>event</MsgType><Event>template_card_event"
                        "</Event><EventKey>d:1:confirm</EventKey><TaskId>t1</TaskId><ResponseCode>RC</ResponseCode>"
                        "<AgentID>7</AgentID><CreateTime>1</CreateTime></xml>")
    assert (press.kind, press.button_key, press.key, press.response_code) == ("press", "d:1:confirm", "p:RC", "RC")
    assert parse_event("<xml><FromUserName>u1</FromUserName><MsgType>event</MsgType>"
                       "<Event>subscribe</Event></xml>") is None
    voice = parse_event("<xml><FromUserName>u1</FromUserName><MsgType>voice</MsgType><MediaId>m</MediaId>"
                        "<Format>amr</Format><MsgId>42</MsgId></xml>")
    assert (voice.kind, voice.media_id, voice.media_format, voice.key) == ("voice", "m", "amr", "m:42")
