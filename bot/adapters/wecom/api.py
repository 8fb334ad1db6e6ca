"""The WeCom server API, as much of it as the bot uses (aiohttp).

    gettoken                         access_token, cached until shortly before it expires
    message/send                     text, markdown, image, template_card
    message/update_template_card     show the decision on a pressed card
    media/upload, media/get          chart images out, voice notes and photos in
    user/get                         the directory, to link members by name when allowed

A call answered with 40014 (invalid token) or 42001 (token expired) gets a new token and is made
once more; any other non-zero errcode raises `WeComApiError`.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp

log = logging.getLogger("salesbot.wecom")

TOKEN_INVALID = {40014, 42001}
REFRESH_MARGIN_S = 300.0  # get a new token this long before WeCom says the old one expires


class WeComApiError(Exception):
    def __init__(self, errcode: int, errmsg: str, call: str) -> None:
        super().__init__(f"{call}: errcode {errcode} {errmsg}")
        self.errcode, self.errmsg, self.call = errcode, errmsg, call


class MediaTooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(f"media exceeds the limit ({size} bytes)")
        self.size = size


class WeComApi:
    def __init__(self, base_url: str, corp_id: str, secret: str, agent_id: int, *,
                 clock: Callable[[], float] = time.monotonic, timeout_s: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.corp_id, self._secret, self.agent_id = corp_id, secret, agent_id
        self.clock = clock
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None
        self._token: str | None = None
        self._token_until = 0.0
        self._token_lock = asyncio.Lock()
        self.tokens_fetched = 0

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout,
                                                  connector=aiohttp.TCPConnector(limit=64))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("WeComApi.start() was not called")
        return self._session

    # --- the access token ------------------------------------------------------------------

    async def token(self, *, stale: str | None = None) -> str:
        """The cached token; a new one when it is (about to be) expired or is `stale`."""
        async with self._token_lock:
            if self._token and self._token != stale and self.clock() < self._token_until:
                return self._token
            async with self.session.get(f"{self.base_url}/cgi-bin/gettoken",
                                        params={"corpid": self.corp_id, "corpsecret": self._secret}) as resp:
                data = await _json(resp, "gettoken")
            _check(data, "gettoken")
            self._token = str(data["access_token"])
            self._token_until = self.clock() + max(60.0, float(data.get("expires_in", 7200)) - REFRESH_MARGIN_S)
            self.tokens_fetched += 1
            log.info("wecom access token fetched", extra={"expires_in": data.get("expires_in")})
            return self._token

    async def _call(self, method: str, path: str, *, params: dict | None = None, json: Any = None,
                    data: Any = None, raw: bool = False, max_bytes: int | None = None) -> Any:
        """One API call with the token; made again once with a new token when WeCom says the
        token is invalid or expired (it may be revoked before its time, e.g. the secret changed)."""
        token = await self.token()
        for attempt in (1, 2):
            query = {**(params or {}), "access_token": token}
            async with self.session.request(method, f"{self.base_url}/cgi-bin/{path}", params=query,
                                            json=json, data=data() if callable(data) else data) as resp:
                if raw and not resp.content_type.startswith(("application/json", "text/plain")):
                    return await _read_media(resp, max_bytes)
                body = await _json(resp, path)
            if body.get("errcode") in TOKEN_INVALID and attempt == 1:
                log.info("wecom access token refused; fetching a new one", extra={"errcode": body["errcode"]})
                token = await self.token(stale=token)
                continue
            _check(body, path)
            return body
        raise AssertionError("unreachable")

    # --- calls -------------------------------------------------------------------------------

    async def send(self, user_id: str, msgtype: str, content: dict) -> dict:
        """message/send to one member; the answer has `msgid` (and `response_code` for cards)."""
        payload = {"touser": user_id, "msgtype": msgtype, "agentid": self.agent_id, msgtype: content,
                   "enable_duplicate_check": 0}
        body = await self._call("POST", "message/send", json=payload)
        if body.get("invaliduser"):
            raise WeComApiError(81013, f"not a member this app may reach: {body['invaliduser']}", "message/send")
        return body

    async def update_card(self, user_id: str, response_code: str, replace_name: str) -> None:
        """Turn a pressed button_interaction card's buttons into one greyed-out `replace_name`."""
        await self._call("POST", "message/update_template_card", json={
            "userids": [user_id], "agentid": self.agent_id, "response_code": response_code,
            "button": {"replace_name": replace_name}})

    async def upload_image(self, data: bytes, name: str = "chart.png") -> str:
        """media/upload (type=image): the media_id to send the picture with (valid 3 days)."""
        def form() -> aiohttp.FormData:
            out = aiohttp.FormData()
            out.add_field("media", data, filename=name, content_type="image/png")
            return out

        body = await self._call("POST", "media/upload", params={"type": "image"}, data=form)
        return str(body["media_id"])

    async def get_media(self, media_id: str, *, max_bytes: int) -> tuple[bytes, str, str | None]:
        """(bytes, content type, content disposition) of a received voice note or picture."""
        result = await self._call("GET", "media/get", params={"media_id": media_id}, raw=True,
                                  max_bytes=max_bytes)
        if isinstance(result, dict):
            raise WeComApiError(-1, "media/get answered JSON without an error", "media/get")
        return result

    async def user(self, user_id: str) -> dict:
        """user/get: the member's directory entry (userid, name, ...)."""
        return await self._call("GET", "user/get", params={"userid": user_id})


async def _json(resp: aiohttp.ClientResponse, call: str) -> dict:
    if resp.status != 200:
        raise WeComApiError(-resp.status, f"HTTP {resp.status}", call)
    try:
        data = await resp.json(content_type=None)
    except ValueError:
        raise WeComApiError(-1, "answer is not JSON", call) from None
    if not isinstance(data, dict):
        raise WeComApiError(-1, "answer is not a JSON object", call)
    return data


def _check(body: dict, call: str) -> None:
    code = body.get("errcode", 0)
    if code:
        raise WeComApiError(int(code), str(body.get("errmsg", "")), call)


async def _read_media(resp: aiohttp.ClientResponse, max_bytes: int | None) -> tuple[bytes, str, str | None]:
    if resp.status != 200:
        raise WeComApiError(-resp.status, f"HTTP {resp.status}", "media/get")
    limit = max_bytes if max_bytes is not None else 1 << 62
    if resp.content_length is not None and resp.content_length > limit:
        raise MediaTooLarge(resp.content_length)
    chunks, size = [], 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise MediaTooLarge(size)
        chunks.append(chunk)
    return b"".join(chunks), resp.content_type, resp.headers.get("Content-Disposition")
