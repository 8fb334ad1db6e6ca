"""What the scheduler sends reaches Feishu users: a due reminder as a card whose Done button
works, and the weekly digest's charts as uploaded images (their tables when an upload fails)."""
from __future__ import annotations

from sqlmodel import select

from bot.scheduler.runner import Scheduler
from storage.db import session_scope
from storage.models import ReminderStatus, User
from tests.bot.feishu.conftest import button
from tests.bot.scheduler.conftest import add_reminder, local, reminder


def _scheduler(h) -> Scheduler:
    with session_scope(h.app.db) as session:
        for user in session.exec(select(User)).all():
            user.preferences = {**(user.preferences or {}), "quiet_hours": "off"}
            session.add(user)
    return Scheduler(h.app, h.adapter.outbox, platforms=["feishu"], worker_id="feishu-test")


async def test_a_due_reminder_arrives_as_a_card_and_done_works(harness):
    h = harness
    rep = h.person(1)
    rid = add_reminder(h.app.db, 1, h.app.clock(), "给青松回电话", account_id=3)
    await _scheduler(h).tick()
    [card] = [m for m in h.server.bot_messages(rep.p2p_chat) if f"r:{rid}:done" in m.choices]
    assert card.msg_type == "interactive" and "给青松回电话" in card.text
    assert card.choices == [f"r:{rid}:done", f"r:{rid}:snooze1h", f"r:{rid}:tomorrow"]
    await h.press(rep, card, "done")
    assert reminder(h.app.db, rid).status == ReminderStatus.done
    assert card.updated_at is not None


async def test_the_weekly_digest_reaches_a_manager_with_its_charts_as_images(harness):
    h = harness
    manager = h.person(3)
    h.app.clock.current = local("2026-11-30", "09:00")
    await _scheduler(h).tick()
    sent = h.server.bot_messages(manager.p2p_chat)
    images = [m for m in sent if m.msg_type == "image"]
    assert images, [m.text[:40] for m in sent]
    for image in images:
        assert h.server.images[image.content["image_key"]].startswith(b"\x89PNG")
    digest = next(i for i, m in enumerate(sent) if m.text.startswith("📊"))
    assert sent[digest - 1].msg_type == "image"  # the chart first, then its words


async def test_a_chart_that_cannot_be_uploaded_arrives_as_its_table(harness, monkeypatch):
    h = harness
    manager = h.person(3)
    h.app.clock.current = local("2026-11-30", "09:00")

    async def refused(png, name="chart.png"):
        from bot.adapters.feishu.api import FeishuApiError

        raise FeishuApiError("upload image", 234001, "invalid image")

    monkeypatch.setattr(h.adapter.api, "upload_image", refused)
    await _scheduler(h).tick()
    sent = h.server.bot_messages(manager.p2p_chat)
    assert not [m for m in sent if m.msg_type == "image"]
    assert any("潜在" in m.text and "谈判" in m.text for m in sent if not m.text.startswith("📊"))
