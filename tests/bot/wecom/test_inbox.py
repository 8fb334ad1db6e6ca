"""WeCom through the durable inbox: the callback is answered 200 only once the event is stored; an
event stored but not handled when the adapter stops is answered by the next one, once."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError

from storage.models import Draft
from tests.bot.wecom.conftest import WC, Harness, make_adapter
from tests.fakes.wecom_server import cdata

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def _database_down(*args, **kwargs):
    raise OperationalError("INSERT INTO inbox_message", {}, Exception("database is locked"))


async def test_an_event_stored_before_a_stop_is_answered_once_after_the_restart(wecom, wc_app):
    first = make_adapter(wecom, wc_app, drain_timeout_s=0.2)
    await first.start()
    wecom.callback_url = first.callback_url
    h = Harness(wecom, first, wc_app)
    rep, photo = h.person(1), b"\xff\xd8\xff\xe0" + b"\x00" * 2000
    await first.worker.stop()  # its workers are gone (a crash, a stop cut short); the callback still serves
    note = rep._message("text", f"<Content>{cdata(NOTE)}</Content>")
    assert ((await wecom.post(note)).status, (await rep.send_image(photo)).status) == (200, 200)
    await first.stop()
    assert wecom.messages(WC[1]) == [] and first.inbox.store.open_count(["wecom"]) == 2

    second = make_adapter(wecom, wc_app)
    await second.start()
    wecom.callback_url = second.callback_url
    try:
        await second.idle()
        card, *_ = wecom.messages(WC[1])
        assert card.msgtype == "template_card" and "蓝鲸数据" in card.text
        assert len(wecom.calls_of("media/get")) == 1  # the picture, fetched by the new worker
        answered = len(wecom.messages(WC[1]))
        again = await wecom.post(note)  # WeCom's retry reaches the new process: stored once already
        await second.idle()
        assert (again.status, again.text) == (200, "")
        assert len(wecom.messages(WC[1])) == answered and h.count(Draft) == 1
    finally:
        await second.stop()


async def test_an_event_that_cannot_be_stored_gets_no_200_and_its_retry_is_taken(harness, monkeypatch):
    h = harness
    rep = h.person(1)
    note = rep._message("text", f"<Content>{cdata(NOTE)}</Content>")
    monkeypatch.setattr(h.adapter.inbox.store, "accept", _database_down)
    refused = await h.wecom.post(note)
    assert refused.status == 500
    await h.settled()
    assert h.wecom.messages(WC[1]) == [] and h.count(Draft) == 0

    monkeypatch.undo()
    retried = await h.wecom.post(note)  # WeCom posts it again
    assert (retried.status, retried.text) == (200, "")
    await h.settled()
    [card] = h.wecom.messages(WC[1])
    assert card.msgtype == "template_card" and h.count(Draft) == 1

    monkeypatch.setattr(h.adapter.inbox.store, "accept", _database_down)
    assert (await rep.press(card, card.button("confirm"))).status == 500
    await h.settled()
    assert len(h.wecom.messages(WC[1])) == 1 and not h.wecom.calls_of("message/update_template_card")
