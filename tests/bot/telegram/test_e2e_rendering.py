"""How replies look on the wire: long text split at Telegram's limit with the buttons under the last
piece, images as photos with their caption, a press answered by editing the card in place."""
from __future__ import annotations

from bot.messages import Choice, Reply
from bot.outcome import Outcome
from bot.adapters.telegram.adapter import TelegramAdapter
from tests.bot.telegram.conftest import config_for

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


class ScriptedLoop:
    """Answers each text with the replies the test set for it (the adapter contract only)."""

    def __init__(self, app) -> None:
        self.app = app  # its database holds the inbox
        self.replies: dict[str, list[Reply]] = {}
        self.seen = []

    async def handle(self, msg, *, progress=None, before_commit=None) -> Outcome:
        self.seen.append(msg)
        key = msg.choice or msg.text
        return Outcome(replies=list(self.replies.get(key, [Reply(text="?")])))


async def _adapter(api, loop) -> TelegramAdapter:
    adapter = TelegramAdapter(loop, config_for(api), poll_timeout=1, flood_limiter=False)
    await adapter.start()
    return adapter


async def test_long_text_is_split_and_the_buttons_go_under_the_last_piece(api, tg_app):
    loop = ScriptedLoop(tg_app)
    lines = [f"{i:03d} 蓝鲸数据 · 评估 → 谈判 · ¥1,200,000 · 下次跟进 12-02" for i in range(300)]
    loop.replies["list"] = [Reply(text="\n".join(lines), choices=(Choice("r:5:done", "Done"),))]
    adapter = await _adapter(api, loop)
    try:
        api.user(1, "Li").send("list")
        await api.delivered()
        await adapter.idle()
        pieces = api.bot_messages(1)
        assert len(pieces) > 1 and all(len(p["text"]) <= 4096 for p in pieces)
        assert "\n".join(p["text"] for p in pieces).splitlines() == lines
        assert [("reply_markup" in p) for p in pieces] == [False] * (len(pieces) - 1) + [True]
    finally:
        await adapter.stop()


async def test_an_image_is_sent_as_a_photo_with_its_caption(api, tg_app):
    loop = ScriptedLoop(tg_app)
    loop.replies["chart"] = [Reply(text="本季度 pipeline", image=PNG, image_alt="pipeline chart")]
    adapter = await _adapter(api, loop)
    try:
        api.user(1, "Li").send("chart")
        await api.delivered()
        await adapter.idle()
        [photo] = api.bot_messages(1)
        assert photo["caption"] == "本季度 pipeline"
        assert api.files[photo["photo"][0]["file_id"]].data == PNG
    finally:
        await adapter.stop()


async def test_a_press_answered_with_a_new_question_replaces_the_card_with_its_buttons(api, tg_app):
    loop = ScriptedLoop(tg_app)
    loop.replies["note"] = [Reply(text="哪个李总？", choices=(Choice("c:7:0", "李明"), Choice("c:7:1", "李华")))]
    loop.replies["c:7:0"] = [Reply(text="📋 确认写入", choices=(Choice("d:7:confirm", "OK", "primary"),),
                                   replaces_card=True)]
    adapter = await _adapter(api, loop)
    try:
        user = api.user(1, "Li")
        user.send("note")
        await api.delivered()
        await adapter.idle()
        [question] = api.bot_messages(1)
        user.press(question, "c:7:0")
        await api.delivered()
        await adapter.idle()
        [card] = api.bot_messages(1)
        assert card["message_id"] == question["message_id"] and card["text"] == "📋 确认写入"
        assert card["reply_markup"]["inline_keyboard"] == [[{"text": "OK", "callback_data": "d:7:confirm",
                                                              "style": "primary"}]]
        assert loop.seen[-1].choice == "c:7:0" and loop.seen[-1].message_id.startswith("cb:")
    finally:
        await adapter.stop()
