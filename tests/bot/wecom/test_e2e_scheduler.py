"""Proactive messages on WeCom: the real scheduler's reminders and weekly digest leave through the
WeCom adapter; charts go up with media/upload and arrive as images, the text with them."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduler.runner import Scheduler
from storage.db import session_scope
from storage.models import Reminder, ReminderStatus
from tests.bot.wecom.conftest import WC

PNG = b"\x89PNG\r\n\x1a\n"
MONDAY_NINE = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def test_reminders_and_the_weekly_digest_with_charts_reach_wecom(harness):
    h = harness
    h.person(1), h.person(3)
    h.app.clock.current = MONDAY_NINE
    with session_scope(h.app.db) as session:
        session.add(Reminder(user_id=1, text="回访李总", due_at=MONDAY_NINE - timedelta(minutes=1),
                             status=ReminderStatus.pending, created_at=MONDAY_NINE - timedelta(days=1)))
    scheduler = Scheduler(h.app, h.adapter.outbox, platforms=["wecom"])
    report = await scheduler.tick()
    assert report.reminders_sent == 1

    [due] = [m for m in h.wecom.messages(WC[1]) if "回访李总" in m.text]
    assert due.msgtype == "template_card" and due.content["button_list"]  # done / snooze buttons

    manager = h.wecom.messages(WC[3])
    digest = next(i for i, m in enumerate(manager) if m.text.startswith("📊"))
    assert manager[digest - 1].msgtype == "image" and manager[digest - 1].image.startswith(PNG)
    images = [m for m in manager if m.msgtype == "image"]
    assert len(images) >= 2 and all(m.image.startswith(PNG) for m in images)  # funnel and trend
    uploads = h.wecom.calls_of("media/upload")
    assert len(uploads) == len(images) and all(c.params["type"] == "image" for c in uploads)
