from datetime import date

import pytest

from bot.render_results import Fmt, describe_call, render_notice, render_result
from tests.tools.conftest import ToolRunner
from storage.config import Settings
from tools.base import Notice, ToolCall, ToolResult

TODAY = date(2026, 11, 25)


@pytest.fixture
def runner(crm_sqlite, clock):
    return ToolRunner(crm_sqlite, clock, Settings(_env_file=None))


def test_money_keeps_its_currency_and_thousands():
    f = Fmt("zh", TODAY)
    assert f.money({"amount": "800000.00", "currency": "CNY"}) == "¥800,000"
    assert f.money({"amount": "250000.50", "currency": "USD"}) == "$250,000.50"
    assert f.money({"amount": "1200", "currency": "CHF"}) == "CHF 1,200"
    assert f.money(None) == "—"
    assert f.money_list([{"amount": "1", "currency": "CNY"}, {"amount": "2", "currency": "EUR"}]) == "¥1 + €2"


def test_dates_are_short_within_the_year():
    assert Fmt("zh", TODAY).day("2026-03-05") == "03-05"
    assert Fmt("zh", TODAY).day("2027-01-10") == "2027-01-10"
    assert Fmt("en", None).day("2026-03-05") == "2026-03-05"
    assert Fmt("en", TODAY).moment("2026-11-26T15:00+08:00") == "11-26 15:00"


def test_card_lines_for_pending_writes(runner):
    visit = runner.run(1, "log_visit", account="蓝鲸", contacts=["李总"], channel="onsite")
    assert describe_call(ToolCall("log_visit", {"account": "蓝鲸"}), visit, "zh") == "📝 拜访 蓝鲸数据 · 李明 · 11-25 上门"

    deal = runner.run(1, "update_opportunity", account="蓝鲸", stage="negotiation", amount=800001)
    assert describe_call(ToolCall("update_opportunity", {}), deal, "zh") == "💼 蓝鲸数据 数据平台扩容: 评估 → 谈判, ¥800,001"

    new = runner.run(1, "log_visit", account="星河科技")
    assert describe_call(ToolCall("log_visit", {}), new, "zh").splitlines()[-1] == "➕ 新客户：星河科技"
    assert describe_call(ToolCall("log_visit", {}), new, "en").splitlines()[-1] == "➕ New account: 星河科技"

    reminder = runner.run(1, "create_reminder", due_at="2026-11-27T15:00", text="回电话", account="青松")
    assert describe_call(ToolCall("create_reminder", {}), reminder, "en") == "⏰ 11-27 15:00 · 回电话 · 青松制药"


def test_card_lines_without_a_preview_use_the_arguments():
    line = describe_call(ToolCall("update_opportunity", {"account": "Acme", "stage": "won", "amount": 5000,
                                                         "currency": "USD"}), None, "en", today=TODAY)
    assert line == "💼 Acme: won, $5,000"
    assert describe_call(ToolCall("approve_quote", {"quote_id": 101}), None, "zh") == "✅ 批准 #101"
    assert describe_call(ToolCall("log_visit", {"account": "X", "occurred_on": "2026-11-20", "channel": "phone"}),
                         None, "zh", today=TODAY) == "📝 拜访 X · 11-20 电话"


READS_AND_WRITES = [
    (1, "log_visit", {"account": "蓝鲸", "contacts": ["李总"], "summary": "聊扩容", "next_step": "发方案"}, "蓝鲸数据"),
    (1, "update_opportunity", {"account": "青松", "stage": "won"}, "青松制药"),
    (1, "create_quote", {"account": "北辰", "amount": 1500000, "discount_pct": 12}, "1,500,000"),
    (3, "approve_quote", {"quote_id": 102}, "#102"),
    (3, "reject_quote", {"quote_id": 104, "comment": "再谈谈"}, "再谈谈"),
    (1, "create_reminder", {"due_at": "2026-11-26T09:00", "text": "回访"}, "11-26 09:00"),
    (1, "list_reminders", {}, "⏰"),
    (3, "list_pending_approvals", {}, "#102"),
    (3, "top_accounts", {"metric": "pipeline"}, "北辰汽车"),
    (3, "pipeline_report", {}, "¥"),
    (3, "account_overview", {"account": "蓝鲸"}, "李明"),
    (3, "data_health", {}, "/100"),
    (4, "suggest_next_steps", {"account": "Acme"}, "#101"),
    (3, "reassign_accounts", {"from_user": "王磊", "to_user": "李娜", "account": "天衡"}, "李娜"),
]


@pytest.mark.parametrize("actor, name, args, fact", READS_AND_WRITES, ids=[c[1] for c in READS_AND_WRITES])
def test_every_tool_has_a_short_facts_first_rendering(runner, actor, name, args, fact):
    result = runner.run(actor, name, **args)
    for lang in ("zh", "en"):
        text = render_result(result, lang)
        assert fact in text, (lang, text)
        assert "{" not in text and "None" not in text, text
        assert len(text.splitlines()) <= 14


def test_language_follows_the_reader(runner):
    result = runner.run(3, "pipeline_report")
    assert "赢率" in render_result(result, "zh") and "win rate" in render_result(result, "en")


def test_unknown_results_fall_back_to_their_facts():
    text = render_result(ToolResult("export_csv", {"rows": 12, "path": "/tmp/x.csv"}), "en")
    assert text == "✅ rows: 12; path: /tmp/x.csv"


def test_notices_for_approver_requester_and_receiver(runner):
    created = runner.run(1, "create_quote", account="北辰", amount=1500000, discount_pct=12, note="年底")
    [request] = created.notify
    text = render_notice(request, "zh")
    assert "#" in text and "¥1,500,000" in text and "王磊" in text and "年底" in text
    decided = runner.run(3, "reject_quote", quote_id=request.data["quote_id"], comment="折扣太大")
    assert "折扣太大" in render_notice(decided.notify[0], "en") and "rejected by 张伟" in render_notice(decided.notify[0], "en")
    handed = runner.run(3, "reassign_accounts", from_user="王磊", to_user="李娜", account="蓝鲸")
    brief = render_notice(handed.notify[0], "zh")
    assert "蓝鲸数据" in brief and "数据平台扩容" in brief and "李明(CTO)" in brief
    assert render_notice(Notice(1, "something_else", {"n": 1}), "en") == "✅ n: 1"


def test_a_deal_named_after_its_account_shows_the_account_once():
    def line(account: str, deal_name: str) -> str:
        preview = ToolResult("update_opportunity", {"account": {"name": account}, "changes": {},
                                                    "opportunity": {"name": deal_name, "stage": "prospect"}})
        return describe_call(ToolCall("update_opportunity", {}), preview, "zh", today=TODAY)

    assert line("蓝鲸数据", "蓝鲸数据 商机") == "💼 蓝鲸数据 商机: 潜在"
    assert line("Acme", "Acme renewal 2027") == "💼 Acme renewal 2027: 潜在"
    assert line("蓝鲸数据", "数据平台扩容") == "💼 蓝鲸数据 数据平台扩容: 潜在"
