"""A fake WeCom server on loopback: the server API the bot calls, and members who post signed,
AES-encrypted callbacks to the bot's callback URL, as WeCom does.

The API side (`/cgi-bin/...`): gettoken (tokens expire, or are revoked with `expire_tokens()`;
a stale token is answered 42001, an unknown one 40014), message/send (text, markdown, image,
template_card; answers msgid), message/update_template_card (once per ResponseCode),
media/upload (multipart `media`), media/get (the bytes members sent, with a Content-Type; errcode
40007 for an unknown id), user/get (the directory). Every call is recorded in `calls`.

The callback side is written from WeCom's documentation with `cryptography`, independently of
wechatpy (which the bot uses): random(16) + length(4, big-endian) + XML + corp id, PKCS#7 to 32
bytes, AES-256-CBC with the key's first 16 bytes as IV, base64; msg_signature = SHA-1 of the
sorted token, timestamp, nonce and ciphertext.

    async with FakeWeCom() as wecom:
        adapter = WeComAdapter(loop, wecom.config(port=0))
        await adapter.start(); wecom.callback_url = adapter.callback_url
        rep = wecom.member("wanglei", "王磊")
        await rep.send_text("今天拜访了蓝鲸李总")
        [card] = await wecom.wait_for_messages("wanglei", 1)
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import os
import secrets
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

CORP_ID = "wwfakecorp0000001"
AGENT_ID = 1000002
SECRET = "fake-app-secret-for-tests-only"
TOKEN = "FakeCallbackToken"
AES_KEY = base64.b64encode(bytes(range(32))).decode().rstrip("=")  # 43 characters, like WeCom's


def encrypt(plain: str, key43: str = AES_KEY, corp_id: str = CORP_ID) -> str:
    key = base64.b64decode(key43 + "=")
    data = os.urandom(16) + struct.pack(">I", len(plain.encode())) + plain.encode() + corp_id.encode()
    pad = 32 - len(data) % 32
    data += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def cdata(value: Any) -> str:
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class ApiCall:
    path: str
    params: dict[str, str]
    body: Any
    answer: dict
    at: float


@dataclass
class Callback:
    """One callback the fake posted to the bot, and the bot's answer."""

    xml: str
    status: int
    text: str
    seconds: float


@dataclass
class Sent:
    """A message the bot sent to a member."""

    msgid: str
    msgtype: str
    content: dict
    at: float
    image: bytes | None = None
    decided: str | None = None  # a card's replace_name after update_template_card

    @property
    def text(self) -> str:
        if self.msgtype in ("text", "markdown"):
            return self.content["content"]
        if self.msgtype == "template_card":
            return "\n".join(p for p in (self.content["main_title"]["title"], self.content.get("sub_title_text"))
                             if p)
        return ""

    def button(self, action: str) -> str:
        """The key of the card's button whose key ends with `:action`."""
        for b in self.content.get("button_list", []):
            if b["key"].endswith(":" + action):
                return b["key"]
        raise AssertionError(f"no {action} button in {self.content}")


class Member:
    """A WeCom member using the app: each action posts one encrypted callback to the bot."""

    def __init__(self, wecom: FakeWeCom, user_id: str, name: str) -> None:
        self.wecom, self.user_id, self.name = wecom, user_id, name

    async def send_text(self, text: str) -> Callback:
        return await self.wecom.post(self._message("text", f"<Content>{cdata(text)}</Content>"))

    async def send_voice(self, data: bytes, *, fmt: str = "amr") -> Callback:
        media_id = self.wecom.store_media(data, "audio/amr", f"voice.{fmt}")
        return await self.wecom.post(self._message(
            "voice", f"<MediaId>{cdata(media_id)}</MediaId><Format>{cdata(fmt)}</Format>"))

    async def send_image(self, data: bytes, mime: str = "image/jpeg") -> Callback:
        media_id = self.wecom.store_media(data, mime, "photo.jpg")
        return await self.wecom.post(self._message(
            "image", f"<PicUrl>{cdata('http://127.0.0.1/pic')}</PicUrl><MediaId>{cdata(media_id)}</MediaId>"))

    async def send_location(self) -> Callback:
        return await self.wecom.post(self._message(
            "location", "<Location_X>31.2</Location_X><Location_Y>121.4</Location_Y><Scale>15</Scale>"))

    async def press(self, card: Sent, key: str) -> Callback:
        code = secrets.token_hex(16)
        self.wecom.response_codes[code] = (self.user_id, card.msgid)
        return await self.wecom.post(self._event(
            "template_card_event",
            f"<EventKey>{cdata(key)}</EventKey><TaskId>{cdata(card.content['task_id'])}</TaskId>"
            f"<CardType>{cdata('button_interaction')}</CardType><ResponseCode>{cdata(code)}</ResponseCode>"))

    async def enter(self) -> Callback:
        return await self.wecom.post(self._event("enter_agent", f"<EventKey>{cdata('')}</EventKey>"))

    def _message(self, msgtype: str, fields: str) -> str:
        return (f"<xml><ToUserName>{cdata(CORP_ID)}</ToUserName><FromUserName>{cdata(self.user_id)}</FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType>{cdata(msgtype)}</MsgType>{fields}"
                f"<MsgId>{next(self.wecom.msg_ids)}</MsgId><AgentID>{self.wecom.agent_id}</AgentID></xml>")

    def _event(self, event: str, fields: str) -> str:
        return (f"<xml><ToUserName>{cdata(CORP_ID)}</ToUserName><FromUserName>{cdata(self.user_id)}</FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType>{cdata('event')}</MsgType>"
                f"<Event>{cdata(event)}</Event>{fields}<AgentID>{self.wecom.agent_id}</AgentID></xml>")


