"""FEISHU_MODE=websocket: lark-oapi's long-connection client (in its own thread) against the fake
platform's ws endpoint; events and card presses arrive as protobuf frames, answers go out through
the same API as in webhook mode."""
from __future__ import annotations

import dataclasses

from bot.adapters.feishu.adapter import FeishuAdapter
from bot.loop import ConversationLoop
from storage.models import Visit
from tests.bot.feishu.conftest import Harness, RecordingLoop, config_for

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


async def test_a_note_and_a_press_over_the_long_connection(server, fs_app):
    server.transport = "websocket"
    loop = RecordingLoop(ConversationLoop(fs_app))
    adapter = FeishuAdapter(loop, dataclasses.replace(config_for(server), mode="websocket"))
    await adapter.start()
    try:
        h = Harness(server, adapter, fs_app, loop)
        assert adapter.port is None  # nothing is served in this mode
        rep = h.person(1)
        code, _ = await rep.send(NOTE, event_id="ev_ws_note")
        assert code == 200
        await server.wait_for(lambda: server.bot_messages(rep.p2p_chat), timeout=30)
        [card] = server.bot_messages(rep.p2p_chat)
        assert "蓝鲸数据" in card.text
        again, _ = await rep.send(NOTE, event_id="ev_ws_note")  # redelivered: handled once
        before = h.count(Visit)
        code, _ = await rep.press(card, next(c for c in card.choices if c.endswith(":confirm")))
        assert (again, code) == (200, 200)
        await server.wait_for(lambda: card.updated_at, timeout=30)
        await adapter.idle()
        assert h.count(Visit) == before + 1 and len(server.bot_messages(rep.p2p_chat)) == 1
        assert len(loop.received) == 2  # the note once, the press once
    finally:
        await adapter.stop()
    assert server._socket is None or server._socket.closed
