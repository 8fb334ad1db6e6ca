"""A fake Feishu open platform on loopback, for running the real Feishu adapter end to end.

Two halves, like the real thing:

- the API the bot calls (`base_url`): tenant_access_token/internal (tokens expire when
  `expire_tokens()` says so, and are then refused with code 99991663 as Feishu does), bot/v3/info,
  im/v1/messages (send: text, interactive, image; PATCH: update a card), im/v1/images (upload),
  im/v1/messages/{id}/resources/{key} (download);
- the long connection (`transport = "websocket"`): POST /callback/ws/endpoint hands out a ws://
  URL for the app id and secret; events then travel as protobuf frames (lark-oapi's pbbp2 Frame,
  headers type/message_id/sum/seq/trace_id, the event JSON as payload) and each is answered by a
  frame whose payload is {"code": 200, ...};
- the event sender (`events_url`, set once the bot listens): im.message.receive_v1 and
  card.action.trigger in the v2 schema, each AES-256-CBC encrypted with the encrypt key (key =
  sha256(encrypt key), iv first, base64) and signed with X-Lark-Signature = sha256(timestamp +
  nonce + encrypt key + body), and the URL-verification challenge (encrypted, unsigned).

Test-side controls play the users: `user(open_id, name)` makes a `FakeUser` who sends text, voice,
images and presses card buttons in their one-on-one chat or a group; `bot_messages(chat_id)`
reads what the bot sent there (messages sent to an open_id land in that user's one-on-one chat),
`calls` records every API call.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web
from Crypto.Cipher import AES

TOKEN_INVALID = 99991663


def encrypt(encrypt_key: str, plaintext: str) -> str:
    key = hashlib.sha256(encrypt_key.encode()).digest()
    iv = os.urandom(16)
    data = plaintext.encode()
    pad = 16 - len(data) % 16
    cipher = AES.new(key, AES.MODE_CBC, iv)
    return base64.b64encode(iv + cipher.encrypt(data + bytes([pad]) * pad)).decode()


def signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode() + body).hexdigest()


@dataclass
class ApiCall:
    method: str
    path: str
    status: int
    code: int | None
    at: float


@dataclass
class SentMessage:
    message_id: str
    chat_id: str
    msg_type: str
    content: dict
    at: float
    updated_at: float | None = None
    history: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The message's words: a text's text, a card's plain_text elements (not its buttons)."""
        if self.msg_type == "text":
            return self.content.get("text", "")
        if self.msg_type == "interactive":
            return "\n".join(e["text"]["content"] for e in self.content["body"]["elements"]
                             if e.get("tag") == "div")
        return ""

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(choice id, label) of the card's buttons."""
        if self.msg_type != "interactive":
            return []
        from bot.adapters.feishu.render import card_buttons

        return card_buttons(self.content)

    @property
    def choices(self) -> list[str]:
        return [choice for choice, _ in self.buttons]


class FakeUser:
    def __init__(self, server: FakeFeishu, open_id: str, name: str) -> None:
        self.server, self.open_id, self.name = server, open_id, name

    @property
    def p2p_chat(self) -> str:
        return self.server.p2p_chat(self.open_id)

    async def send(self, text: str, *, chat: str | None = None, mention_bot: bool = False,
                   event_id: str | None = None) -> tuple[int, dict]:
        mentions = []
        if mention_bot:
            text = "@_user_1 " + text
            mentions = [{"key": "@_user_1", "id": {"open_id": self.server.bot_open_id}, "name": "Salesbot"}]
        return await self._message("text", {"text": text}, chat=chat, mentions=mentions, event_id=event_id)

    async def send_voice(self, data: bytes, *, duration_ms: int = 3000) -> tuple[int, dict]:
        key = self.server.store_resource(data, "audio/ogg")
        return await self._message("audio", {"file_key": key, "duration": duration_ms})

    async def send_image(self, data: bytes, content_type: str = "image/png") -> tuple[int, dict]:
        key = self.server.store_resource(data, content_type)
        return await self._message("image", {"image_key": key})

    async def press(self, message: SentMessage, choice: str, *, event_id: str | None = None) -> tuple[int, dict]:
        event = {"operator": {"open_id": self.open_id, "tenant_key": "tenant"}, "token": f"c-{event_id or 'x'}",
                 "action": {"value": {"choice": choice}, "tag": "button"}, "host": "im_message",
                 "context": {"open_message_id": message.message_id, "open_chat_id": message.chat_id}}
        return await self.server.post_event("card.action.trigger", event, event_id=event_id)

    async def _message(self, msg_type: str, content: dict, *, chat: str | None = None,
                       mentions: list | None = None, event_id: str | None = None) -> tuple[int, dict]:
        message_id = self.server.next_id("om_")
        chat_id = chat or self.p2p_chat
        self.server.resource_owner.update(dict.fromkeys(_resource_keys(content), message_id))
        event = {"sender": {"sender_id": {"open_id": self.open_id, "union_id": "on_" + self.open_id[3:],
                                          "user_id": self.open_id[3:]},
                            "sender_type": "user", "tenant_key": "tenant"},
                 "message": {"message_id": message_id, "chat_id": chat_id,
                             "chat_type": "p2p" if chat_id == self.p2p_chat else "group",
                             "message_type": msg_type, "content": json.dumps(content, ensure_ascii=False),
                             "create_time": str(int(time.time() * 1000)), "mentions": mentions or []}}
        return await self.server.post_event("im.message.receive_v1", event, event_id=event_id)


