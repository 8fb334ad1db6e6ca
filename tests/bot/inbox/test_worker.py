"""Workers over the inbox with a scripted loop: one chat in order while other chats run alongside,
an exception in the loop becomes an apology, a failed send is retried, and what the loop writes
commits together with the row's "handled"."""
from __future__ import annotations

import asyncio
import dataclasses

import pytest
from sqlmodel import Session, select

from bot.inbox import Inbox, State
from bot.messages import IncomingMessage
from bot.outcome import Outcome
from storage.models import InboxMessage


def msg(chat: str, n: int, text: str = "hi") -> IncomingMessage:
    return IncomingMessage(platform="telegram", chat_id=chat, external_user_id=chat, message_id=str(n), text=text)


class Timed:
    """Sleeps as long as the message says, logging start and end."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, str]] = []
        self.running = self.most = 0

    async def handle(self, m, *, progress=None, before_commit=None):
        self.running += 1
        self.most = max(self.most, self.running)
        self.log.append(("start", m.chat_id, m.message_id))
        await asyncio.sleep(float(m.text))
        self.log.append(("end", m.chat_id, m.message_id))
        self.running -= 1
        if m.text == "0.013":
            raise RuntimeError("boom")
        return Outcome().say(f"{m.chat_id}/{m.message_id}")


@pytest.fixture
def inbox(engine):
    return Inbox(engine, lease_s=5)


async def test_one_chat_in_order_while_other_chats_run_alongside(inbox):
    loop, sent = Timed(), []

    async def deliver(item, outcome):
        sent.append(outcome.replies[0].text)

    worker = inbox.worker(loop, platforms=["telegram"], deliver=deliver, concurrency=4, poll_s=0.05)
    await worker.start()
    try:
        for n, (chat, delay) in enumerate([("10", 0.2), ("10", 0.0), ("20", 0.1), ("10", 0.0), ("30", 0.1)]):
            await inbox.accept(msg(chat, n, str(delay)))
        await worker.idle(10)
    finally:
        await worker.stop()
    chat10 = [(kind, n) for kind, chat, n in loop.log if chat == "10"]
    assert chat10 == [("start", "0"), ("end", "0"), ("start", "1"), ("end", "1"), ("start", "3"), ("end", "3")]
    assert loop.most >= 2  # other chats overlapped chat 10's slow first message
    assert [s for s in sent if s.startswith("10/")] == ["10/0", "10/1", "10/3"] and len(sent) == 5


async def test_a_loop_failure_is_an_apology_and_a_failed_send_is_retried(inbox, engine):
    loop, sent, failures = Timed(), [], [1]

    async def deliver(item, outcome):
        if failures:
            failures.pop()
            raise ConnectionError("platform down")
        sent.append(outcome.replies[0].text)

    worker = inbox.worker(loop, platforms=["telegram"], deliver=deliver, concurrency=2, poll_s=0.05, retry_s=0.05)
    await worker.start()
    try:
        await inbox.accept(msg("A", 1, "0.013"))
        await worker.idle(10)
    finally:
        await worker.stop()
    assert len(sent) == 1 and "0.013" not in sent[0] and any(ch.isdigit() for ch in sent[0])
    with Session(engine) as session:
        row = session.exec(select(InboxMessage)).one()
        assert row.state == State.replied.value and row.attempts == 2


async def test_what_the_loop_writes_commits_with_handled_or_not_at_all(inbox, engine):
    """The loop's transaction carries the row's move to handled: a lease lost meanwhile rolls the
    write back with it."""
    from bot.inbox.store import LeaseLost
    from storage.models import ProcessedMessage

    class Writes:
        async def handle(self, m, *, progress=None, before_commit=None):
            with Session(engine) as session:
                session.add(ProcessedMessage(platform=m.platform, chat_id=m.chat_id, message_id=m.message_id))
                outcome = Outcome().say("done")
                if m.text == "steal":
                    with Session(engine) as other:  # another worker took the row over
                        other.exec(select(InboxMessage)).one().owner = "thief"
                        other.commit()
                before_commit(session, outcome)
                session.commit()
            return outcome

    await inbox.accept(msg("A", 1, "steal"))
    item = await asyncio.to_thread(inbox.store.claim, "me", ["telegram"])
    worker = inbox.worker(Writes(), platforms=["telegram"], deliver=lambda i, o: asyncio.sleep(0))
    with pytest.raises(LeaseLost):
        await worker.process(item)
    with Session(engine) as session:
        assert session.exec(select(ProcessedMessage)).all() == []
        assert session.exec(select(InboxMessage)).one().state == State.claimed.value


async def test_prepare_completes_a_message_from_its_context_or_answers_it_without_the_loop(inbox):
    """`prepare`: what the adapter stored by reference (a media id) is fetched by the worker; an
    Outcome it returns replaces the loop; an exception in it is an apology like the loop's."""
    loop, sent = Timed(), []

    async def prepare(item):
        if item.context.get("fetch") == "broken":
            raise ConnectionError("media server down")
        if item.context.get("fetch") == "too large":
            return Outcome().say("too large")
        return dataclasses.replace(item.message, text=item.context["fetch"])

    async def deliver(item, outcome):
        sent.append((item.message.message_id, outcome.replies[0].text))

    worker = inbox.worker(loop, platforms=["telegram"], deliver=deliver, prepare=prepare, poll_s=0.05)
    await worker.start()
    try:
        await inbox.accept(msg("A", 1, "ref"), {"fetch": "0.0"})
        await inbox.accept(msg("A", 2), {"fetch": "too large"})
        await inbox.accept(msg("A", 3), {"fetch": "broken"})
        await worker.idle(10)
    finally:
        await worker.stop()
    assert [n for kind, _, n in loop.log if kind == "start"] == ["1"]  # only the first reached the loop
    assert sent[:2] == [("1", "A/1"), ("2", "too large")]
    assert sent[2][0] == "3" and sent[2][1] not in ("A/3", "too large")  # the apology
