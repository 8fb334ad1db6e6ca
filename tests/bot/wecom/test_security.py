"""What is not from WeCom is never handled: forged signatures, another key, old timestamps,
another app's events; the URL verification answers only a correctly signed echostr."""
from __future__ import annotations

import time

from storage.models import Draft
from tests.bot.wecom.conftest import WC
from tests.fakes.wecom_server import AGENT_ID, encrypt

NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


def text_xml(user: str, text: str, msg_id: int = 1, agent_id: int = AGENT_ID) -> str:
    return (f"<xml><ToUserName><![CDATA[corp]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId><AgentID>{agent_id}</AgentID></xml>")


async def test_the_callback_url_is_verified_with_the_plain_echostr(harness):
    status, body, echo = await harness.wecom.verify_url()
    assert (status, body) == (200, echo)
    status, body, _ = await harness.wecom.verify_url(token="not-the-token")
    assert status == 403 and echo not in body


async def test_a_forged_signature_is_refused_and_nothing_is_handled(harness):
    h = harness
    h.person(1)
    xml = text_xml(WC[1], NOTE)
    encrypted = encrypt(xml, h.wecom.aes_key, h.wecom.corp_id)
    forged = await h.wecom.post(xml, encrypted=encrypted,
                                query=h.wecom.signed_query(encrypted, token="guessed-token"))
    assert forged.status == 403
    unsigned = await h.wecom.post(xml, query={"timestamp": str(int(time.time())), "nonce": "1"})
    assert unsigned.status == 403
    await h.settled()
    assert h.wecom.messages(WC[1]) == [] and h.count(Draft) == 0


async def test_a_body_encrypted_with_another_key_or_for_another_corp_is_refused(harness):
    h = harness
    h.person(1)
    xml = text_xml(WC[1], NOTE)
    other_key = encrypt(xml, "B" * 43, h.wecom.corp_id)
    other_corp = encrypt(xml, h.wecom.aes_key, "ww-another-corp")
    for encrypted in (other_key, other_corp, "not base64 at all"):
        answer = await h.wecom.post(xml, encrypted=encrypted, query=h.wecom.signed_query(encrypted))
        assert answer.status == 403
    await h.settled()
    assert h.wecom.messages(WC[1]) == [] and h.count(Draft) == 0


async def test_a_replayed_old_request_is_refused(harness):
    h = harness
    h.person(1)
    xml = text_xml(WC[1], NOTE)
    encrypted = encrypt(xml, h.wecom.aes_key, h.wecom.corp_id)
    old = await h.wecom.post(xml, encrypted=encrypted,
                             query=h.wecom.signed_query(encrypted, timestamp=int(time.time()) - 3600))
    assert old.status == 403
    await h.settled()
    assert h.count(Draft) == 0


async def test_another_apps_event_is_ignored(harness):
    h = harness
    h.person(1)
    answer = await h.wecom.post(text_xml(WC[1], NOTE, agent_id=AGENT_ID + 1))
    assert (answer.status, answer.text) == (200, "")
    await h.settled()
    assert h.wecom.messages(WC[1]) == [] and h.count(Draft) == 0


async def test_the_callback_is_answered_before_the_message_is_handled(harness):
    """WeCom waits 5 s: the answer never waits for the loop."""
    h = harness
    rep = h.person(1)
    gate = __import__("asyncio").Event()
    real = h.adapter.loop

    class SlowLoop:
        async def handle(self, msg, *, progress=None, before_commit=None):
            await gate.wait()
            return await real.handle(msg, progress=progress, before_commit=before_commit)

    h.adapter.loop = SlowLoop()
    answer = await rep.send_text(NOTE)
    assert (answer.status, answer.text) == (200, "") and answer.seconds < 5
    assert h.wecom.messages(WC[1]) == []
    gate.set()
    await h.settled()
    [card] = h.wecom.messages(WC[1])
    assert card.msgtype == "template_card"