class FakeWeCom:
    def __init__(self, *, corp_id: str = CORP_ID, agent_id: int = AGENT_ID, secret: str = SECRET,
                 token: str = TOKEN, aes_key: str = AES_KEY, token_ttl_s: int = 7200) -> None:
        self.corp_id, self.agent_id, self.secret = corp_id, agent_id, secret
        self.token, self.aes_key, self.token_ttl_s = token, aes_key, token_ttl_s
        self.callback_url: str | None = None
        self.calls: list[ApiCall] = []
        self.callbacks: list[Callback] = []
        self.sent: dict[str, list[Sent]] = {}
        self.tokens: dict[str, float] = {}  # token → expires at
        self.revoked: set[str] = set()
        self.media: dict[str, tuple[bytes, str, str]] = {}
        self.uploads: dict[str, bytes] = {}
        self.response_codes: dict[str, tuple[str, str]] = {}  # code → (member, card msgid)
        self.directory: dict[str, dict] = {}
        self.msg_ids = itertools.count(7_000_000_000_000_000_001)
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self.base_url = ""

    async def __aenter__(self) -> FakeWeCom:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/cgi-bin/{path:.+}", self._api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._client = ClientSession()
        return self

    async def __aexit__(self, *exc) -> None:
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test-side controls ----------------------------------------------------------------

    def member(self, user_id: str, name: str) -> Member:
        self.directory.setdefault(user_id, {"userid": user_id, "name": name})
        return Member(self, user_id, name)

    def store_media(self, data: bytes, mime: str, name: str) -> str:
        media_id = f"media-{next(self._ids)}-{secrets.token_hex(8)}"
        self.media[media_id] = (data, mime, name)
        return media_id

    def expire_tokens(self) -> None:
        """Every token handed out so far stops working (as after 7200 s, or a new secret)."""
        self.revoked.update(self.tokens)

    def messages(self, user_id: str) -> list[Sent]:
        return list(self.sent.get(user_id, []))

    def calls_of(self, path: str) -> list[ApiCall]:
        return [c for c in self.calls if c.path == path]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("timed out waiting for the bot")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))
            except asyncio.TimeoutError:
                pass

    def _notify(self) -> None:
        self._changed.set()

    # --- posting callbacks -------------------------------------------------------------------

    def signed_query(self, encrypted: str, *, timestamp: int | None = None, token: str | None = None) -> dict:
        ts, nonce = str(timestamp if timestamp is not None else int(time.time())), secrets.token_hex(5)
        return {"msg_signature": signature(token or self.token, ts, nonce, encrypted), "timestamp": ts,
                "nonce": nonce}

    def envelope(self, encrypted: str) -> str:
        return (f"<xml><ToUserName>{cdata(self.corp_id)}</ToUserName><AgentID>{cdata(self.agent_id)}</AgentID>"
                f"<Encrypt>{cdata(encrypted)}</Encrypt></xml>")

    async def post(self, xml: str, *, query: dict | None = None, encrypted: str | None = None) -> Callback:
        """POST one callback as WeCom does; `query`/`encrypted` override the signed request."""
        assert self.callback_url, "set callback_url to the adapter's"
        assert self._client is not None
        encrypted = encrypted or encrypt(xml, self.aes_key, self.corp_id)
        started = time.monotonic()
        async with self._client.post(self.callback_url, params=query or self.signed_query(encrypted),
                                     data=self.envelope(encrypted).encode(),
                                     headers={"Content-Type": "text/xml"}) as resp:
            done = Callback(xml, resp.status, await resp.text(), time.monotonic() - started)
        self.callbacks.append(done)
        return done

    async def verify_url(self, *, token: str | None = None) -> tuple[int, str, str]:
        """The GET WeCom sends when an admin saves the URL: (status, body, the expected echo)."""
        assert self._client is not None
        echo = secrets.token_hex(8)
        encrypted = encrypt(echo, self.aes_key, self.corp_id)
        query = {**self.signed_query(encrypted, token=token), "echostr": encrypted}
        async with self._client.get(self.callback_url, params=query) as resp:
            return resp.status, await resp.text(), echo

    # --- the server API ----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        params = dict(request.query)
        body: Any = None
        if request.method == "POST":
            if request.content_type.startswith("multipart/"):
                body = {}
                async for part in await request.multipart():
                    body[part.name] = (part.filename, await part.read())
            else:
                body = json.loads(await request.read() or b"{}")
        handler = getattr(self, "a_" + path.replace("/", "_"), None)
        if handler is None:
            answer = {"errcode": 404, "errmsg": f"unknown api {path}"}
        elif path != "gettoken" and (error := self._token_error(params.get("access_token"))):
            answer = error
        else:
            answer = await handler(params, body)
        if isinstance(answer, web.Response):
            self.calls.append(ApiCall(path, params, body, {"errcode": 0}, time.monotonic()))
            self._notify()
            return answer
        self.calls.append(ApiCall(path, params, body, answer, time.monotonic()))
        self._notify()
        return web.json_response(answer)

    def _token_error(self, token: str | None) -> dict | None:
        if not token or token not in self.tokens:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if token in self.revoked or time.monotonic() > self.tokens[token]:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None

    async def a_gettoken(self, params: dict, body: Any) -> dict:
        if params.get("corpid") != self.corp_id:
            return {"errcode": 40013, "errmsg": "invalid corpid"}
        if params.get("corpsecret") != self.secret:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        token = "tok-" + secrets.token_hex(12)
        self.tokens[token] = time.monotonic() + self.token_ttl_s
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": self.token_ttl_s}

    async def a_message_send(self, params: dict, body: dict) -> dict:
        if body.get("agentid") != self.agent_id:
            return {"errcode": 40056, "errmsg": "invalid agentid"}
        msgtype = body.get("msgtype")
        content = body.get(msgtype)
        if msgtype not in ("text", "markdown", "image", "template_card") or not isinstance(content, dict):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        if msgtype in ("text", "markdown") and len(content.get("content", "").encode()) > 2048:
            return {"errcode": 44004, "errmsg": "text content exceeds 2048 bytes"}
        image = None
        if msgtype == "image":
            image = self.uploads.get(content.get("media_id", ""))
            if image is None:
                return {"errcode": 40007, "errmsg": "invalid media_id"}
        if msgtype == "template_card":
            error = _card_error(content)
            if error:
                return {"errcode": 40058, "errmsg": error}
        user = body.get("touser", "")
        msgid = f"msg-{next(self._ids)}"
        self.sent.setdefault(user, []).append(Sent(msgid, msgtype, content, time.monotonic(), image=image))
        return {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": msgid}

    async def a_message_update_template_card(self, params: dict, body: dict) -> dict:
        code = body.get("response_code", "")
        target = self.response_codes.pop(code, None)
        if target is None:
            return {"errcode": 40029, "errmsg": "invalid response_code"}
        user, msgid = target
        if body.get("userids") != [user] or body.get("agentid") != self.agent_id:
            return {"errcode": 40003, "errmsg": "invalid userid"}
        name = (body.get("button") or {}).get("replace_name")
        if not name:
            return {"errcode": 40058, "errmsg": "button.replace_name missing"}
        card = next(m for m in self.sent[user] if m.msgid == msgid)
        card.decided = name
        return {"errcode": 0, "errmsg": "ok"}

    async def a_media_upload(self, params: dict, body: dict) -> dict:
        if params.get("type") != "image" or not body or "media" not in body:
            return {"errcode": 40004, "errmsg": "invalid media"}
        _, data = body["media"]
        if not data.startswith(b"\x89PNG") and not data.startswith(b"\xff\xd8"):
            return {"errcode": 40005, "errmsg": "invalid file type"}
        media_id = f"up-{next(self._ids)}"
        self.uploads[media_id] = data
        return {"errcode": 0, "errmsg": "ok", "type": "image", "media_id": media_id,
                "created_at": str(int(time.time()))}

    async def a_media_get(self, params: dict, body: Any):
        found = self.media.get(params.get("media_id", ""))
        if found is None:
            return {"errcode": 40007, "errmsg": "invalid media_id"}
        data, mime, name = found
        return web.Response(body=data, content_type=mime,
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def a_user_get(self, params: dict, body: Any) -> dict:
        entry = self.directory.get(params.get("userid", ""))
        if entry is None:
            return {"errcode": 60111, "errmsg": "userid not found"}
        return {"errcode": 0, "errmsg": "ok", **entry}


def _card_error(card: dict) -> str | None:
    if card.get("card_type") != "button_interaction":
        return "card_type"
    if not card.get("task_id") or len(card["task_id"]) > 128:
        return "task_id"
    if not card.get("main_title", {}).get("title") or len(card["main_title"]["title"]) > 36:
        return "main_title.title"
    if len(card.get("sub_title_text", "")) > 112:
        return "sub_title_text"
    buttons = card.get("button_list") or []
    if not 1 <= len(buttons) <= 6 or any(not b.get("key") or len(b.get("text", "")) > 10 for b in buttons):
        return "button_list"
    return None
