"""Forecast and potential questions answered in chat, zh and en, through the real loop, the
rules engine and the demo CRM; the usage events those conversations leave behind are counted."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from analytics.usage import usage
from bot.app import build_app
from bot.loop import ConversationLoop
from intents.rules.engine import RulesEngine
from storage.config import Settings
from storage.db import make_engine, session_scope
from tests.bot.conftest import message
from tests.demo_db import demo_database

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def demo_loop(tmp_path_factory):
    url = demo_database(tmp_path_factory.mktemp("demo"), TODAY, link_users=(1, 3, 5), now=NOW)
    app = build_app(Settings(_env_file=None, database_url=url), clock=lambda: NOW, engine=RulesEngine(),
                    db=make_engine(url), run_migrations=False)
    return ConversationLoop(app)


def ask(loop: ConversationLoop, user: int, text: str) -> str:
    out = loop.handle_sync(message(user, text))
    return "\n".join(r.text for r in out.replies)


def test_next_quarter_forecast_in_chinese(demo_loop):
    text = ask(demo_loop, 3, "下季度能签多少")
    assert text.startswith("📈 2027Q1 成交预测（团队）")
    assert "80%区间 ¥" in text and "在谈" in text and "成交趋势" in text


def test_forecast_by_rep_in_english(demo_loop):
    text = ask(demo_loop, 5, "forecast next quarter by rep")
    lines = text.splitlines()
    assert lines[0] == "📈 Forecast for 2027Q1 (team)"
    assert "(80% range $" in lines[1]
    assert any(line.startswith("• Alice Chen $") for line in lines)
    assert any(line.startswith("• Daniel Brooks $") for line in lines)


def test_potential_in_both_languages(demo_loop):
    zh = ask(demo_loop, 3, "哪些客户值得重点跟").splitlines()
    assert zh[0] == "🎯 最值得重点跟进的客户（团队）"
    assert [line.split(".")[0] for line in zh[1:6]] == ["1", "2", "3", "4", "5"]
    assert "分" in zh[1] and "［" in zh[1]
    en = ask(demo_loop, 5, "which accounts have the most potential").splitlines()
    assert en[0] == "🎯 Accounts with the most potential (team)"
    assert len([line for line in en if line[:2] in ("1.", "2.", "3.", "4.", "5.")]) == 5


def test_a_rep_gets_their_own_forecast(demo_loop):
    text = ask(demo_loop, 1, "我下季度能签多少")
    assert text.startswith("📈 2027Q1 成交预测（我的）")


def test_usage_counts_match_the_conversation(demo_loop):
    start = NOW.astimezone(TZ).date()
    with session_scope(demo_loop.app.db) as session:
        before = usage(session=session, start=start, end=date(2026, 12, 8), tz=TZ)
    ask(demo_loop, 1, "帮助")
    card = demo_loop.handle_sync(message(1, "今天拜访了蓝鲸李总，聊了扩容方案")).replies[-1]
    cancel = next(c.id for c in card.choices if c.id.endswith(":cancel"))
    demo_loop.handle_sync(message(1, choice=cancel))
    card = demo_loop.handle_sync(message(1, "今天拜访了蓝鲸李总，聊了扩容方案")).replies[-1]
    confirm = next(c.id for c in card.choices if c.id.endswith(":confirm"))
    demo_loop.handle_sync(message(1, choice=confirm))
    ask(demo_loop, 1, "哪些客户值得重点跟")
    with session_scope(demo_loop.app.db) as session:
        after = usage(session=session, start=start, end=date(2026, 12, 8), tz=TZ, rep_ids=[1])
    assert after.messages - before.messages == 6
    assert after.message_kinds["choice"] - before.message_kinds.get("choice", 0) == 2
    assert after.feature_counts["help"] - before.feature_counts["help"] == 1
    assert after.feature_counts["log_visit"] - before.feature_counts["log_visit"] == 1
    assert after.feature_counts["account_potential"] - before.feature_counts["account_potential"] == 1
    assert after.cards["confirmed"] - before.cards["confirmed"] == 1
    assert after.cards["cancelled"] - before.cards["cancelled"] == 1
    assert "reassign_accounts" in after.never_used
    rep = after.per_rep[0]
    assert rep.user_id == 1 and rep.records >= 1 and rep.active_days == 1
    assert after.visit_to_record_days["median"] == 0
