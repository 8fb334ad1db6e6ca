"""Results are data, not text, and JSON-ready: a draft row can keep them and a renderer can read
them later without the database."""
import json

import pytest

from tests.tools.conftest import ADMIN_ID

CALLS = [
    (1, "log_visit", {"account": "星河科技", "contacts": ["张三"], "channel": "video"}),
    (1, "update_opportunity", {"account": "蓝鲸", "stage": "negotiation", "expected_close": "2026-12-31"}),
    (1, "create_quote", {"account": "蓝鲸", "amount": 700000, "discount_pct": 7.5}),
    (3, "approve_quote", {"quote_id": 102, "comment": "ok"}),
    (3, "reject_quote", {"quote_id": 104}),
    (1, "create_reminder", {"due_at": "2026-11-26T09:00", "text": "x", "account": "青松"}),
    (1, "list_reminders", {"period": "this_week"}),
    (ADMIN_ID, "list_pending_approvals", {}),
    (ADMIN_ID, "top_accounts", {"metric": "won", "period": "this_year"}),
    (ADMIN_ID, "pipeline_report", {"period": "this_year"}),
    (ADMIN_ID, "account_overview", {"account": "Northwind"}),
    (ADMIN_ID, "data_health", {}),
    (ADMIN_ID, "suggest_next_steps", {"account": "瑞丰"}),
    (ADMIN_ID, "reassign_accounts", {"from_user": "Alice", "to_user": "Bob"}),
]


@pytest.mark.parametrize("actor, name, args", CALLS, ids=[c[1] for c in CALLS])
def test_results_and_notices_are_plain_json(runner, actor, name, args):
    result = runner.run(actor, name, **args)
    assert result.tool == name
    assert json.loads(json.dumps(result.data)) == result.data
    assert result.data["as_of"] == "2026-11-25"
    for notice in result.notify:
        assert json.loads(json.dumps(notice.data)) == notice.data
