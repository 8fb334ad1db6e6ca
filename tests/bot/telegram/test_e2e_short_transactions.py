"""Write transactions stay short under many chats, through the real adapter: a note's write transaction
must not re-read the CRM's names. Each card's tool context starts from the names the parser
already holds (read outside any write transaction, and only again when a name-carrying row
changed), so 20 chats writing notes and confirming them read the name directory inside their
transactions not once; a note that creates an account makes the next card read it once more.
How long the transactions take at 10,000 accounts is `make bench-turns`'s figure, not a test."""
from __future__ import annotations

from sqlmodel import select

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.identity import link
from bot.loop import ConversationLoop
from storage.db import session_scope
from storage.models import Account, Visit
from tests.bot.telegram.conftest import button, config_for
from tests.bot.telegram.test_e2e_concurrency import OWN

CHATS = 20


async def test_notes_and_confirms_from_20_chats_read_no_names_inside_their_transactions(api, tg_app, directory_reads):
    adapter = TelegramAdapter(ConversationLoop(tg_app), config_for(api), poll_timeout=1, flood_limiter=False)
    await adapter.start()
    try:
        reps = sorted(OWN)
        rows = [(9000 + i, reps[i % len(reps)], OWN[reps[i % len(reps)]][i % 3]) for i in range(CHATS)]
        with session_scope(tg_app.db) as session:
            for tg_id, rep, _ in rows:
                link(rep, "telegram", str(tg_id), chat_id=str(tg_id), session=session, now=tg_app.clock())
            before = len(session.exec(select(Visit)).all())
        users = {tg_id: api.user(tg_id, f"rep{tg_id}") for tg_id, _, _ in rows}
        for tg_id, _, account in rows:
            users[tg_id].send(f"今天拜访了{account}，聊了扩容方案")
        await api.delivered(timeout=60)
        await adapter.idle()
        cards = {tg_id: api.bot_messages(tg_id)[-1] for tg_id, _, _ in rows}
        for tg_id, card in cards.items():
            users[tg_id].press(card, button(card, "confirm"))
        await api.delivered(timeout=60)
        await adapter.idle()
        with session_scope(tg_app.db) as session:
            assert len(session.exec(select(Visit)).all()) - before == CHATS
        assert directory_reads == []

        # A new account is a name the parser's snapshot lacks: the next card reads names once more.
        tg_id = rows[0][0]
        users[tg_id].send("今天拜访了星河科技周总，初次接触")
        await api.delivered(timeout=60)
        await adapter.idle()
        users[tg_id].press(api.bot_messages(tg_id)[-1], button(api.bot_messages(tg_id)[-1], "confirm"))
        await api.delivered(timeout=60)
        await adapter.idle()
        with session_scope(tg_app.db) as session:
            assert session.exec(select(Account).where(Account.name == "星河科技")).first() is not None
        assert 1 <= len(directory_reads) <= 3
    finally:
        await adapter.stop()
