"""Every ToolError code a tool (or the code running tools) can raise has a zh and an en message."""
import re
from pathlib import Path

import pytest

from prompts.errors import ERRORS, render_error

ROOT = Path(__file__).resolve().parents[2]
RAISED = re.compile(r"ToolError\(\s*[\"']([a-z_]+)[\"']")


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for folder in ("tools", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            codes |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    return codes


def test_the_scan_finds_the_codes():
    assert {"quote_not_found", "reminder_in_past", "ambiguous_account", "unknown_tool"} <= raised_codes()


@pytest.mark.parametrize("code", sorted(raised_codes()))
def test_every_raised_code_has_both_templates(code):
    assert code in ERRORS, f"{code} has no message in prompts/errors.py"
    assert set(ERRORS[code]) == {"zh", "en"}
    assert ERRORS[code]["zh"].strip() and ERRORS[code]["en"].strip()


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_templates_render_with_and_without_params(code):
    for lang in ("zh", "en"):
        bare = render_error(code, {}, lang)
        assert bare and "{" not in bare


def test_params_are_filled_in_the_users_language():
    assert render_error("several_pending_quotes", {"account": "Acme", "quote_ids": [101, 103]}, "en") == (
        "Acme has several pending quotes: #101, #103. Say which, e.g. \"approve #101\".")
    assert render_error("quote_not_pending", {"quote_id": 7, "status": "rejected"}, "zh") == "报价 #7 已驳回，不能再审批。"
    assert "2026-11-24 09:00" in render_error("reminder_in_past", {"due_at": "2026-11-24T09:00+08:00"}, "en")
    assert "其他同事" in render_error("not_your_account", {"account": "Acme", "owner": None}, "zh")
    assert render_error("ambiguous_account", {"mention": "蓝", "candidates": ["蓝鲸数据", "蓝海数据"]}, "zh") == (
        "「蓝」对应多个客户：蓝鲸数据、蓝海数据。请说明是哪一个。")


def test_unknown_codes_fall_back_to_a_safe_message():
    assert render_error("something_new", {}, "en") == "That didn't go through (something_new); nothing was saved."
    assert "something_new" in render_error("something_new", None, "fr")
