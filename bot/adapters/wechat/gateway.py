"""The connection to a wechaty puppet-service gateway, kept up across drops.

    GatewayConnection.start()  ─▶ supervisor task: one *session* after another
        session = a fresh `Wechaty` + `PuppetService`: Stop/Start RPCs, then the Event stream
        stream ends (gateway restart, network drop, watchdog) ─▶ backoff 0.2 s … 30 s ─▶ next session
    call(fn)   run a gateway RPC on the current session; on a connection error wait for the next
               session and run it again (until `retry_window_s`), so nothing is dropped on the floor

Why not `Wechaty.start()`: it swallows connection errors, sleeps 60 s before reconnecting, reuses one
puppet (its listeners pile up), and on login starts a plugin web server and a scheduler that cannot
start twice. Here each session gets its own `Wechaty` object (entity classes bound to that
session's puppet) and listens to the puppet's events directly, in the order the gateway sent them.

Liveness: any event from the gateway (heartbeat, dong, message) counts; after `ping_interval_s` of
silence the watchdog sends a ding, and drops the session if nothing answers within
`ping_timeout_s` (a half-open TCP connection never ends the stream by itself).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.adapters.wechat.compat import load_wechaty

log = logging.getLogger("salesbot.wechat")
T = TypeVar("T")

RECONNECT_DELAYS_S = (0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class GatewayError(RuntimeError):
    """The gateway cannot be used: unreachable, refused the token, or gone for too long."""


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int

    @classmethod
    def parse(cls, value: str) -> Endpoint:
        """'host:port' (an IPv6 host in brackets); ValueError with the reason otherwise."""
        text = (value or "").strip()
        if "://" in text:
            text = text.split("://", 1)[1]
        host, sep, port = text.rpartition(":")
        host = host.strip("[]")
        if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError(f"{value!r} is not host:port (e.g. 127.0.0.1:8788)")
        return cls(host, int(port))

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def is_connection_error(exc: BaseException) -> bool:
    """True for failures a reconnect can cure (as opposed to a refused token or a bad request)."""
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError, StreamTerminatedError
    from wechaty_puppet.exceptions import WechatyPuppetError

    if isinstance(exc, GRPCError):
        return exc.status in (Status.UNAVAILABLE, Status.CANCELLED, Status.DEADLINE_EXCEEDED)
    if isinstance(exc, WechatyPuppetError):  # "puppet_stub should not be none", "can't ping endpoint"
        return "stub" in str(exc) or "ping" in str(exc)
    return isinstance(exc, (OSError, StreamTerminatedError, asyncio.TimeoutError, EOFError))


def is_refusal(exc: BaseException) -> bool:
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError

    return isinstance(exc, GRPCError) and exc.status in (Status.UNAUTHENTICATED, Status.PERMISSION_DENIED)


class GatewayConnection:
    def __init__(self, endpoint: Endpoint, token: str, *, on_message: Callable[[str], None],
                 reconnect_delays_s: tuple[float, ...] = RECONNECT_DELAYS_S, retry_window_s: float = 300.0,
                 rpc_timeout_s: float = 30.0, ping_interval_s: float = 60.0, ping_timeout_s: float = 20.0) -> None:
        self.endpoint, self.token = endpoint, token
        self.on_message = on_message
        self.reconnect_delays_s = reconnect_delays_s
        self.retry_window_s, self.rpc_timeout_s = retry_window_s, rpc_timeout_s
        self.ping_interval_s, self.ping_timeout_s = ping_interval_s, ping_timeout_s
        self.bot: Any = None  # the logged-in session's Wechaty, or None
        self.self_id: str | None = None
        self.self_name: str | None = None
        self.sessions = 0  # how many sessions reached login: 2 after one reconnect
        self.last_error: BaseException | None = None
        self._logged_in = asyncio.Event()
        self._streaming = asyncio.Event()
        self._supervisor: asyncio.Task | None = None
        self._current: Any = None  # the session's Wechaty from its first RPC on
        self._last_event = 0.0

    @property
    def logged_in(self) -> bool:
        return self._logged_in.is_set()

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self, *, timeout_s: float = 30.0) -> None:
        """Start the supervisor and wait until the gateway streams events (login may come later: a
        real WeChat account may still have to scan a QR code). Raises `GatewayError` when the
        gateway refuses the token or cannot be reached within `timeout_s`."""
        load_wechaty()
        if self._supervisor is None:
            self._supervisor = asyncio.create_task(self._supervise(), name="wechat-gateway")
        deadline = time.monotonic() + timeout_s
        while not self._streaming.is_set():
            if self._supervisor is None or self._supervisor.done():
                raise GatewayError(f"the connection to {self.endpoint} stopped before it was up")
            if self.last_error is not None and is_refusal(self.last_error):
                await self.stop()
                raise GatewayError(f"the gateway at {self.endpoint} refused the token "
                                   f"(WECHATY_PUPPET_SERVICE_TOKEN): {_brief(self.last_error)}")
            if time.monotonic() > deadline:
                error = self.last_error
                await self.stop()
                raise GatewayError(f"no puppet-service gateway answered at {self.endpoint} within "
                                   f"{timeout_s:.0f} s" + (f": {_brief(error)}" if error else ""))
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._streaming.wait(), 0.1)

    async def stop(self) -> None:
        task, self._supervisor = self._supervisor, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._set_session(None)

    def drop(self) -> None:
        """Close the current session's connection; the supervisor starts a new session."""
        bot = self._current
        if bot is not None:
            _close_channel(bot)

    async def wait_logged_in(self, timeout_s: float) -> None:
        await asyncio.wait_for(self._logged_in.wait(), timeout_s)

    # --- calls ---------------------------------------------------------------------------

    async def call(self, fn: Callable[[Any], Awaitable[T]], *, what: str, timeout_s: float | None = None,
                   retry_window_s: float | None = None) -> T:
        """`await fn(bot)` on the logged-in session. Connection failures wait for the next session
        and try again until `retry_window_s` has passed (then `GatewayError`); other errors raise."""
        window = self.retry_window_s if retry_window_s is None else retry_window_s
        deadline = time.monotonic() + window
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._supervisor is None:
                raise GatewayError(f"{what}: no connection to the gateway for {window:.0f} s")
            try:
                await asyncio.wait_for(self._logged_in.wait(), remaining)
            except asyncio.TimeoutError:
                continue
            bot = self.bot
            try:
                return await asyncio.wait_for(fn(bot), timeout_s or self.rpc_timeout_s)
            except Exception as exc:
                if not is_connection_error(exc):
                    raise
                attempt += 1
                log.info("gateway call failed, retrying after reconnect",
                         extra={"what": what, "attempt": attempt, "error": _brief(exc)})
                if bot is self.bot and self._logged_in.is_set():
                    await asyncio.sleep(min(0.2 * attempt, 2.0))

    # --- sessions ------------------------------------------------------------------------

    async def _supervise(self) -> None:
        failures = 0
        while True:
            try:
                await self._session()
                failures = 0
                log.warning("gateway event stream ended; reconnecting", extra={"endpoint": str(self.endpoint)})
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.last_error = exc
                failures += 1
                level = logging.INFO if is_connection_error(exc) and failures > 1 else logging.WARNING
                log.log(level, "gateway session failed", extra={
                    "endpoint": str(self.endpoint), "error": _brief(exc), "failures": failures})
            finally:
                self._set_session(None)
            await asyncio.sleep(self.reconnect_delays_s[min(failures, len(self.reconnect_delays_s) - 1)])

    async def _session(self) -> None:
        from wechaty import Wechaty, WechatyOptions
        from wechaty_puppet import PuppetOptions

        await self._check_reachable()
        options = WechatyOptions(puppet_options=PuppetOptions(token=self.token, end_point=str(self.endpoint)),
                                 host="127.0.0.1", port=0)
        bot = Wechaty(options)
        await bot.init_puppet()
        self._current = bot
        puppet = bot.puppet
        puppet.on("heartbeat", lambda payload: self._alive())
        puppet.on("dong", lambda payload: self._alive())
        puppet.on("login", lambda payload: self._on_login(bot, payload.contact_id))
        puppet.on("logout", lambda payload: self._on_logout(bot))
        puppet.on("scan", lambda payload: self._on_scan(payload))
        puppet.on("message", lambda payload: self._on_message_event(payload.message_id))
        puppet.on("error", lambda payload: log.info("gateway error event", extra={"payload": str(payload)[:300]}))
        watchdog = asyncio.create_task(self._watch(bot), name="wechat-watchdog")
        try:
            await puppet.start()  # Stop + Start RPCs, then the event stream until it ends
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog
            _close_channel(bot)

    async def _check_reachable(self) -> None:
        """The SDK checks the endpoint with a blocking telnet; check it here without blocking first."""
        _, writer = await asyncio.wait_for(asyncio.open_connection(self.endpoint.host, self.endpoint.port), 5)
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()

    def _alive(self) -> None:
        self._last_event = time.monotonic()
        self._streaming.set()

    def _on_login(self, bot: Any, contact_id: str) -> None:
        self._alive()
        first = self.bot is not bot
        self._set_session(bot, contact_id)
        if first:
            self.sessions += 1
            self.last_error = None
            log.info("wechat logged in", extra={"self_id": contact_id, "session": self.sessions})
            asyncio.get_running_loop().create_task(self._learn_self_name(bot, contact_id))

    def _on_logout(self, bot: Any) -> None:
        if self.bot is bot:
            log.warning("wechat account logged out on the gateway; waiting for login")
            self._logged_in.clear()

    def _on_scan(self, payload: Any) -> None:
        qrcode = getattr(payload, "qrcode", None)
        if qrcode:
            log.warning("log the WeChat account in: scan the QR code", extra={
                "qrcode": qrcode, "url": f"https://wechaty.js.org/qrcode/{qrcode}"})

    def _on_message_event(self, message_id: str) -> None:
        self._alive()
        if message_id:
            self.on_message(message_id)

    async def _learn_self_name(self, bot: Any, contact_id: str) -> None:
        try:
            contact = await asyncio.wait_for(bot.puppet.contact_payload(contact_id), self.rpc_timeout_s)
            if self.bot is bot:
                self.self_name = contact.name
        except Exception as exc:  # the name only helps to recognise "@Salesbot" typed by hand
            log.info("could not read the bot's own name", extra={"error": _brief(exc)})

    def _set_session(self, bot: Any, self_id: str | None = None) -> None:
        if bot is None:
            self._logged_in.clear()
            self._streaming.clear()
            self.bot = None
            self._current = None
            return
        self.bot, self.self_id = bot, self_id
        self._logged_in.set()

    async def _watch(self, bot: Any) -> None:
        self._last_event = time.monotonic()
        while True:
            await asyncio.sleep(self.ping_interval_s / 2)
            if time.monotonic() - self._last_event < self.ping_interval_s:
                continue
            pinged = time.monotonic()
            try:
                await asyncio.wait_for(bot.puppet.ding("salesbot"), self.ping_timeout_s)
            except Exception as exc:
                log.warning("gateway did not answer a ding; reconnecting", extra={"error": _brief(exc)})
                _close_channel(bot)
                return
            while self._last_event < pinged:
                if time.monotonic() - pinged > self.ping_timeout_s:
                    log.warning("gateway sent nothing after a ding; reconnecting")
                    _close_channel(bot)
                    return
                await asyncio.sleep(0.2)


def _close_channel(bot: Any) -> None:
    """Close the session's gRPC channel without the Stop RPC (which would stop the gateway's
    puppet); a stream still reading ends with a connection error."""
    puppet = getattr(bot, "_puppet", None)
    channel = getattr(puppet, "channel", None)
    if channel is not None:
        channel.close()


def _brief(exc: BaseException | None) -> str:
    if exc is None:
        return ""
    text = getattr(exc, "message", None) or str(exc)
    return f"{exc.__class__.__name__}: {str(text).splitlines()[0][:300] if text else ''}"
