"""The chat outbox: notices written by another process (the web console) reach the user's chat on
the next tick, rendered as the same notice from chat, once, and survive a failed send."""
from __future__ import annotations

from sqlmodel import Session, select

from storage.db import session_scope
from storage.models import OutboxMessage
from storage.repos.outbox import enqueue
from tests.bot.scheduler.conftest import tick

DECIDED = {"quote_id": 9, "decision": "approved", "decided_by": {"id": 3, "name": "张伟"},
           "requester": {"id": 1, "name": "王磊"}, "comment": "可以，尽快签",
           "quote": {"id": 9, "account": {"id": 1, "name": "蓝鲸科技"},
                     "amount": {"amount": "500000.00", "currency": "CNY"}, "discount_pct": "10"},
           "as_of": "2026-11-25"}


def _notices(adapter, chat: str) -> list:
    """What reached `chat` from the outbox (morning briefs and other jobs go out on the same tick)."""
    return [r for r in adapter.to(chat) if "可以，尽快签" in r.text]


def _rows(db) -> list[OutboxMessage]:
    with Session(db) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def test_a_notice_from_the_web_reaches_the_reps_chat_once(app, scheduler, adapter, clock):
    with session_scope(app.db) as session:
        enqueue(1, "quote_decided", DECIDED, session=session, now=clock())
    report = tick(scheduler)
    assert report.notices_sent == 1
    [reply] = _notices(adapter, "chat1")
    assert "蓝鲸科技" in reply.text and "张伟" in reply.text and "批准" in reply.text
    assert [r.status for r in _rows(app.db)] == ["sent"]
    tick(scheduler)
    assert len(_notices(adapter, "chat1")) == 1


def test_a_failed_send_is_retried_after_a_back_off(app, scheduler, adapter, clock):
    with session_scope(app.db) as session:
        enqueue(1, "quote_decided", DECIDED, session=session, now=clock())
    adapter.fail = True
    assert tick(scheduler).notices_failed == 1
    [row] = _rows(app.db)
    assert row.status == "pending" and row.not_before > clock()
    adapter.fail = False
    tick(scheduler)
    assert _notices(adapter, "chat1") == []  # still backing off
    clock.advance(minutes=2)
    assert tick(scheduler).notices_sent == 1
    assert len(_notices(adapter, "chat1")) == 1


def test_a_notice_waits_for_a_bot_that_reaches_the_user(app, make_scheduler, adapter, clock):
    with session_scope(app.db) as session:
        enqueue(1, "quote_decided", DECIDED, session=session, now=clock())
    other = make_scheduler()
    other.platforms = ("telegram",)  # a bot for a platform the user is not linked on
    assert tick(other).notices_sent == 0
    assert [r.status for r in _rows(app.db)] == ["pending"]
    assert tick(make_scheduler()).notices_sent == 1


def test_a_claim_whose_worker_died_is_taken_over_after_the_lease(app, make_scheduler, clock):
    from storage.repos import outbox

    with session_scope(app.db) as session:
        enqueue(1, "quote_decided", DECIDED, session=session, now=clock())
    claimed = outbox.claim(app.db, worker="dead", now=clock(), lease=make_scheduler().lease, platforms=["test"])
    assert len(claimed) == 1
    live = make_scheduler("w2")
    assert tick(live).notices_sent == 0
    clock.advance(minutes=6)
    assert tick(live).notices_sent == 1
