import re
from pathlib import Path

import pytest

from tools.base import all_tools

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "eval" / "CONTRACT.md"
WRITES = {"log_visit", "update_opportunity", "create_quote", "approve_quote", "reject_quote",
          "create_reminder", "reassign_accounts"}
READS = {"list_reminders", "list_pending_approvals", "top_accounts", "pipeline_report",
         "account_overview", "data_health", "suggest_next_steps"}
# reads beyond CONTRACT.md's table: analytics answers (forecast, potential) with no eval cases
ANALYTICS = {"sales_forecast", "account_potential"}
# tools beyond CONTRACT.md's table: chat actions the eval sets do not score
EXTRA_WRITES = {"rename_opportunity", "rename_account", "complete_reminder", "delete_reminder", "move_reminder",
                "create_lead", "update_lead", "convert_lead"}
EXTRA_READS = {"weekly_report"}


def test_every_contract_tool_is_registered_with_its_write_flag():
    tools = all_tools()
    assert set(tools) == WRITES | READS | ANALYTICS | EXTRA_WRITES | EXTRA_READS
    assert {n for n, t in tools.items() if t.writes} == WRITES | EXTRA_WRITES


def test_registered_names_match_the_contract_table():
    if not CONTRACT.exists():
        pytest.skip("CONTRACT.md is not next to this checkout")
    names = set(re.findall(r"^\| `([a-z_]+)` \|", CONTRACT.read_text(encoding="utf-8"), flags=re.M))
    assert names == set(all_tools()) - ANALYTICS - EXTRA_WRITES - EXTRA_READS


def test_each_tool_has_a_description_and_a_schema_without_context():
    for name, tool in all_tools().items():
        assert len(tool.description) > 60, name
        schema = tool.json_schema()
        assert schema["type"] == "object"
        assert not {"ctx", "session", "user"} & set(schema.get("properties", {})), name
