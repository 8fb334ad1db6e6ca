"""The inbox table on SQLite and PostgreSQL: intake is idempotent, a chat's messages are taken
one at a time in order, leases hand a dead worker's rows over, and the bytes of voice notes and
images survive the round trip."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session

from bot.inbox import Inbox, InboxStore, LeaseLost, State
from bot.messages import Audio, Choice, Image, IncomingMessage, Outgoing, Reply
from bot.outcome import Outcome
from storage.models import InboxMessage


class Wall:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def msg(chat: str, n: int, **kw) -> IncomingMessage:
    return IncomingMessage(platform="telegram", chat_id=chat, external_user_id=chat, message_id=str(n),
                           text=kw.pop("text", f"m{n}"), **kw)


@pytest.fixture
def wall():
    return Wall()


@pytest.fixture
def store(engine, wall):
    return InboxStore(engine, lease_s=30, max_attempts=3, now=wall)


def test_accept_is_idempotent_and_a_message_round_trips_with_its_bytes(store):
    voice = Audio(data=b"\x00OggS" * 1000, format="ogg", duration_s=3.5)
    images = (Image(data=b"\x89PNG\x00\xff", mime="image/png", name="a.png"), Image(data=b"%PDF-1.7", mime="application/pdf"))
    m = msg("1", 1, text="蓝鲸 \ud800 \u202e RTL \x00", audio=voice, images=images, choice="c:1",
            is_group=True, mentions_bot=True, language_hint="zh", display_name="王磊")
    assert store.accept(m, {"reply_to": 7, "thread": None}) is True
    assert store.accept(m, {"reply_to": 8}) is False
    item = store.claim("w", ["telegram"])
    assert item.message == m and item.context == {"reply_to": 7, "thread": None}
    assert item.state is State.claimed and item.attempts == 1


def test_a_chat_is_held_by_one_worker_and_answered_in_order_while_other_chats_run(store):
    for n in range(3):
        store.accept(msg("A", n))
    store.accept(msg("B", 0))
    a0 = store.claim("w1", ["telegram"])
    b0 = store.claim("w2", ["telegram"])
    assert (a0.message.chat_id, a0.message.message_id) == ("A", "0")
    assert (b0.message.chat_id, b0.message.message_id) == ("B", "0")
    assert store.claim("w3", ["telegram"]) is None  # A's next waits for A's first to be answered
    store.mark_handled_apart(a0, Outcome().say("ok"))
    assert store.claim("w3", ["telegram"]) is None  # handled but not yet answered: still A's turn
    store.mark_replied(a0)
    a1 = store.claim("w3", ["telegram"])
    assert a1.message.message_id == "1"
    assert store.claim("w1", ["wechat"]) is None  # other platforms' workers do not take it


def test_a_dead_workers_claim_is_taken_over_after_its_lease_and_its_late_commit_is_refused(store, engine, wall):
    store.accept(msg("A", 0))
    first = store.claim("dead", ["telegram"])
    assert store.claim("other", ["telegram"]) is None
    wall.now += timedelta(seconds=31)
    second = store.claim("other", ["telegram"])
    assert second.id == first.id and second.attempts == 2
    with Session(engine) as session, pytest.raises(LeaseLost):
        store.mark_handled(session, first, Outcome().say("late"))
    assert store.renew(first) is False and store.renew(second) is True


def test_a_handled_message_whose_sender_died_is_sent_again_with_the_stored_outcome(store, wall):
    store.accept(msg("A", 0))
    item = store.claim("w1", ["telegram"])
    outcome = Outcome().say("card", choices=(Choice("d:1:confirm", "✅"),), kind="card")
    outcome.outgoing.append(Outgoing("telegram", "9", Reply(text="for the manager", image=b"PNG")))
    store.mark_handled_apart(item, outcome)
    wall.now += timedelta(seconds=31)
    again = store.claim("w2", ["telegram"])
    assert again.state is State.handled and again.outcome == outcome


def test_failed_sends_are_retried_after_a_backoff_then_given_up(store, wall):
    store.accept(msg("A", 0))
    item = store.claim("w", ["telegram"])
    store.mark_handled_apart(item, Outcome().say("x"))
    for attempt in (1, 2):
        assert store.delivery_failed(item, backoff_s=10) is State.handled
        assert store.claim("w", ["telegram"]) is None  # not before the backoff
        wall.now += timedelta(seconds=11)
        item = store.claim("w", ["telegram"])
        assert item.attempts == attempt + 1
    assert store.delivery_failed(item, backoff_s=10) is State.failed
    assert store.open_count() == 0


def test_a_message_that_kills_every_worker_is_given_up_and_the_chat_moves_on(store, wall):
    store.accept(msg("A", 0))
    store.accept(msg("A", 1))
    for _ in range(3):
        store.claim("w", ["telegram"])
        wall.now += timedelta(seconds=31)
    nxt = store.claim("w", ["telegram"])
    assert nxt.message.message_id == "1"


def test_release_hands_the_row_back_and_prune_drops_old_answered_rows(store, engine, wall):
    store.accept(msg("A", 0))
    item = store.claim("w", ["telegram"])
    store.release(item)
    item = store.claim("w2", ["telegram"])
    assert item.attempts == 1
    store.mark_handled_apart(item, Outcome())
    store.mark_replied(item)
    with Session(engine) as session:
        assert session.get(InboxMessage, item.id).blob is None
    assert store.prune(timedelta(days=7)) == 0
    wall.now += timedelta(days=8)
    assert store.prune(timedelta(days=7)) == 1


async def test_accept_wakes_this_process_workers(engine):
    inbox = Inbox(engine)
    seen = []

    class Echo:
        async def handle(self, m, *, progress=None, before_commit=None):
            return Outcome().say(m.text)

    async def deliver(item, outcome):
        seen.append((item.message.message_id, outcome.replies[0].text))

    worker = inbox.worker(Echo(), platforms=["telegram"], deliver=deliver, poll_s=30, concurrency=2)
    await worker.start()
    try:
        for n in range(5):
            await inbox.accept(msg("A", n))
        await worker.idle(5)
    finally:
        await worker.stop()
    assert seen == [(str(n), f"m{n}") for n in range(5)]