def _resource_keys(node) -> list[str]:
    """The image_key / file_key values anywhere in a message's content."""
    if isinstance(node, dict):
        own = [v for k, v in node.items() if k in ("image_key", "file_key") and isinstance(v, str)]
        return own + [key for v in node.values() for key in _resource_keys(v)]
    if isinstance(node, list):
        return [key for v in node for key in _resource_keys(v)]
    return []


class FakeFeishu:
    def __init__(self, *, app_id: str = "cli_fake_app", app_secret: str = "fake-secret",
                 verification_token: str = "fake-verification-token",
                 encrypt_key: str = "fake-encrypt-key", bot_open_id: str = "ou_bot") -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self.verification_token, self.encrypt_key = verification_token, encrypt_key
        self.bot_open_id = bot_open_id
        self.events_url: str | None = None
        self.transport = "webhook"  # or "websocket": events go over the long connection
        self._socket: web.WebSocketResponse | None = None
        self.socket_connected = asyncio.Event()
        self._frame_answers: dict[str, asyncio.Future] = {}
        self.tokens: dict[str, bool] = {}
        self.messages: list[SentMessage] = []
        self._by_chat: dict[str, list[SentMessage]] = {}
        self._changed = asyncio.Event()
        self.resources: dict[str, tuple[bytes, str]] = {}
        self.resource_owner: dict[str, str] = {}
        self.images: dict[str, bytes] = {}
        self.calls: list[ApiCall] = []
        self.delivered: list[dict] = []  # every event posted to the bot, in plaintext
        self._ids = itertools.count(1)
        self._limited = 0
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self.base_url = ""

    # --- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> FakeFeishu:
        app = web.Application(client_max_size=30 * 1024 * 1024)
        app.router.add_post("/open-apis/auth/v3/tenant_access_token/internal", self._token)
        app.router.add_get("/open-apis/bot/v3/info", self._bot_info)
        app.router.add_post("/open-apis/im/v1/messages", self._send)
        app.router.add_patch("/open-apis/im/v1/messages/{message_id}", self._patch)
        app.router.add_post("/open-apis/im/v1/images", self._upload)
        app.router.add_get("/open-apis/im/v1/messages/{message_id}/resources/{key}", self._resource)
        app.router.add_post("/callback/ws/endpoint", self._ws_endpoint)
        app.router.add_get("/ws", self._ws)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._client = ClientSession(timeout=ClientTimeout(total=30))
        return self

    async def __aexit__(self, *exc) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test-side controls ----------------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def user(self, open_id: str, name: str) -> FakeUser:
        return FakeUser(self, open_id, name)

    @staticmethod
    def p2p_chat(open_id: str) -> str:
        return "oc_p2p_" + open_id

    def store_resource(self, data: bytes, content_type: str) -> str:
        key = self.next_id("img_" if content_type.startswith("image/") else "file_")
        self.resources[key] = (data, content_type)
        return key

    def rate_limit_next(self, calls: int) -> None:
        """The next `calls` API calls (other than the token) are refused as over the rate limit."""
        self._limited = calls

    def expire_tokens(self) -> None:
        """Every token issued so far stops working (what an expiry or a secret reset does)."""
        self.tokens = dict.fromkeys(self.tokens, False)

    def bot_messages(self, chat_id: str) -> list[SentMessage]:
        return list(self._by_chat.get(chat_id, ()))

    def calls_to(self, method: str, path_start: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method and c.path.startswith(path_start)]

    async def post_event(self, event_type: str, event: dict, *, event_id: str | None = None,
                         forge: bool = False, token: str | None = None) -> tuple[int, dict]:
        """Post one v2 event to the bot as Feishu does; the status and the JSON answer."""
        payload = {"schema": "2.0",
                   "header": {"event_id": event_id or self.next_id("ev_"), "event_type": event_type,
                              "token": token or self.verification_token, "app_id": self.app_id,
                              "tenant_key": "tenant", "create_time": str(int(time.time() * 1000))},
                   "event": event}
        self.delivered.append(payload)
        if self.transport == "websocket":
            return await self.push_frame(json.dumps(payload, ensure_ascii=False))
        return await self.post_raw(json.dumps(payload, ensure_ascii=False), forge=forge)

    async def post_raw(self, plaintext: str, *, sign: bool = True, forge: bool = False) -> tuple[int, dict]:
        assert self.events_url and self._client is not None, "set events_url once the bot listens"
        body = json.dumps({"encrypt": encrypt(self.encrypt_key, plaintext)}).encode()
        headers = {"Content-Type": "application/json"}
        if sign:
            timestamp, nonce = str(int(time.time())), base64.b16encode(os.urandom(8)).decode()
            key = "not-the-key" if forge else self.encrypt_key
            headers |= {"X-Lark-Request-Timestamp": timestamp, "X-Lark-Request-Nonce": nonce,
                        "X-Lark-Signature": signature(timestamp, nonce, key, body)}
        async with self._client.post(self.events_url, data=body, headers=headers) as response:
            try:
                answer = await response.json(content_type=None)
            except ValueError:
                answer = {}
            return response.status, answer or {}

    async def push_frame(self, plaintext: str) -> tuple[int, dict]:
        """Send one event over the long connection; the code and data of the bot's answer frame."""
        from lark_oapi.ws.pb.pbbp2_pb2 import Frame

        await asyncio.wait_for(self.socket_connected.wait(), 30)
        assert self._socket is not None
        message_id = self.next_id("ws_")
        frame = Frame(SeqID=int(message_id[3:]), LogID=0, service=7, method=1, payload=plaintext.encode())
        for key, value in (("type", "event"), ("message_id", message_id), ("sum", "1"), ("seq", "0"),
                           ("trace_id", message_id)):
            header = frame.headers.add()
            header.key, header.value = key, value
        answer = self._frame_answers[message_id] = asyncio.get_running_loop().create_future()
        await self._socket.send_bytes(frame.SerializeToString())
        body = await asyncio.wait_for(answer, 30)
        data = json.loads(base64.b64decode(body["data"])) if body.get("data") else {}
        return body.get("code"), data

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """`predicate()`'s first true value, checked again each time the bot sends or updates."""
        deadline = time.monotonic() + timeout
        while True:
            self._changed.clear()
            result = predicate()
            if result:
                return result
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("condition not met in time")
            try:
                await asyncio.wait_for(self._changed.wait(), min(left, 0.5))
            except asyncio.TimeoutError:
                pass

    # --- the API ---------------------------------------------------------------------------

    def _record(self, request: web.Request, status: int, code: int | None) -> None:
        self.calls.append(ApiCall(request.method, request.path, status, code, time.monotonic()))

    def _reply(self, request: web.Request, body: dict, status: int = 200) -> web.Response:
        self._record(request, status, body.get("code"))
        return web.json_response(body, status=status)

    def _authorized(self, request: web.Request) -> bool:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self._limited:
            return False
        return self.tokens.get(token, False)

    def _refused(self, request: web.Request) -> web.Response:
        if self._limited:
            self._limited -= 1
            self._record(request, 429, 99991400)
            return web.json_response({"code": 99991400, "msg": "request trigger frequency limit"}, status=429,
                                     headers={"x-ogw-ratelimit-limit": "5", "x-ogw-ratelimit-reset": "0.05"})
        return self._reply(request, {"code": TOKEN_INVALID, "msg": "Invalid access token for authorization. "
                                     "Please make a request with token attached."}, status=400)

    async def _token(self, request: web.Request) -> web.Response:
        body = await request.json()
        if (body.get("app_id"), body.get("app_secret")) != (self.app_id, self.app_secret):
            return self._reply(request, {"code": 10014, "msg": "app secret invalid"}, status=400)
        token = self.next_id("t-")
        self.tokens[token] = True
        return self._reply(request, {"code": 0, "msg": "ok", "tenant_access_token": token, "expire": 7200})

    async def _bot_info(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._refused(request)
        return self._reply(request, {"code": 0, "msg": "ok", "bot": {"open_id": self.bot_open_id,
                                                                     "app_name": "Salesbot"}})

    async def _send(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._refused(request)
        body = await request.json()
        id_type = request.query.get("receive_id_type")
        receive_id, msg_type = body.get("receive_id", ""), body.get("msg_type")
        if id_type not in ("open_id", "chat_id") or not receive_id or msg_type not in ("text", "interactive",
                                                                                          "image"):
            return self._reply(request, {"code": 230001, "msg": "invalid parameter"}, status=400)
        content = json.loads(body.get("content") or "{}")
        if msg_type == "image" and content.get("image_key") not in self.images:
            return self._reply(request, {"code": 230001, "msg": "image_key not found"}, status=400)
        if msg_type == "interactive" and content.get("schema") != "2.0":
            return self._reply(request, {"code": 230099, "msg": "card schema"}, status=400)
        chat_id = self.p2p_chat(receive_id) if id_type == "open_id" else receive_id
        message = SentMessage(self.next_id("om_bot_"), chat_id, msg_type, content, time.monotonic())
        self.messages.append(message)
        self._by_chat.setdefault(chat_id, []).append(message)
        self._changed.set()
        return self._reply(request, {"code": 0, "msg": "success",
                                     "data": {"message_id": message.message_id, "chat_id": chat_id}})

    async def _patch(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._refused(request)
        message = next((m for m in self.messages if m.message_id == request.match_info["message_id"]), None)
        if message is None or message.msg_type != "interactive":
            return self._reply(request, {"code": 230002, "msg": "message not found"}, status=400)
        body = await request.json()
        message.history.append(message.content)
        message.content = json.loads(body["content"])
        message.updated_at = time.monotonic()
        self._changed.set()
        return self._reply(request, {"code": 0, "msg": "success", "data": {}})

    async def _upload(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._refused(request)
        form = await request.post()
        image = form.get("image")
        if form.get("image_type") != "message" or image is None or not hasattr(image, "file"):
            return self._reply(request, {"code": 234001, "msg": "invalid request param"}, status=400)
        key = self.next_id("img_bot_")
        self.images[key] = image.file.read()
        return self._reply(request, {"code": 0, "msg": "success", "data": {"image_key": key}})

    async def _ws_endpoint(self, request: web.Request) -> web.Response:
        body = await request.json()
        if (body.get("AppID"), body.get("AppSecret")) != (self.app_id, self.app_secret):
            return self._reply(request, {"code": 514, "msg": "auth failed"})
        url = self.base_url.replace("http://", "ws://") + "/ws?device_id=fake-device&service_id=7"
        return self._reply(request, {"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": {
            "ReconnectCount": 0, "ReconnectInterval": 1, "ReconnectNonce": 0, "PingInterval": 120}}})

    async def _ws(self, request: web.Request) -> web.WebSocketResponse:
        from lark_oapi.ws.pb.pbbp2_pb2 import Frame

        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        self.socket_connected.set()
        async for message in socket:
            if message.type != web.WSMsgType.BINARY:
                continue
            frame = Frame()
            frame.ParseFromString(message.data)
            headers = {h.key: h.value for h in frame.headers}
            waiting = self._frame_answers.pop(headers.get("message_id", ""), None)
            if frame.method == 1 and waiting is not None and not waiting.done():
                waiting.set_result(json.loads(frame.payload or b"{}"))
        self._socket = None
        self.socket_connected.clear()
        return socket

    async def _resource(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return self._refused(request)
        key, message_id = request.match_info["key"], request.match_info["message_id"]
        if key not in self.resources or self.resource_owner.get(key) != message_id:
            return self._reply(request, {"code": 234003, "msg": "File not in msg."}, status=400)
        if request.query.get("type") not in ("image", "file"):
            return self._reply(request, {"code": 234001, "msg": "invalid type"}, status=400)
        data, content_type = self.resources[key]
        self._record(request, 200, None)
        return web.Response(body=data, content_type=content_type)
