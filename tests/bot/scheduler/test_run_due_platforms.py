"""`salesbot jobs run-due` from cron delivers through every platform configured that can send
without the running bot: the real CLI (DATABASE_URL, an injected --at) against the fake WeCom,
Feishu and Telegram servers. A due reminder arrives once on each, a second run sends nothing again, --dry-run
sends nothing, WeChat users' reminders wait for the running bot, and a platform that refuses its
credentials is skipped while the others still deliver."""
from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from bot.cli import main
from bot.identity import link
from storage.db import session_scope
from storage.models import ReminderStatus
from tests.bot.scheduler.conftest import add_reminder, quiet_everyone_off, reminder
from tests.fakes.feishu_server import FakeFeishu
from tests.fakes.telegram_server import FakeBotApi
from tests.fakes.wecom_server import FakeWeCom

WECOM_USER, FEISHU_USER, TELEGRAM_USER, WECHAT_USER = 1, 2, 3, 4
TELEGRAM_CHAT = 5003


@pytest.fixture
async def servers(app, clock, monkeypatch):
    """Both fakes running, the environment pointing the CLI at them and at the test database,
    user 1 on WeCom, user 2 on Feishu, user 3 on Telegram, user 4 on WeChat only, each with a
    reminder due."""
    async with FakeWeCom() as wecom, FakeFeishu() as feishu, FakeBotApi() as telegram:
        env = {"DATABASE_URL": app.db.url.render_as_string(hide_password=False),
               "TELEGRAM_BOT_TOKEN": telegram.token, "TELEGRAM_BASE_URL": telegram.base_url,
               "TELEGRAM_BASE_FILE_URL": telegram.base_file_url,
               "WECOM_CORP_ID": wecom.corp_id, "WECOM_AGENT_ID": str(wecom.agent_id), "WECOM_SECRET": wecom.secret,
               "WECOM_TOKEN": wecom.token, "WECOM_ENCODING_AES_KEY": wecom.aes_key, "WECOM_API_BASE": wecom.base_url,
               "FEISHU_APP_ID": feishu.app_id, "FEISHU_APP_SECRET": feishu.app_secret,
               "FEISHU_VERIFICATION_TOKEN": feishu.verification_token, "FEISHU_ENCRYPT_KEY": feishu.encrypt_key,
               "FEISHU_API_BASE": feishu.base_url, "WECHATY_PUPPET_SERVICE_TOKEN": "puppet-token"}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        quiet_everyone_off(app.db)
        with session_scope(app.db) as session:
            link(WECOM_USER, "wecom", "WangLei", chat_id="WangLei", session=session, now=clock())
            link(FEISHU_USER, "feishu", "ou_user2", session=session, now=clock())
            link(TELEGRAM_USER, "telegram", str(TELEGRAM_CHAT), chat_id=str(TELEGRAM_CHAT), session=session,
                 now=clock())
            link(WECHAT_USER, "wechat", "wxid_alice", chat_id="wxid_alice", session=session, now=clock())
        due = clock() + timedelta(hours=1)
        ids = {who: add_reminder(app.db, who, due, text=f"回访客户{who}号")
               for who in (WECOM_USER, FEISHU_USER, TELEGRAM_USER, WECHAT_USER)}
        yield wecom, feishu, telegram, ids, (due + timedelta(minutes=5)).isoformat()


