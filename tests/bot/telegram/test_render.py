"""Reply → Telegram: text pieces within the limit, choices as inline keyboards."""
from __future__ import annotations

from telegram import Message

from bot.messages import Choice
from bot.adapters.telegram.render import button_data, keyboard, split_text, utf16_len


def test_short_text_is_one_piece_and_empty_text_none():
    assert split_text("你好") == ["你好"]
    assert split_text("") == []


def test_long_text_is_cut_at_line_ends_within_the_limit():
    lines = [f"第{i}行：今天拜访了蓝鲸李总，聊了扩容方案" for i in range(400)]
    pieces = split_text("\n".join(lines), limit=1000)
    assert len(pieces) > 1
    assert all(utf16_len(p) <= 1000 for p in pieces)
    assert "\n".join(pieces).splitlines() == lines


def test_a_line_longer_than_the_limit_is_cut_without_splitting_surrogate_pairs():
    text = "😀" * 700  # 1400 UTF-16 units
    pieces = split_text(text, limit=501)
    assert all(utf16_len(p) <= 501 for p in pieces)
    assert "".join(pieces) == text


def test_card_choices_fit_one_row_with_styles():
    markup = keyboard((Choice("d:12:confirm", "✅ 确认", "primary"), Choice("d:12:edit", "✏️ 修改"),
                       Choice("d:12:cancel", "✖️ 取消", "danger")))
    row = markup.inline_keyboard
    assert len(row) == 1
    assert [(b.callback_data, b.style) for b in row[0]] == [
        ("d:12:confirm", "primary"), ("d:12:edit", None), ("d:12:cancel", "danger")]


def test_long_candidate_lists_get_one_button_a_row():
    names = ["蓝鲸数据科技有限公司", "蓝海数据", "蓝天信息技术", "蓝色星球"]
    markup = keyboard(tuple(Choice(f"c:3:{i}", n) for i, n in enumerate(names)))
    assert [len(r) for r in markup.inline_keyboard] == [1, 1, 1, 1]


def test_choice_ids_too_long_for_callback_data_are_left_out():
    markup = keyboard((Choice("d:1:confirm", "OK"), Choice("x" * 65, "too long")))
    assert [b.callback_data for r in markup.inline_keyboard for b in r] == ["d:1:confirm"]
    assert keyboard(()) is None


def test_button_data_reads_the_keyboard_a_message_shows():
    message = Message.de_json({"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "x",
                               "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "d:1:confirm"}]]}},
                              None)
    assert button_data(message) == {"d:1:confirm"}
    assert button_data(None) == set()
