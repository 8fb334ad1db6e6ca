"""The model is bound with the registry's own schemas: same names, docstrings and argument models."""
from __future__ import annotations

import json

from intents.llm.tool_specs import inline_refs, tool_specs
from tests.tools.test_registry import EXTRA_READS, EXTRA_WRITES
from tools.base import all_tools

CONTRACT_TOOLS = {"log_visit", "update_opportunity", "create_quote", "approve_quote", "reject_quote",
                  "create_reminder", "list_reminders", "list_pending_approvals", "top_accounts",
                  "pipeline_report", "account_overview", "suggest_next_steps", "data_health",
                  "reassign_accounts"}
ANALYTICS_TOOLS = {"sales_forecast", "account_potential"}


def test_every_contract_tool_is_offered_with_its_docstring_and_schema():
    tools = all_tools()
    specs = {s["function"]["name"]: s for s in tool_specs(tools.values())}
    assert set(specs) == CONTRACT_TOOLS | ANALYTICS_TOOLS | EXTRA_WRITES | EXTRA_READS  # the whole registry
    for name, spec in specs.items():
        tool = tools[name]
        assert spec["type"] == "function"
        assert spec["function"]["description"] == tool.description
        params = spec["function"]["parameters"]
        assert params == inline_refs(tool.json_schema())
        assert set(params["properties"]) == set(tool.args_model.model_fields)
        assert set(params.get("required", [])) == {f for f, info in tool.args_model.model_fields.items()
                                                   if info.is_required()}
        assert "$ref" not in json.dumps(params) and "$defs" not in params


def test_stage_enum_is_inlined_with_the_field_description():
    params = {s["function"]["name"]: s["function"]["parameters"] for s in tool_specs(all_tools().values())}
    stage = params["update_opportunity"]["properties"]["stage"]
    enum_branch = next(b for b in stage["anyOf"] if "enum" in b)
    assert enum_branch["enum"] == ["prospect", "evaluation", "negotiation", "won", "lost"]
    assert "negotiation" in stage["description"]


def test_inline_refs_keeps_sibling_keys_and_leaves_the_input_alone():
    schema = {"$defs": {"Color": {"enum": ["red", "blue"], "type": "string"}},
              "properties": {"c": {"$ref": "#/$defs/Color", "description": "a color"},
                             "cs": {"type": "array", "items": {"$ref": "#/$defs/Color"}}}}
    out = inline_refs(schema)
    assert out == {"properties": {"c": {"enum": ["red", "blue"], "type": "string", "description": "a color"},
                                  "cs": {"type": "array", "items": {"enum": ["red", "blue"], "type": "string"}}}}
    assert "$defs" in schema
