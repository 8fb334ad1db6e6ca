"""Feishu through the durable inbox: an event (a message, a card action) is answered 200 only once
it is stored; one stored but not handled when the adapter stops is answered by the next, once."""
from __future__ import annotations

import json

from sqlalchemy.exc import OperationalError

from bot.adapters.feishu.adapter import EVENTS_PATH, FeishuAdapter
from bot.loop import ConversationLoop
from storage.models import Draft, Visit
from tests.bot.feishu.conftest import Harness, RecordingLoop, button, config_for

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def _database_down(*args, **kwargs):
    raise OperationalError("INSERT INTO inbox_message", {}, Exception("database is locked"))


def _payload(server, event_id: str) -> str:
    delivered = next(m for m in server.delivered if m["header"]["event_id"] == event_id)
    return json.dumps(delivered, ensure_ascii=False)


async def _started(server, fs_app, **kwargs) -> FeishuAdapter:
    adapter = FeishuAdapter(RecordingLoop(ConversationLoop(fs_app)), config_for(server), **kwargs)
    await adapter.start()
    server.events_url = f"http://127.0.0.1:{adapter.port}{EVENTS_PATH}"
    return adapter


async def test_an_event_stored_before_a_stop_is_answered_once_after_the_restart(server, fs_app):
    first = await _started(server, fs_app, drain_timeout_s=0.2)
    h = Harness(server, first, fs_app, first.loop)
    rep = h.person(1)
    await first.worker.stop()  # its workers are gone (a crash, a stop cut short); the webhook still serves
    status, _ = await rep.send(NOTE, event_id="ev_stored")
    image_status, _ = await rep.send_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000)
    assert (status, image_status) == (200, 200)
    await first.stop()
    assert server.bot_messages(rep.p2p_chat) == [] and first.loop.received == []
    assert first.inbox.store.open_count(["feishu"]) == 2

    second = await _started(server, fs_app)
    try:
        await second.idle()
        card, *_ = server.bot_messages(rep.p2p_chat)
        assert "蓝鲸数据" in card.text and h.count(Draft) == 1
        [_, picture] = second.loop.received
        assert len(picture.images) == 1  # downloaded by the new process's worker
        answered = len(server.bot_messages(rep.p2p_chat))
        again, _ = await server.post_raw(_payload(server, "ev_stored"))  # Feishu delivers it again
        await second.idle()
        assert again == 200 and len(server.bot_messages(rep.p2p_chat)) == answered and h.count(Draft) == 1
        assert len(second.loop.received) == 2
    finally:
        await second.stop()


async def test_an_event_that_cannot_be_stored_gets_no_200_and_its_redelivery_is_taken(harness, monkeypatch):
    h = harness
    rep = h.person(1)
    monkeypatch.setattr(h.adapter.inbox.store, "accept", _database_down)
    status, _ = await rep.send(NOTE, event_id="ev_not_stored")
    await h.settled()
    assert status == 500 and h.server.bot_messages(rep.p2p_chat) == [] and h.count(Draft) == 0

    monkeypatch.undo()
    status, _ = await h.server.post_raw(_payload(h.server, "ev_not_stored"))  # Feishu's retry
    await h.settled()
    [card] = h.server.bot_messages(rep.p2p_chat)
    assert status == 200 and h.count(Draft) == 1

    before = h.count(Visit)
    monkeypatch.setattr(h.adapter.inbox.store, "accept", _database_down)
    refused, _ = await h.press(rep, card, "confirm", event_id="ev_press")
    assert refused == 500 and card.updated_at is None and h.count(Visit) == before
    monkeypatch.undo()
    status, _ = await h.server.post_raw(_payload(h.server, "ev_press"))  # the card action delivered again
    await h.settled()
    assert status == 200 and card.updated_at is not None and h.count(Visit) == before + 1


async def test_over_the_long_connection_an_event_not_stored_is_answered_with_an_error(server, fs_app, monkeypatch):
    import dataclasses

    server.transport = "websocket"
    adapter = FeishuAdapter(RecordingLoop(ConversationLoop(fs_app)),
                            dataclasses.replace(config_for(server), mode="websocket"))
    await adapter.start()
    try:
        h = Harness(server, adapter, fs_app, adapter.loop)
        rep = h.person(1)
        monkeypatch.setattr(adapter.inbox.store, "accept", _database_down)
        code, _ = await rep.send(NOTE, event_id="ev_ws_not_stored")
        assert code == 500 and adapter.loop.received == []
        monkeypatch.undo()
        code, _ = await server.push_frame(_payload(server, "ev_ws_not_stored"))  # delivered again
        assert code == 200
        await adapter.idle()
        [card] = server.bot_messages(rep.p2p_chat)
        assert "蓝鲸数据" in card.text and h.count(Draft) == 1
    finally:
        await adapter.stop()
