"""Webhook mode: the adapter's webhook server on a free loopback port, the secret header checked,
unreadable updates skipped with 200, 503 while the database is down."""
from __future__ import annotations

import json
import logging

import httpx
from sqlalchemy.exc import OperationalError

from bot.loop import ConversationLoop
from bot.adapters.telegram.adapter import TelegramAdapter
from prompts.ui import t
from storage.models import Draft
from tests.bot.telegram.conftest import TG, Harness, config_for, free_port

SECRET = "s3cret-Token_for-tests"
NOTE = "今天拜访了蓝鲸李总，聊了扩容方案"


async def webhook_bot(api, tg_app) -> tuple[TelegramAdapter, str]:
    """A started bot serving its webhook on a free loopback port; (adapter, the hook's URL)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    adapter = TelegramAdapter(ConversationLoop(tg_app), config_for(
        api, webhook_url=url, webhook_secret=SECRET, webhook_listen="127.0.0.1", webhook_port=port))
    await adapter.start()
    return adapter, url


async def test_webhook_refuses_missing_and_wrong_secrets_and_handles_the_right_one(api, tg_app):
    adapter, url = await webhook_bot(api, tg_app)
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


async def test_webhook_skips_an_update_it_cannot_read_and_carries_on(api, tg_app, caplog):
    """An unreadable update is answered 200 (a 400 would make Telegram send it forever and hold
    back everything after it), logged once, and the next update is handled."""
    caplog.set_level(logging.ERROR, logger="salesbot.telegram")
    adapter, url = await webhook_bot(api, tg_app)
    try:
        h = Harness(api, adapter, tg_app)
        rep = h.person(1)
        broken = rep.compose("")
        del broken["message"]["text"]
        broken["message"]["poll"] = {"id": "p1", "question": "下周哪天开会？"}  # no options: unreadable
        api.deliver(broken)
        async with httpx.AsyncClient(timeout=10) as client:
            garbage = await client.post(url, content=b"{not json", headers={
                "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert garbage.status_code == 200
        rep.send("/help")
        await h.settled()
        assert [d.status for d in api.webhook_deliveries] == [200, 200]
        assert [m["text"] for m in api.bot_messages(TG[1])] == [t("zh", "help")]
        logged = [r for r in caplog.records if getattr(r, "update_id", None) == broken["update_id"]]
        assert len(logged) == 1 and logged[0].getMessage() == "unreadable telegram update skipped"
    finally:
        await adapter.stop()


async def test_webhook_answers_503_while_the_database_is_unreachable_so_telegram_sends_it_again(api, tg_app):
    adapter, url = await webhook_bot(api, tg_app)
    try:
        h = Harness(api, adapter, tg_app)
        rep = h.person(1)
        body = json.dumps(rep.compose("/help"))
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
        accept = adapter.inbox.store.accept

        def down(*args, **kwargs):
            raise OperationalError("INSERT", {}, ConnectionError("database is down"))

        adapter.inbox.store.accept = down
        async with httpx.AsyncClient(timeout=10) as client:
            first = await client.post(url, content=body, headers=headers)
            adapter.inbox.store.accept = accept
            second = await client.post(url, content=body, headers=headers)
        assert (first.status_code, second.status_code) == (503, 200)
        await h.settled()
        assert [m["text"] for m in api.bot_messages(TG[1])] == [t("zh", "help")]
    finally:
        await adapter.stop()
