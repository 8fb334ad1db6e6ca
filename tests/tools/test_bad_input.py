"""Bad input gets a clear refusal and leaves the database exactly as it was."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from tools.base import ToolError, get_tool

REFUSED = [
    (3, "approve_quote", {"quote_id": 424242}, "quote_not_found"),
    (3, "approve_quote", {"quote_id": 101}, "quote_not_found"),
    (1, "approve_quote", {"quote_id": 102}, "cannot_decide_own_quote"),
    (1, "create_quote", {"account": "蓝鲸", "amount": "100000000000.01"}, "amount_out_of_range"),
    (1, "update_opportunity", {"account": "蓝鲸", "amount": "999999999999"}, "amount_out_of_range"),
    (1, "create_reminder", {"due_at": "2026-11-25T09:00", "text": "已经过了"}, "reminder_in_past"),
    (1, "log_visit", {"account": "蓝", "contacts": ["新人"]}, "ambiguous_account"),
    (1, "update_opportunity", {"account": "数据", "stage": "won"}, "ambiguous_account"),
    (1, "create_quote", {"account": "蓝", "amount": 1000}, "ambiguous_account"),
    (1, "create_quote", {"account": "查无此公司", "amount": 1000}, "unknown_account"),
    (1, "account_overview", {"account": "查无此公司"}, "unknown_account"),
    (1, "log_visit", {"account": "Acme", "contacts": ["Brand New"]}, "account_not_in_reach"),
    (1, "log_visit", {"account": "金桥物流", "contacts": ["Brand New"]}, "not_your_account"),
    (3, "reassign_accounts", {"from_user": "王磊", "to_user": "查无此人"}, "unknown_user"),
]


@pytest.mark.parametrize("actor, name, args, code", REFUSED, ids=[c for *_, c in REFUSED])
def test_refusal_writes_nothing(runner, actor, name, args, code):
    before = runner.counts()
    with pytest.raises(ToolError) as err:
        runner.run(actor, name, **args)
    assert err.value.code == code
    assert runner.counts() == before


@pytest.mark.parametrize("name, args", [
    ("create_quote", {"account": "蓝鲸", "amount": -5}),
    ("create_quote", {"account": "蓝鲸", "amount": 0}),
    ("create_quote", {"account": "蓝鲸", "amount": 1000, "discount_pct": 100}),
    ("update_opportunity", {"account": "蓝鲸", "amount": -1}),
    ("update_opportunity", {"account": "蓝鲸", "stage": "closed"}),
    ("create_reminder", {"due_at": "next friday", "text": "x"}),
    ("approve_quote", {}),
    ("top_accounts", {"limit": 0}),
])
def test_schema_rejects_impossible_arguments(name, args):
    with pytest.raises(ValidationError):
        get_tool(name).validate(args)


def test_unknown_tool_is_a_tool_error():
    with pytest.raises(ToolError) as err:
        get_tool("delete_everything")
    assert err.value.code == "unknown_tool"