async def run_due(capsys, *args: str) -> tuple[int, str, str]:
    """The CLI in a worker thread (it runs its own event loop), the fakes answering on this one."""
    capsys.readouterr()
    code = await asyncio.to_thread(main, ["jobs", "run-due", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _reminders_shown(wecom: FakeWeCom, feishu: FakeFeishu, telegram: FakeBotApi) -> list[list[str]]:
    """The reminder messages each platform's user got: WeCom, Feishu, Telegram."""
    return [[m.text for m in wecom.messages("WangLei") if "回访客户" in m.text],
            [m.text for m in feishu.bot_messages(FakeFeishu.p2p_chat("ou_user2")) if "回访客户" in m.text],
            [m["text"] for m in telegram.bot_messages(TELEGRAM_CHAT) if "回访客户" in m.get("text", "")]]


def _sends(wecom: FakeWeCom, feishu: FakeFeishu, telegram: FakeBotApi) -> tuple[int, int, int]:
    return (len(wecom.calls_of("message/send")), len(feishu.calls_to("POST", "/open-apis/im/v1/messages")),
            len([c for c in telegram.calls if c.method.startswith("send")]))


ALL_SHOWN = [["⏰ 提醒：回访客户1号"], ["⏰ 提醒：回访客户2号"], ["⏰ 提醒：回访客户3号"]]


async def test_a_due_reminder_reaches_each_platform_once(app, servers, capsys):
    wecom, feishu, telegram, ids, at = servers

    code, out, _ = await run_due(capsys, "--at", at, "--dry-run", "--json")
    listed = json.loads(out)
    assert code == 0 and sorted(r["id"] for r in listed["reminders"]) == sorted(ids.values())
    assert listed["send_through"] == ["telegram", "wecom", "feishu"] and listed["wait_for_bot"] == ["wechat"]
    assert wecom.calls == [] and feishu.calls == [] and telegram.calls == []  # a dry run opens no connection
    assert all(reminder(app.db, rid).status == ReminderStatus.pending for rid in ids.values())

    code, out, err = await run_due(capsys, "--at", at, "--json")
    first = json.loads(out)
    assert (code, err) == (0, ""), err
    assert first["reminders_sent"] == 3 and first["refused"] == {}
    assert first["sent_through"] == ["telegram", "wecom", "feishu"] and first["wait_for_bot"] == ["wechat"]
    assert _reminders_shown(wecom, feishu, telegram) == ALL_SHOWN
    assert [m.msgtype for m in wecom.messages("WangLei") if "回访客户" in m.text] == ["template_card"]
    assert [m["reply_markup"]["inline_keyboard"] for m in telegram.bot_messages(TELEGRAM_CHAT)
            if "回访客户" in m.get("text", "")][0]  # done / snooze buttons
    assert {reminder(app.db, ids[who]).status for who in (WECOM_USER, FEISHU_USER, TELEGRAM_USER)} == {
        ReminderStatus.sent}
    assert reminder(app.db, ids[WECHAT_USER]).status == ReminderStatus.pending  # the running WeChat bot sends it

    sends = _sends(wecom, feishu, telegram)
    code, out, _ = await run_due(capsys, "--at", at)
    assert code == 0 and "reminders sent 0" in out and "jobs sent 0" in out
    assert "sent through: telegram, wecom, feishu" in out
    assert "wechat: messages wait for the running bot (salesbot run --platform wechat)" in out
    assert _sends(wecom, feishu, telegram) == sends
    assert _reminders_shown(wecom, feishu, telegram) == ALL_SHOWN


async def test_a_refused_platform_is_skipped_and_the_others_still_deliver(app, servers, capsys, monkeypatch):
    wecom, feishu, telegram, ids, at = servers
    monkeypatch.setenv("FEISHU_APP_SECRET", "a-revoked-secret")

    code, out, err = await run_due(capsys, "--at", at, "--json")
    result = json.loads(out)
    assert code == 1 and result["sent_through"] == ["telegram", "wecom"] and list(result["refused"]) == ["feishu"]
    assert "feishu not used" in err and "FEISHU_APP_SECRET" in err and "a-revoked-secret" not in err + out
    assert _reminders_shown(wecom, feishu, telegram) == [ALL_SHOWN[0], [], ALL_SHOWN[2]]
    assert reminder(app.db, ids[FEISHU_USER]).status == ReminderStatus.pending  # sent once Feishu takes it

    monkeypatch.setenv("FEISHU_APP_SECRET", feishu.app_secret)
    code, out, _ = await run_due(capsys, "--at", at, "--json")
    assert code == 0 and json.loads(out)["reminders_sent"] == 1
    assert _reminders_shown(wecom, feishu, telegram) == ALL_SHOWN


async def test_a_refused_telegram_token_is_not_printed(app, servers, capsys, monkeypatch):
    wecom, feishu, telegram, ids, at = servers
    wrong = "123456:" + "X" * 35
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", wrong)
    code, out, err = await run_due(capsys, "--at", at)
    assert code == 1 and "telegram not used" in err and "TELEGRAM_BOT_TOKEN" in err
    assert wrong not in out + err and "XXXX" not in out + err
    assert reminder(app.db, ids[TELEGRAM_USER]).status == ReminderStatus.pending


async def test_no_platform_configured_leaves_everything_queued(app, servers, capsys, monkeypatch):
    for name in ("TELEGRAM_BOT_TOKEN", "WECOM_CORP_ID", "FEISHU_APP_ID", "WECHATY_PUPPET_SERVICE_TOKEN"):
        monkeypatch.delenv(name)
    wecom, feishu, telegram, ids, at = servers
    code, out, _ = await run_due(capsys, "--at", at)
    assert code == 0 and "reminders sent 0" in out and "no chat platform to send through" in out
    assert wecom.calls == [] and feishu.calls == [] and telegram.calls == []
    assert all(reminder(app.db, rid).status == ReminderStatus.pending for rid in ids.values())


async def test_a_half_configured_platform_is_named_and_skipped(app, servers, capsys, monkeypatch):
    wecom, feishu, telegram, ids, at = servers
    monkeypatch.delenv("WECOM_SECRET")
    code, out, err = await run_due(capsys, "--at", at, "--json")
    assert code == 1 and "wecom not used: WECOM_SECRET is not set" in err
    assert json.loads(out)["sent_through"] == ["telegram", "feishu"] and wecom.calls == []
    assert reminder(app.db, ids[WECOM_USER]).status == ReminderStatus.pending
