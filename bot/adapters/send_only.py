"""Adapters opened only to send, for `salesbot jobs run-due` from cron: no webhook, callback
server or long connection, only each platform's own API client and renderer (the adapter's
`send`), after a check that the platform takes the app's credentials.

    telegram   TELEGRAM_BOT_TOKEN       getMe, then the Bot API's send methods
    wecom      WECOM_CORP_ID, ...       gettoken, then message/send and media/upload
    feishu     FEISHU_APP_ID, ...       tenant_access_token, then im/v1/messages and im/v1/images

WeChat goes through the puppet gateway, which only the running bot holds (`salesbot run
--platform wechat`): its messages stay queued for that bot.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection

from pydantic import SecretStr

from bot.adapters import Outbox
from bot.app import App
from storage.config import Settings, SettingsError

log = logging.getLogger("salesbot.outbox")

Close = Callable[[], Awaitable[None]]


class Refused(Exception):
    """The platform refused the credentials or could not be reached; the text names the settings."""


def _is_set(value: str | SecretStr | None) -> bool:
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    return bool((text or "").strip())


def configured(settings: Settings) -> tuple[list[str], list[str]]:
    """(platforms a run from cron sends through, platforms whose messages wait for the running
    bot), each by the setting that names its bot or app."""
    sendable = [platform for platform, value in (("telegram", settings.telegram_bot_token),
                                                  ("wecom", settings.wecom_corp_id),
                                                  ("feishu", settings.feishu_app_id)) if _is_set(value)]
    waiting = ["wechat"] if _is_set(settings.wechaty_puppet_service_token) else []
    return sendable, waiting


@contextlib.asynccontextmanager
async def send_only(app: App, outbox: Outbox, platforms: Collection[str]) -> AsyncIterator[dict[str, str]]:
    """Open the adapter of each of `platforms` for sending and register it in `outbox`; yields the
    platforms that could not be opened, each with one line naming the settings to check. Every
    opened client is closed on exit."""
    from bot.loop import ConversationLoop

    loop = ConversationLoop(app)  # never handed a message: the adapters only send
    closers: list[Close] = []
    refused: dict[str, str] = {}
    try:
        for platform in platforms:
            try:
                adapter, close = await _OPEN[platform](app.settings, loop)
            except (SettingsError, Refused) as exc:
                refused[platform] = str(exc)
                continue
            outbox.register(adapter)
            closers.append(close)
        for platform, reason in refused.items():
            log.info("platform not used for sending", extra={"platform": platform, "reason": reason})
        yield refused
    finally:
        for close in reversed(closers):
            with contextlib.suppress(Exception):
                await close()


async def _telegram(settings: Settings, loop):
    from telegram.error import TelegramError

    from bot.adapters.telegram.adapter import TelegramAdapter
    from bot.adapters.telegram.config import TelegramConfig

    adapter = TelegramAdapter(loop, TelegramConfig.from_settings(settings),
                              flood_limiter=settings.telegram_flood_limiter)
    try:
        await adapter.bot.initialize()  # getMe: checks the token; no polling, webhook or inbox workers
    except TelegramError as exc:  # its message may quote the token: only the kind of failure is shown
        raise Refused(f"Telegram refused TELEGRAM_BOT_TOKEN or cannot be reached ({type(exc).__name__}): "
                      "check TELEGRAM_BOT_TOKEN and TELEGRAM_BASE_URL") from None
    return adapter, adapter.bot.shutdown


async def _wecom(settings: Settings, loop):
    import aiohttp

    from bot.adapters.wecom.adapter import CREDENTIALS_FIX, WeComAdapter
    from bot.adapters.wecom.api import WeComApiError
    from bot.adapters.wecom.config import WeComConfig

    adapter = WeComAdapter(loop, WeComConfig.from_settings(settings))
    await adapter.api.start()
    try:
        await adapter.api.token()
    except (WeComApiError, aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
        await adapter.api.close()
        detail = str(exc) if isinstance(exc, WeComApiError) else type(exc).__name__  # a URL may carry the secret
        raise Refused(f"WeCom refused the app's credentials or cannot be reached ({detail}): "
                      f"{CREDENTIALS_FIX}") from None
    return adapter, adapter.api.close


async def _feishu(settings: Settings, loop):
    import httpx

    from bot.adapters.feishu.adapter import CREDENTIALS_FIX, FeishuAdapter
    from bot.adapters.feishu.api import FeishuApiError
    from bot.adapters.feishu.config import FeishuConfig

    adapter = FeishuAdapter(loop, FeishuConfig.from_settings(settings))
    try:
        await adapter.api.token()
    except (FeishuApiError, httpx.HTTPError, OSError) as exc:
        await adapter.api.close()
        detail = str(exc) if isinstance(exc, FeishuApiError) else type(exc).__name__
        raise Refused(f"Feishu refused the app credentials or cannot be reached ({detail}): "
                      f"{CREDENTIALS_FIX}") from None
    return adapter, adapter.api.close


_OPEN = {"telegram": _telegram, "wecom": _wecom, "feishu": _feishu}
