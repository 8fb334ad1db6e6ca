"""The real langchain-openai client (ChatOpenAI via init_chat_model with LLM_BASE_URL) against a
local OpenAI-compatible server answering with recorded chat completions."""
from __future__ import annotations

import time

import pytest

from intents.llm import build_llm_engine
from intents.llm.engine import LLMEngine
from intents.llm.tool_specs import tool_specs
from storage.config import Settings
from tests.fakes.openai_server import FakeOpenAI, completion, recorded
from tools.base import all_tools


@pytest.fixture
def server():
    with FakeOpenAI() as fake:
        yield fake


def engine_for(server: FakeOpenAI, rules, *, timeout_s: float = 5.0) -> LLMEngine:
    settings = Settings(_env_file=None, engine="llm", llm_model="gpt-4o-mini", llm_base_url=server.base_url,
                        llm_timeout_s=timeout_s)
    engine = build_llm_engine(settings, rules=rules)
    assert isinstance(engine, LLMEngine)
    return engine


TEXT = "刚和北辰的许涛通了电话，二期质检方案他们认可了，转入谈判。周五下午两点提醒我发合同初稿"


def test_request_carries_the_registry_schemas_and_calls_come_back_in_contract_form(server, rules, make_ctx):
    server.answer(recorded("call_stage_reminder"))
    parse = engine_for(server, rules).parse(TEXT, make_ctx(1))

    [request] = server.requests
    assert request["model"] == "gpt-4o-mini" and request["temperature"] == 0
    assert request["tools"] == tool_specs(all_tools().values())
    assert request["messages"][0]["role"] == "system" and "北辰汽车" in request["messages"][0]["content"]
    assert request["messages"][-1] == {"role": "user", "content": TEXT}
    assert server.headers[0]["authorization"] == "Bearer not-needed"

    assert parse.engine == "llm" and parse.fallback_reason is None
    assert parse.to_json() == [
        {"name": "log_visit", "args": {"account": "北辰汽车", "contacts": ["许涛"], "occurred_on": "2026-11-25",
                                       "channel": "phone", "summary": "二期质检方案客户认可"}},
        {"name": "update_opportunity", "args": {"account": "北辰汽车", "stage": "negotiation"}},
        {"name": "create_reminder", "args": {"due_at": "2026-11-27T14:00", "text": "给北辰发合同初稿",
                                             "account": "北辰汽车"}},
    ]
    assert (parse.model, parse.prompt_tokens, parse.completion_tokens) == ("gpt-4o-mini", 2391, 142)


def test_repair_round_over_the_wire(server, rules, make_ctx):
    server.answer(recorded("won_invalid"))
    server.answer(recorded("won_repaired"))
    parse = engine_for(server, rules).parse("Initech closed at 1.2M, contract signed yesterday", make_ctx(4))

    assert parse.engine == "llm"
    assert parse.to_json() == [{"name": "update_opportunity",
                                "args": {"account": "Initech", "stage": "won", "amount": 1200000, "currency": "USD"}}]
    first, repair = server.requests
    assert repair["messages"][: len(first["messages"])] == first["messages"]
    assistant, tool_result, request = repair["messages"][len(first["messages"]):]
    assert assistant["role"] == "assistant" and assistant["tool_calls"][0]["id"] == "call_Vb6dQ1eM5kLs"
    assert tool_result["role"] == "tool" and tool_result["tool_call_id"] == "call_Vb6dQ1eM5kLs"
    assert '"field": "stage"' in tool_result["content"] and '"field": "amount"' in tool_result["content"]
    assert request["role"] == "user" and "schemas" in request["content"]
    assert (parse.prompt_tokens, parse.completion_tokens) == (2210 + 2398, 48 + 46)
    assert rules.seen == []


def test_invalid_twice_falls_back_to_rules(server, rules, make_ctx):
    text = "Initech closed at 1.2M"
    rules.add(text, [{"name": "update_opportunity", "args": {"account": "Initech", "stage": "won",
                                                             "amount": 1200000, "currency": "USD"}}])
    server.answer(recorded("won_invalid"))
    server.answer(recorded("won_invalid"))
    parse = engine_for(server, rules).parse(text, make_ctx(4))
    assert parse.engine == "rules" and parse.fallback_reason.startswith("invalid_calls:")
    assert parse.note == "LLM gave invalid calls → offline rules"
    assert parse.to_json()[0]["args"]["stage"] == "won"
    assert len(server.requests) == 2 and parse.prompt_tokens == 2 * 2210


def test_timeout_falls_back(server, rules, make_ctx):
    server.answer(completion([("list_reminders", {})]), delay_s=5)
    server.answer(completion([("list_reminders", {})]), delay_s=5)
    engine = engine_for(server, rules, timeout_s=0.3)
    started = time.monotonic()
    parse = engine.parse("我今天有什么提醒", make_ctx(1))
    assert parse.engine == "rules" and parse.fallback_reason == "timeout"
    assert parse.note == "大模型超时，改用离线规则"
    assert time.monotonic() - started < 4


def test_server_error_falls_back_after_one_retry(server, rules, make_ctx):
    server.fail(500)
    server.fail(500)
    parse = engine_for(server, rules).parse("本季度pipeline", make_ctx(3))
    assert parse.engine == "rules" and parse.fallback_reason.startswith("provider_error:")
    assert parse.fallback_reason.endswith("(500)")
    assert len(server.requests) == 2


def test_refused_key_falls_back_without_retry(server, rules, make_ctx):
    server.fail(401, "Incorrect API key provided")
    parse = engine_for(server, rules).parse("本季度pipeline", make_ctx(3))
    assert parse.fallback_reason.startswith("provider_error:") and parse.fallback_reason.endswith("(401)")
    assert len(server.requests) == 1


def test_plain_answer_means_no_calls(server, rules, make_ctx):
    server.answer(recorded("no_call"))
    parse = engine_for(server, rules).parse("谢谢！", make_ctx(1))
    assert parse.engine == "llm" and parse.calls == [] and parse.prompt_tokens == 2150
