"""Hostile or unlucky deliveries over the wire: unencodable text, duplicate deliveries, forged
presses, presses after a crash and updates the library cannot read."""
from __future__ import annotations

from prompts.ui import t
from storage.models import Visit
from tests.bot.telegram.conftest import TG, button


async def test_a_lone_surrogate_in_a_note_is_dropped_and_the_note_is_saved(harness):
    h = harness
    rep = h.person(1)
    before = h.count(Visit)
    [card] = await h.say(rep, "今天拜访了蓝鲸李总\ud800，聊了扩容\udfff方案")
    assert "蓝鲸数据" in card["text"] and "\ufffd" not in card["text"]
    await h.press(rep, card, button(card, "confirm"))
    assert h.api.current(TG[1], card["message_id"])["text"].startswith(t("zh", "confirmed"))
    assert h.count(Visit) == before + 1


async def test_only_unencodable_and_control_characters_get_a_clear_reply(harness):
    h = harness
    rep = h.person(1)
    for text in ("\ud800\udc00\udbff", "\x00\x01\x1b\u202e\u2066", "\udfff" * 5000):
        [reply] = await h.say(rep, text)
        assert reply["text"] in (t("zh", "unreadable"), t("zh", "empty_message"))
