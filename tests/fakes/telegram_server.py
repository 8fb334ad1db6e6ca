"""A fake Telegram Bot API server on loopback, for running the real python-telegram-bot code.

It speaks the Bot API wire format (form or multipart parameters, JSON-encoded non-string values,
`{"ok": true, "result": ...}` answers, dates in seconds, entity offsets in UTF-16 units) for the
methods the adapter uses: getMe, getUpdates (long polling with `timeout`, offsets confirm updates),
setWebhook/deleteWebhook/getWebhookInfo (updates are then pushed with the secret header),
sendMessage, editMessageText (returns the edited Message), editMessageReplyMarkup,
answerCallbackQuery (once per query), setMyCommands/getMyCommands, getFile and file download,
sendPhoto, sendDocument, sendChatAction, deleteMessage.

Test-side controls play the users: `user(...)` makes a `FakeUser` that sends text, photos, documents, voice and
presses buttons; `bot_messages(chat_id)` / `wait_for_message(...)` read what the bot sent; `calls`
records every API call. `deliver(update)` hands an update to the bot again (a redelivery) and
`fail_next(method, ...)` makes the next call of a method fail (429 flood control, 500...).

    async with FakeBotApi() as api:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url)
                  .base_file_url(api.base_file_url).build()
        alice = api.user(1001, "Alice", language_code="en")
        alice.send("hello")
        reply = await api.wait_for_message(chat_id=1001)

Also runnable on its own (`python -m tests.fakes.telegram_server --port 8081`) with the same
controls over HTTP under /_test/ (see `_control_routes`).
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijkl"
MAX_FILE_DOWNLOAD = 20 * 1024 * 1024


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _entities(text: str, bot_username: str | None = None) -> list[dict]:
    """Entities the real server would detect: a leading /command, @mentions (UTF-16 offsets)."""
    found: list[dict] = []
    for match in re.finditer(r"(?<![\w@/])(/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)|(@[A-Za-z0-9_]{4,32})",
                             text):
        start = utf16_len(text[:match.start()])
        kind = "bot_command" if match.group(1) else "mention"
        if kind == "bot_command" and match.start() != 0:
            continue
        found.append({"type": kind, "offset": start, "length": utf16_len(match.group(0))})
    return found


class Params:
    """Bot API parameters: strings as sent, other values JSON-encoded (as PTB sends them)."""

    def __init__(self, values: dict[str, Any], files: dict[str, bytes]) -> None:
        self.values, self.files = values, files

    def has(self, name: str) -> bool:
        return name in self.values or name in self.files

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return default if value is None else str(value)

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError(400, f"Bad Request: invalid {name}") from None

    def float(self, name: str, default: float = 0.0) -> float:
        value = self.values.get(name)
        return default if value in (None, "") else float(value)

    def bool(self, name: str) -> bool:
        value = self.values.get(name)
        return value is True or str(value).lower() in ("true", "1")

    def json(self, name: str) -> Any:
        value = self.values.get(name)
        if value is None or not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None

    def required(self, name: str) -> str:
        if name not in self.values or self.values[name] in ("", None):
            raise ApiError(400, f"Bad Request: {name} is empty")
        return str(self.values[name])


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    path: str
    data: bytes

    def as_file(self) -> dict:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": len(self.data), "file_path": self.path}


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    status: int
    result: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class WebhookDelivery:
    update_id: int
    status: int | None
    error: str | None = None


class FakeUser:
    """A Telegram user: sends messages and voice notes, presses buttons."""

    def __init__(self, api: FakeBotApi, user: dict) -> None:
        self.api, self.data = api, user

    @property
    def id(self) -> int:
        return self.data["id"]

    def send(self, text: str, *, chat: dict | None = None, reply_to: dict | None = None) -> dict:
        return self.api.deliver(self.compose(text, chat=chat, reply_to=reply_to))

    def compose(self, text: str, *, chat: dict | None = None, reply_to: dict | None = None) -> dict:
        """The update of a text message from this user, recorded in the chat but not delivered."""
        extra: dict[str, Any] = {"text": text}
        entities = _entities(text)
        if entities:
            extra["entities"] = entities
        if reply_to is not None:
            extra["reply_to_message"] = reply_to
        return self._message_update(chat, extra)

    def send_voice(self, data: bytes, *, duration: int = 3, chat: dict | None = None,
                   mime_type: str = "audio/ogg", declared_size: int | None = None) -> dict:
        stored = self.api.store_file(data, folder="voice", suffix="oga")
        voice = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                 "duration": duration, "mime_type": mime_type,
                 "file_size": declared_size if declared_size is not None else len(data)}
        return self.api.deliver(self._message_update(chat, {"voice": voice}))

    def send_photo(self, data: bytes, *, chat: dict | None = None, caption: str | None = None,
                   media_group_id: str | None = None, declared_size: int | None = None) -> dict:
        """A photo as Telegram sends one: several sizes, the largest last (all the same bytes here)."""
        stored = self.api.store_file(data, folder="photos", suffix="jpg")
        size = declared_size if declared_size is not None else len(data)
        sizes = [{"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "width": w,
                  "height": w * 4 // 3, "file_size": size} for w in (90, 320, 1280)]
        extra: dict[str, Any] = {"photo": sizes}
        if caption:
            extra["caption"] = caption
        if media_group_id:
            extra["media_group_id"] = media_group_id
        return self.api.deliver(self._message_update(chat, extra))

    def send_document(self, data: bytes, *, file_name: str, mime_type: str, chat: dict | None = None,
                      declared_size: int | None = None) -> dict:
        stored = self.api.store_file(data, folder="documents", suffix=file_name.rsplit(".", 1)[-1])
        document = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_name": file_name,
                    "mime_type": mime_type, "file_size": declared_size if declared_size is not None else len(data)}
        return self.api.deliver(self._message_update(chat, {"document": document}))

    def send_sticker(self, *, chat: dict | None = None) -> dict:
        sticker = {"file_id": "sticker-1", "file_unique_id": "s1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"}
        return self.api.deliver(self._message_update(chat, {"sticker": sticker}))

    def press(self, message: dict, data: str) -> dict:
        """Press the button with callback `data` under `message` (a bot message as stored)."""
        query = {"id": str(next(self.api._query_ids)), "from": self.data,
                 "chat_instance": f"ci{message['chat']['id']}", "data": data,
                 "message": self.api.current(message["chat"]["id"], message["message_id"])}
        return self.api.deliver({"update_id": self.api.next_update_id(), "callback_query": query})

    def private_chat(self) -> dict:
        chat = {"id": self.id, "type": "private", "first_name": self.data["first_name"]}
        if self.data.get("username"):
            chat["username"] = self.data["username"]
        return chat

    def _message_update(self, chat: dict | None, extra: dict) -> dict:
        chat = chat or self.private_chat()
        message = {"message_id": self.api.next_message_id(chat["id"]), "from": self.data,
                   "chat": chat, "date": int(time.time()), **extra}
        self.api.chat_log(chat["id"]).append(message)
        self.api._messages.setdefault(chat["id"], {})[message["message_id"]] = message
        return {"update_id": self.api.next_update_id(), "message": message}


class FakeBotApi:
    def __init__(self, *, token: str = DEFAULT_TOKEN, bot_username: str = "salesbot_test_bot",
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = token
        self.bot = {"id": int(token.split(":", 1)[0]), "is_bot": True, "first_name": "Salesbot",
                    "username": bot_username, "can_join_groups": True,
                    "can_read_all_group_messages": False, "supports_inline_queries": False,
                    "can_connect_to_business": False, "has_main_web_app": False}
        self.host, self.port = host, port
        self.calls: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.callback_answers: dict[str, dict] = {}
        self.webhook: dict | None = None
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.files: dict[str, StoredFile] = {}
        self._pending: list[dict] = []
        self._messages: dict[int, dict[int, dict]] = {}
        self._chat_logs: dict[int, list[dict]] = {}
        self._bot_counts: dict[int, int] = {}
        self._count_waiters: dict[int, list[tuple[int, asyncio.Future]]] = {}
        self._message_ids: dict[int, itertools.count] = {}
        self._update_ids = itertools.count(10_000)
        self._query_ids = itertools.count(700_000_000_000)
        self._file_ids = itertools.count(1)
        self._failures: dict[str, list[ApiError]] = {}
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._push_tasks: set[asyncio.Task] = set()
        self._closing = False

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> FakeBotApi:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._control_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # the free port picked for 0
        self._client = ClientSession(timeout=ClientTimeout(total=10))
        return self

    async def stop(self) -> None:
        self._closing = True  # end waiting long polls now, or cleanup waits for their timeouts
        async with self._changed:
            self._changed.notify_all()
        for task in list(self._push_tasks):
            task.cancel()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    # --- test-side controls --------------------------------------------------------------

    def user(self, user_id: int, first_name: str, *, language_code: str | None = "zh",
             username: str | None = None) -> FakeUser:
        data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            data["language_code"] = language_code
        if username:
            data["username"] = username
        return FakeUser(self, data)

    @staticmethod
    def group(chat_id: int, title: str = "Sales team") -> dict:
        return {"id": chat_id, "type": "supergroup", "title": title}

    def deliver(self, update: dict, *, again: bool = False) -> dict:
        """Hand an update to the bot: queued for getUpdates, or pushed to the webhook. `again`
        delivers an update the bot already confirmed once more, as Telegram does when a bot dies
        between handling an update and confirming it."""
        update = dict(update, _again=True) if again else update
        if self.webhook:
            task = asyncio.get_running_loop().create_task(self._push(update))
            self._push_tasks.add(task)
            task.add_done_callback(self._push_done)
        else:
            self._pending.append(update)
            self._notify()
        return update

    def _push_done(self, task: asyncio.Task) -> None:
        self._push_tasks.discard(task)
        self._notify()

    def fail_next(self, method: str, code: int = 429, description: str = "Too Many Requests: retry after 1",
                  *, retry_after: int | None = 1, times: int = 1) -> None:
        self._failures.setdefault(method, []).extend(
            ApiError(code, description, retry_after if code == 429 else None) for _ in range(times))

    def store_file(self, data: bytes, *, folder: str = "documents", suffix: str = "bin") -> StoredFile:
        n = next(self._file_ids)
        stored = StoredFile(file_id=f"FILE{n:06d}", file_unique_id=f"U{n:06d}",
                            path=f"{folder}/file_{n}.{suffix}", data=data)
        self.files[stored.file_id] = stored
        return stored

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def chat_log(self, chat_id: int) -> list[dict]:
        """Every message in a chat, users' and the bot's, in order."""
        return self._chat_logs.setdefault(chat_id, [])

    def bot_messages(self, chat_id: int) -> list[dict]:
        """Snapshots of the bot's messages in a chat as they are now (edits applied)."""
        return [copy.deepcopy(self._messages[chat_id][m["message_id"]]) for m in self.chat_log(chat_id)
                if m.get("from", {}).get("id") == self.bot["id"]]

    def bot_message_count(self, chat_id: int) -> int:
        """How many messages the bot has sent to a chat (O(1); edits and deletions not counted)."""
        return self._bot_counts.get(chat_id, 0)

    async def wait_for_bot_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> None:
        """Wait until the bot has sent `count` messages to `chat_id`. Only that chat's sends wake the
        waiter, so thousands of chats can wait at once (benchmarks); `wait_for` re-checks every
        predicate on every API call."""
        if self.bot_message_count(chat_id) >= count:
            return
        future = asyncio.get_running_loop().create_future()
        self._count_waiters.setdefault(chat_id, []).append((count, future))
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise AssertionError(f"timed out after {timeout}s waiting for {count} bot messages in chat "
                                 f"{chat_id}; {self.bot_message_count(chat_id)} sent") from None

    def current(self, chat_id: int, message_id: int) -> dict:
        """A snapshot of one message as it is now."""
        return copy.deepcopy(self._messages[chat_id][message_id])

    def calls_of(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    @property
    def pending_updates(self) -> int:
        return len(self._pending)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `predicate()` is truthy (re-checked whenever the bot calls the API)."""
        async with self._changed:
            try:
                return await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            except TimeoutError:
                raise AssertionError(f"timed out after {timeout}s waiting for the bot; "
                                     f"last calls: {[c.method for c in self.calls[-8:]]}") from None

    async def wait_for_message(self, chat_id: int, *, after: int = 0, containing: str | None = None,
                               timeout: float = 10.0) -> dict:
        """The first bot message in `chat_id` with message_id > `after` (and `containing`)."""

        def found():
            for message in self.bot_messages(chat_id):
                text = message.get("text") or message.get("caption") or ""
                if message["message_id"] > after and (containing is None or containing in text):
                    return message
            return None

        return await self.wait_for(found, timeout)

    async def wait_for_call(self, method: str, predicate: Callable[[ApiCall], bool] = lambda c: True,
                            *, count: int = 1, timeout: float = 10.0) -> list[ApiCall]:
        def enough():
            matching = [c for c in self.calls_of(method) if predicate(c)]
            return matching if len(matching) >= count else None

        return await self.wait_for(enough, timeout)

    def last_message_id(self, chat_id: int) -> int:
        log = self.chat_log(chat_id)
        return log[-1]["message_id"] if log else 0

    def _notify(self) -> None:
        async def wake():
            async with self._changed:
                self._changed.notify_all()

        asyncio.get_running_loop().create_task(wake())

    # --- the Bot API ---------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await _read_params(request)
        handler = getattr(self, "m_" + method[:1].lower() + method[1:], None)
        try:
            failures = self._failures.get(method)
            if failures:
                raise failures.pop(0)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params)
        except ApiError as exc:
            self.calls.append(ApiCall(method, params.values, exc.code, exc.description))
            self._notify()
            return _error(exc.code, exc.description, exc.retry_after)
        self.calls.append(ApiCall(method, params.values, 200, result))
        self._notify()
        return web.json_response({"ok": True, "result": result})

    async def m_getMe(self, p: Params) -> dict:
        return self.bot

    async def m_logOut(self, p: Params) -> bool:
        return True

    async def m_close(self, p: Params) -> bool:
        return True

    async def m_getUpdates(self, p: Params) -> list[dict]:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset, limit = p.int("offset", 0), max(1, min(p.int("limit", 100), 100))
        timeout = min(p.float("timeout", 0.0), 50.0)
        if offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset or u.get("_again")]
            self._notify()
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self._pending and not self._closing and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
        batch = self._pending[:limit]
        for update in batch:
            update.pop("_again", None)
        return [dict(u) for u in batch]

    async def delivered(self, timeout: float = 10.0) -> None:
        """Wait until the bot has taken every update (confirmed by offset, or pushed)."""
        await self.wait_for(lambda: not self._pending and not self._push_tasks, timeout)

    async def m_setWebhook(self, p: Params) -> bool:
        url = p.required("url")
        secret = p.str("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret,
                        "allowed_updates": p.json("allowed_updates")}
        if p.bool("drop_pending_updates"):
            self._pending.clear()
        pending, self._pending = self._pending, []
        for update in pending:
            self.deliver(update)
        return True

    async def m_deleteWebhook(self, p: Params) -> bool:
        self.webhook = None
        if p.bool("drop_pending_updates"):
            self._pending.clear()
        return True

    async def m_getWebhookInfo(self, p: Params) -> dict:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._pending)}

    async def m_setMyCommands(self, p: Params) -> bool:
        commands = p.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 BotCommand")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")) or \
                    not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        scope = json.dumps(p.json("scope") or {"type": "default"}, sort_keys=True)
        self.commands[(scope, p.str("language_code", ""))] = commands
        return True

    async def m_getMyCommands(self, p: Params) -> list[dict]:
        scope = json.dumps(p.json("scope") or {"type": "default"}, sort_keys=True)
        return self.commands.get((scope, p.str("language_code", "")), [])

    async def m_deleteMyCommands(self, p: Params) -> bool:
        scope = json.dumps(p.json("scope") or {"type": "default"}, sort_keys=True)
        self.commands.pop((scope, p.str("language_code", "")), None)
        return True

    async def m_sendMessage(self, p: Params) -> dict:
        text = p.required("text")
        if utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return self._bot_message(p, {"text": text})

    async def m_sendPhoto(self, p: Params) -> dict:
        data = self._upload(p, "photo")
        stored = self.store_file(data, folder="photos", suffix="jpg")
        sizes = [{"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                  "width": 800, "height": 600, "file_size": len(data)}]
        return self._bot_message(p, {"photo": sizes, **self._caption(p)})

    async def m_sendDocument(self, p: Params) -> dict:
        data = self._upload(p, "document")
        stored = self.store_file(data, folder="documents", suffix="bin")
        document = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                    "file_size": len(data), "file_name": p.str("filename") or "file"}
        return self._bot_message(p, {"document": document, **self._caption(p)})

    async def m_sendChatAction(self, p: Params) -> bool:
        p.required("chat_id")
        if p.str("action") not in ("typing", "upload_photo", "record_voice", "upload_document",
                                    "upload_voice", "choose_sticker", "find_location"):
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def m_editMessageText(self, p: Params) -> dict:
        message = self._find(p)
        text = p.required("text")
        markup = p.json("reply_markup")
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content "
                                "and reply markup are exactly the same as a current content and reply "
                                "markup of the message")
        message["text"] = text
        message["edit_date"] = int(time.time())
        _set_markup(message, markup)
        return message

    async def m_editMessageReplyMarkup(self, p: Params) -> dict:
        message = self._find(p)
        _set_markup(message, p.json("reply_markup"))
        message["edit_date"] = int(time.time())
        return message

    async def m_deleteMessage(self, p: Params) -> bool:
        message = self._find(p)
        self._messages[message["chat"]["id"]].pop(message["message_id"])
        log = self.chat_log(message["chat"]["id"])
        log[:] = [m for m in log if m["message_id"] != message["message_id"]]
        return True

    async def m_answerCallbackQuery(self, p: Params) -> bool:
        query_id = p.required("callback_query_id")
        if query_id in self.callback_answers:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        text = p.str("text")
        if text is not None and len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {"text": text, "show_alert": p.bool("show_alert")}
        return True

    async def m_getFile(self, p: Params) -> dict:
        stored = self.files.get(p.required("file_id"))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.data) > MAX_FILE_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return stored.as_file()

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        stored = next((f for f in self.files.values() if f.path == path), None)
        self.calls.append(ApiCall("download", {"path": path}, 200 if stored else 404))
        self._notify()
        if stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # --- helpers -------------------------------------------------------------------------

    def _bot_message(self, p: Params, content: dict) -> dict:
        chat_id = p.int("chat_id")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self._chat_of(chat_id)
        message = {"message_id": self.next_message_id(chat_id), "from": self.bot, "chat": chat,
                   "date": int(time.time()), **content}
        reply_to = (p.json("reply_parameters") or {}).get("message_id") or p.int("reply_to_message_id")
        if reply_to and reply_to in self._messages.get(chat_id, {}):
            message["reply_to_message"] = dict(self._messages[chat_id][reply_to])
        if p.int("message_thread_id"):
            message["message_thread_id"] = p.int("message_thread_id")
        _set_markup(message, p.json("reply_markup"))
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        self.chat_log(chat_id).append(message)
        self._counted(chat_id)
        return message

    def _counted(self, chat_id: int) -> None:
        count = self._bot_counts[chat_id] = self._bot_counts.get(chat_id, 0) + 1
        waiters = self._count_waiters.get(chat_id)
        if waiters:
            for entry in [w for w in waiters if w[0] <= count]:
                waiters.remove(entry)
                if not entry[1].done():
                    entry[1].set_result(None)

    def _chat_of(self, chat_id: int) -> dict:
        for message in self.chat_log(chat_id):
            return message["chat"]
        if chat_id < 0:
            raise ApiError(400, "Bad Request: chat not found")
        return {"id": chat_id, "type": "private", "first_name": f"user{chat_id}"}

    def _find(self, p: Params) -> dict:
        if p.has("inline_message_id"):
            raise ApiError(400, "Bad Request: inline messages are not supported by this server")
        chat_id, message_id = p.int("chat_id"), p.int("message_id")
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    @staticmethod
    def _upload(p: Params, name: str) -> bytes:
        if name in p.files:
            return p.files[name]
        reference = p.str(name, "")
        if reference.startswith("attach://") and reference[9:] in p.files:
            return p.files[reference[9:]]
        raise ApiError(400, f"Bad Request: there is no {name} in the request")

    @staticmethod
    def _caption(p: Params) -> dict:
        caption = p.str("caption")
        if caption and len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        return {"caption": caption} if caption else {}

    async def _push(self, update: dict) -> None:
        webhook = self.webhook or {}
        headers = {"Content-Type": "application/json"}
        if webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
        assert self._client is not None
        try:
            body = json.dumps({k: v for k, v in update.items() if not k.startswith("_")})
            async with self._client.post(webhook["url"], data=body, headers=headers) as resp:
                await resp.read()
                self.webhook_deliveries.append(WebhookDelivery(update["update_id"], resp.status))
        except Exception as exc:  # the bot being down is a delivery result, not a server crash
            self.webhook_deliveries.append(WebhookDelivery(update["update_id"], None, repr(exc)))
        self._notify()

    # --- the same controls over HTTP, for running the server on its own -----------------

    def _control_routes(self, app: web.Application) -> None:
        users: dict[int, FakeUser] = {}

        def user_of(body: dict) -> FakeUser:
            uid = int(body["user_id"])
            if uid not in users:
                users[uid] = self.user(uid, body.get("first_name", f"user{uid}"),
                                       language_code=body.get("language_code", "zh"))
            return users[uid]

        async def send(request: web.Request) -> web.Response:
            body = await request.json()
            return web.json_response(user_of(body).send(body["text"], chat=body.get("chat")))

        async def press(request: web.Request) -> web.Response:
            body = await request.json()
            message = self.current(int(body["chat_id"]), int(body["message_id"]))
            return web.json_response(user_of(body).press(message, body["data"]))

        async def messages(request: web.Request) -> web.Response:
            return web.json_response(self.bot_messages(int(request.match_info["chat_id"])))

        app.router.add_post("/_test/send", send)
        app.router.add_post("/_test/press", press)
        app.router.add_get("/_test/messages/{chat_id}", messages)


def _set_markup(message: dict, markup: Any) -> None:
    if markup and markup.get("inline_keyboard"):
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


async def _read_params(request: web.Request) -> Params:
    values: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            values.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = value.file.read()
                else:
                    values[key] = value
    return Params(values, files)


def _error(code: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=code)


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake Telegram Bot API server on loopback.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args()

    async def serve() -> None:
        api = await FakeBotApi(token=args.token, port=args.port).start()
        print(f"TELEGRAM_BASE_URL={api.base_url}\nTELEGRAM_BASE_FILE_URL={api.base_file_url}\n"
              f"TELEGRAM_BOT_TOKEN={api.token}", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await api.stop()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
