"""Generated hostile text through the inbox (SQLite and PostgreSQL): every message is stored, read
back exactly as sent (lone surrogates, NUL, bidi and control characters, 100k characters), and
answered through the real loop, with replies that survive the row's round trip."""
from __future__ import annotations

import pytest

from bot.identity import link
from bot.inbox import Inbox
from bot.loop import ConversationLoop
from bot.messages import IncomingMessage
from prompts.ui import t
from storage.db import session_scope
from tests.bot.telegram.conftest import make_app
from tests.bot.test_fuzz_input import hostile_texts

pytestmark = pytest.mark.slow


async def test_hostile_text_is_stored_exactly_and_answered(crm, clock):
    app = make_app(crm, clock)
    with session_scope(crm) as session:
        link(1, "telegram", "5001", chat_id="5001", session=session, now=clock())
    inbox = Inbox(crm)
    texts = hostile_texts(seed=17, n=40)
    seen, sent = [], []

    class Recording:
        def __init__(self) -> None:
            self.inner, self.app = ConversationLoop(app), app

        async def handle(self, msg, *, progress=None, before_commit=None):
            seen.append(msg.text)
            return await self.inner.handle(msg, progress=progress, before_commit=before_commit)

    async def deliver(item, outcome):
        sent.append(outcome.replies)

    worker = inbox.worker(Recording(), platforms=["telegram"], deliver=deliver, concurrency=2, poll_s=0.05)
    await worker.start()
    try:
        for n, text in enumerate(texts):
            assert await inbox.accept(IncomingMessage(platform="telegram", chat_id="5001", external_user_id="5001",
                                                      message_id=str(n), text=text))
        await worker.idle(120)
    finally:
        await worker.stop()
    assert seen == texts  # in order, unchanged
    assert len(sent) == len(texts) and all(replies for replies in sent)
    apology = t("zh", "apology", error_id="")[:8]
    assert not [r for replies in sent for r in replies if r.text.startswith(apology)]
