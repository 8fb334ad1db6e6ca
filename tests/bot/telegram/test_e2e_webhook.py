"""Webhook mode: PTB's own webhook server on a free loopback port, the secret header checked."""
from __future__ import annotations

import json

import httpx

from bot.loop import ConversationLoop
from bot.adapters.telegram.adapter import TelegramAdapter
from storage.models import Draft
from tests.bot.telegram.conftest import TG, Harness, config_for, free_port

SECRET = "s3cret-Token_for-tests"
NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


async def test_webhook_refuses_missing_and_wrong_secrets_and_handles_the_right_one(api, tg_app):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    adapter = TelegramAdapter(ConversationLoop(tg_app), config_for(
        api, webhook_url=url, webhook_secret=SECRET, webhook_listen="127.0.0.1", webhook_port=port))
    await adapter.start()
    try:
        assert (api.webhook["url"], api.webhook["secret_token"]) == (url, SECRET)
        h = Harness(api, adapter, tg_app)
        rep = h.person(1)
        body = json.dumps(rep.compose(NOTE))
        async with httpx.AsyncClient(timeout=10) as client:
            headers = {"Content-Type": "application/json"}
            missing = await client.post(url, content=body, headers=headers)
            wrong = await client.post(url, content=body, headers={
                **headers, "X-Telegram-Bot-Api-Secret-Token": "guessed"})
            await h.settled()
            assert (missing.status_code, wrong.status_code) == (403, 403)
            assert api.bot_messages(TG[1]) == [] and h.count(Draft) == 0

            right = await client.post(url, content=body, headers={
                **headers, "X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert right.status_code == 200
            await h.settled()
            [card] = api.bot_messages(TG[1])
            assert "蓝鲸数据" in card["text"]

            again = await client.post(url, content=body, headers={  # Telegram retrying a delivery
                **headers, "X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert again.status_code == 200
            await h.settled()
            assert len(api.bot_messages(TG[1])) == 1 and h.count(Draft) == 1

        rep.send("/help")  # the server's own push, with the secret header
        await h.settled()
        assert api.webhook_deliveries[-1].status == 200
        assert len(api.bot_messages(TG[1])) == 2
    finally:
        await adapter.stop()
