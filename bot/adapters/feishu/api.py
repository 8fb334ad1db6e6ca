"""The open-platform calls the adapter makes, over one pooled async HTTP client.

    tenant_access_token   POST /open-apis/auth/v3/tenant_access_token/internal, cached until
                          five minutes before it expires; a call answered "token invalid"
                          (expired early, revoked, app secret reset) fetches a new one and is
                          retried once; a call refused as over the rate limit
                          (429 / 99991400) waits as told and is retried, up to 3 times
    bot identity          GET  /open-apis/bot/v3/info (the bot's open_id: @mentions of it)
    send                  POST /open-apis/im/v1/messages?receive_id_type=chat_id|open_id
    update a card         PATCH /open-apis/im/v1/messages/{message_id}
    upload an image       POST /open-apis/im/v1/images (image_type=message) → image_key
    download a resource   GET  /open-apis/im/v1/messages/{message_id}/resources/{key}?type=image|file

lark-oapi's own client is not used for these: its async calls fetch the token with a blocking
request inside the event loop and open a new connection per call. Its event dispatcher (decryption,
signature, verification token) is used, in adapter.py.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass

import httpx

log = logging.getLogger("salesbot.feishu")

# "Invalid access token", "access token expired", "tenant access token invalid/missing"
TOKEN_INVALID = frozenset({99991661, 99991663, 99991664, 99991665, 99991668, 99991677})
TOKEN_MARGIN_S = 300
RATE_LIMITED = 99991400  # "request trigger frequency limit"
RATE_LIMIT_RETRIES = 3


class FeishuApiError(RuntimeError):
    def __init__(self, what: str, code: int | None, msg: str, status: int | None = None) -> None:
        super().__init__(f"{what}: code {code} {msg}".strip())
        self.code, self.msg, self.status = code, msg, status


class ResourceTooLarge(FeishuApiError):
    def __init__(self, size: int) -> None:
        super().__init__("download", None, f"{size} bytes")
        self.size = size


@dataclass(frozen=True)
class BotInfo:
    open_id: str
    name: str


class FeishuApi:
    def __init__(self, app_id: str, app_secret: str, base_url: str, *, timeout_s: float = 20.0,
                 clock=time.monotonic) -> None:
        self.app_id, self._secret = app_id, app_secret
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout_s,
                                       limits=httpx.Limits(max_connections=64, max_keepalive_connections=32))
        self._clock = clock
        self._token: str | None = None
        self._token_until = 0.0
        self._token_lock = asyncio.Lock()

    async def close(self) -> None:
        await self._http.aclose()

    # --- the token -----------------------------------------------------------------------

    async def token(self, *, renew_if: str | None = None) -> str:
        """The cached tenant_access_token; a new one when it is about to expire or when
        `renew_if` (the token a call was refused with) is still the cached one."""
        async with self._token_lock:
            stale = renew_if is not None and renew_if == self._token
            if self._token is None or stale or self._clock() >= self._token_until:
                response = await self._http.post("/open-apis/auth/v3/tenant_access_token/internal",
                                                 json={"app_id": self.app_id, "app_secret": self._secret})
                body = _json(response)
                if body.get("code") != 0 or not body.get("tenant_access_token"):
                    raise FeishuApiError("tenant_access_token", body.get("code"), str(body.get("msg", "")),
                                         response.status_code)
                self._token = body["tenant_access_token"]
                self._token_until = self._clock() + max(int(body.get("expire", 7200)) - TOKEN_MARGIN_S, 60)
                log.info("feishu tenant token renewed" if stale else "feishu tenant token fetched")
            return self._token

    async def _call(self, method: str, path: str, what: str, **kwargs) -> httpx.Response:
        """One authorized call; retried once with a new token when the token was refused, and up
        to RATE_LIMIT_RETRIES times, after the wait Feishu names, when it was rate limited."""
        token = await self.token()
        renewed, limited = False, 0
        while True:
            response = await self._http.request(method, path, headers={"Authorization": f"Bearer {token}"},
                                                **kwargs)
            code = _json(response).get("code") if _is_json(response) else None
            if code in TOKEN_INVALID and not renewed:
                log.info("feishu token refused; renewing", extra={"code": code, "call": what})
                token, renewed = await self.token(renew_if=token), True
                continue
            if (response.status_code == 429 or code == RATE_LIMITED) and limited < RATE_LIMIT_RETRIES:
                limited += 1
                wait = _reset_after(response, default=float(limited))
                log.info("feishu rate limit; waiting", extra={"call": what, "wait_s": wait})
                await asyncio.sleep(wait)
                continue
            return response

    async def _json_call(self, method: str, path: str, what: str, **kwargs) -> dict:
        response = await self._call(method, path, what, **kwargs)
        body = _json(response)
        if body.get("code") != 0:
            raise FeishuApiError(what, body.get("code"), str(body.get("msg", "")), response.status_code)
        return body.get("data") or body

    # --- calls ---------------------------------------------------------------------------

    async def bot_info(self) -> BotInfo:
        body = await self._json_call("GET", "/open-apis/bot/v3/info", "bot info")
        bot = body.get("bot") or {}
        return BotInfo(open_id=bot.get("open_id", ""), name=bot.get("app_name", ""))

    async def send(self, receive_id: str, msg_type: str, content: dict) -> str:
        """Send one message to a chat (oc_...) or a user (ou_...); its message_id."""
        id_type = "open_id" if receive_id.startswith("ou_") else "chat_id"
        data = await self._json_call(
            "POST", "/open-apis/im/v1/messages", f"send {msg_type}", params={"receive_id_type": id_type},
            json={"receive_id": receive_id, "msg_type": msg_type,
                  "content": json.dumps(content, ensure_ascii=False)})
        return data.get("message_id", "")

    async def update_card(self, message_id: str, card: dict) -> None:
        await self._json_call("PATCH", f"/open-apis/im/v1/messages/{message_id}", "update card",
                              json={"content": json.dumps(card, ensure_ascii=False)})

    async def upload_image(self, png: bytes, name: str = "chart.png") -> str:
        data = await self._json_call("POST", "/open-apis/im/v1/images", "upload image",
                                     data={"image_type": "message"}, files={"image": (name, png, "image/png")})
        return data["image_key"]

    async def download(self, message_id: str, key: str, kind: str, *, max_bytes: int) -> tuple[bytes, str]:
        """A message's image or file (audio is a file) and its content type; `ResourceTooLarge`
        past `max_bytes`, read no further than that."""
        token = await self.token()
        for attempt in (1, 2):
            async with self._http.stream("GET", f"/open-apis/im/v1/messages/{message_id}/resources/{key}",
                                         params={"type": kind},
                                         headers={"Authorization": f"Bearer {token}"}) as response:
                content_type = response.headers.get("content-type", "")
                if content_type.startswith("application/json"):
                    body = json.loads(await response.aread() or b"{}")
                    if body.get("code") in TOKEN_INVALID and attempt == 1:
                        token = await self.token(renew_if=token)
                        continue
                    raise FeishuApiError("download", body.get("code"), str(body.get("msg", "")),
                                         response.status_code)
                if response.status_code != 200:
                    raise FeishuApiError("download", None, "", response.status_code)
                declared = int(response.headers.get("content-length") or 0)
                if declared > max_bytes:
                    raise ResourceTooLarge(declared)
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise ResourceTooLarge(size)
                    chunks.append(chunk)
                return b"".join(chunks), content_type.split(";")[0].strip()
        raise FeishuApiError("download", None, "token refused twice")


def _is_json(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("application/json")


def _reset_after(response: httpx.Response, *, default: float) -> float:
    """Seconds until the limit resets (x-ogw-ratelimit-reset), within 0.05–10 s."""
    try:
        return min(max(float(response.headers.get("x-ogw-ratelimit-reset", default)), 0.05), 10.0)
    except ValueError:
        return default


def _json(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {"code": None, "msg": f"HTTP {response.status_code}, not JSON"}
    return body if isinstance(body, dict) else {"code": None, "msg": "unexpected JSON"}
