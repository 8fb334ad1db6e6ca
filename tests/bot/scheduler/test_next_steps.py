"""A visit's next step with a day becomes a reminder at 09:00 that day: on the card, written in
the confirmed transaction, delivered by the scheduler."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from bot.loop import ConversationLoop
from bot.scheduler.next_steps import next_step_day, with_next_step_dates
from storage.models import AuditLog, Reminder, Visit
from tests.bot.conftest import message
from tests.bot.scheduler.conftest import local, set_prefs, tick
from tools.base import ToolCall

VISIT = {"name": "log_visit", "args": {"account": "蓝鲸数据", "contacts": ["李明"], "occurred_on": "2026-11-25",
                                       "summary": "聊了扩容方案", "next_step": "下周三发报价"}}


def confirm(loop, user_id: int, text: str):
    card = loop.handle_sync(message(user_id, text)).replies[-1]
    done = loop.handle_sync(message(user_id, choice=next(c.id for c in card.choices if c.id.endswith(":confirm"))))
    return card, done


def test_a_dated_next_step_becomes_a_reminder(app, clock, engine_script, scheduler, adapter):
    engine_script.add("拜访蓝鲸", [VISIT])
    card, done = confirm(ConversationLoop(app), 1, "拜访蓝鲸")
    assert "⏰ 提醒 12-02 09:00：下周三发报价" in card.text
    assert "⏰ 提醒 12-02 09:00" in done.replies[0].text
    with Session(app.db) as session:
        visit = session.exec(select(Visit).order_by(Visit.id.desc())).first()
        row = session.exec(select(Reminder).where(Reminder.visit_id == visit.id)).one()
        assert visit.next_step_due == date(2026, 12, 2)
        assert (row.user_id, row.account_id, row.kind, row.text) == (1, visit.account_id, "next_step", "下周三发报价")
        assert row.due_at == local("2026-12-02", "09:00")
        assert session.exec(select(AuditLog).where(AuditLog.entity == "reminder", AuditLog.entity_id == row.id)).one()
    clock.current = local("2026-12-02", "09:00")
    tick(scheduler)
    [sent] = [r for r in adapter.to("chat1") if r.choices and r.choices[0].id == f"r:{row.id}:done"]
    assert sent.text.splitlines()[:2] == ["⏰ 下一步：下周三发报价", "客户：蓝鲸数据"]


def test_no_reminder_when_switched_off_or_already_asked_for(app, engine_script):
    set_prefs(app.db, 1, {"off": ["next_step_reminders"]})
    engine_script.add("拜访蓝鲸", [VISIT])
    card, _ = confirm(ConversationLoop(app), 1, "拜访蓝鲸")
    assert "⏰" not in card.text
    with Session(app.db) as session:
        assert session.exec(select(Reminder)).all() == []
        assert session.exec(select(Visit).order_by(Visit.id.desc())).first().next_step_due == date(2026, 12, 2)
    reminder = ToolCall("create_reminder", {"due_at": "2026-12-02T10:00", "text": "发报价"})
    calls = [ToolCall.from_json(VISIT), reminder]
    assert with_next_step_dates(calls, date(2026, 11, 25)) == calls


def test_which_next_steps_have_a_day():
    today = date(2026, 11, 25)  # a Wednesday
    assert next_step_day("send the proposal on Friday", today) == date(2026, 11, 27)
    assert next_step_day("12月3号再去演示", today) == date(2026, 12, 3)
    assert next_step_day("明天下午给报价", today) == date(2026, 11, 26)
    assert next_step_day("尽快回复客户", today) is None
    assert next_step_day("今天下午发资料", today) is None  # not after today: nothing to remind of
