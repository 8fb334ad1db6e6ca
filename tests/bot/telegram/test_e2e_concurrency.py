"""100 chats writing at once: every chat gets its own card, every confirm writes its own visit."""
from __future__ import annotations

from sqlmodel import select

from bot.identity import link
from bot.loop import ConversationLoop
from bot.adapters.telegram.adapter import TelegramAdapter
from prompts.ui import t
from storage.db import session_scope
from storage.models import Account, Visit
from tests.bot.telegram.conftest import button, config_for

# Each rep's own accounts in the eval fixture.
OWN = {1: ["蓝鲸数据", "青松制药", "天衡能源", "北辰汽车"], 2: ["蓝海数据", "金桥物流", "瑞丰食品", "华康医疗"],
       6: ["明远教育", "海纳零售", "云帆软件"]}
CHATS = 100


def plan() -> list[tuple[int, int, str]]:
    """(telegram id, rep id, account) for each chat."""
    rows = []
    reps = sorted(OWN)
    for i in range(CHATS):
        rep = reps[i % len(reps)]
        rows.append((8000 + i, rep, OWN[rep][(i // len(reps)) % len(OWN[rep])]))
    return rows


async def test_100_chats_at_once_get_100_correct_cards_and_100_visits(api, tg_app):
    adapter = TelegramAdapter(ConversationLoop(tg_app), config_for(api), poll_timeout=1, flood_limiter=False)
    await adapter.start()
    try:
        rows = plan()
        with session_scope(tg_app.db) as session:
            for tg_id, rep, _ in rows:
                link(rep, "telegram", str(tg_id), chat_id=str(tg_id), session=session, now=tg_app.clock())
        users = {tg_id: api.user(tg_id, f"rep{tg_id}") for tg_id, _, _ in rows}
        with session_scope(tg_app.db) as session:
            before = len(session.exec(select(Visit)).all())

        for tg_id, _, account in rows:
            users[tg_id].send(f"今天拜访了{account}，聊了扩容方案")
        await api.delivered(timeout=60)
        await adapter.idle()
        cards = {}
        for tg_id, _, account in rows:
            [card] = api.bot_messages(tg_id)
            assert account in card["text"], (tg_id, account, card["text"])
            cards[tg_id] = card

        for tg_id, card in cards.items():
            users[tg_id].press(card, button(card, "confirm"))
        await api.delivered(timeout=60)
        await adapter.idle()
        for tg_id, card in cards.items():
            assert api.current(tg_id, card["message_id"])["text"].startswith(t("zh", "confirmed"))

        with session_scope(tg_app.db) as session:
            visits = session.exec(select(Visit).order_by(Visit.id)).all()[before:]
            names = {a.id: a.name for a in session.exec(select(Account))}
        assert len(visits) == CHATS
        written = sorted((v.rep_id, names[v.account_id]) for v in visits)
        assert written == sorted((rep, account) for _, rep, account in rows)
    finally:
        await adapter.stop()
