"""The LLM engine's flow with a scripted chat model: calls, repair round, fallbacks, usage."""
from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from intents.llm.engine import failure_reason
from intents.llm.tool_specs import tool_specs
from tests.fakes.chat_models import ai_calls
from tools.base import all_tools

VISIT_TEXT = "今天下午去蓝鲸见了李总，聊了扩容二期，进入谈判了，周五提醒我发报价"


def test_binds_the_registry_tools_and_returns_contract_calls(llm, chat, make_ctx):
    chat.script.append(ai_calls(
        ("log_visit", {"account": "蓝鲸", "contacts": ["李总"], "occurred_on": "2026-11-25",
                       "channel": "onsite", "summary": "聊了扩容二期"}),
        ("update_opportunity", {"account": "蓝鲸数据", "stage": "negotiation"}),
        ("create_reminder", {"due_at": "2026-11-27", "text": "给蓝鲸发报价", "account": "蓝鲸"}),
        prompt_tokens=2100, completion_tokens=120))
    parse = llm.parse(VISIT_TEXT, make_ctx(1))

    assert chat.bound_tools == tool_specs(all_tools().values())
    assert parse.engine == "llm" and parse.fallback_reason is None and parse.note is None
    assert parse.to_json() == [
        {"name": "log_visit", "args": {"account": "蓝鲸数据", "contacts": ["李明"], "occurred_on": "2026-11-25",
                                       "channel": "onsite", "summary": "聊了扩容二期"}},
        {"name": "update_opportunity", "args": {"account": "蓝鲸数据", "stage": "negotiation"}},
        {"name": "create_reminder", "args": {"due_at": "2026-11-27T09:00", "text": "给蓝鲸发报价",
                                             "account": "蓝鲸数据"}},
    ]
    assert (parse.model, parse.prompt_tokens, parse.completion_tokens) == ("scripted:test", 2100, 120)
    assert len(chat.requests) == 1


def test_sends_system_prompt_recent_turns_then_the_message(llm, chat, make_ctx):
    chat.script.append(ai_calls(("update_opportunity", {"account": "青松制药", "amount": 900000})))
    ctx = make_ctx(1, history=(("user", "青松的GMP项目金额更新为80万"), ("assistant", "📋 确认写入（1 项）")))
    parse = llm.parse("改成90万", ctx)

    sent = chat.requests[0]
    assert isinstance(sent[0], SystemMessage) and "青松制药" in sent[0].content
    assert [type(m) for m in sent[1:]] == [HumanMessage, AIMessage, HumanMessage]
    assert [m.content for m in sent[1:]] == ["青松的GMP项目金额更新为80万", "📋 确认写入（1 项）", "改成90万"]
    # no currency from the model, none added: the tool keeps the deal's
    assert parse.to_json() == [{"name": "update_opportunity",
                                "args": {"account": "青松制药", "amount": 900000}}]


def test_invalid_call_gets_one_repair_round_with_the_validation_error(llm, chat, rules, make_ctx):
    chat.script += [ai_calls(("update_opportunity", {"account": "Initech", "stage": "closed_won"}),
                             prompt_tokens=1000, completion_tokens=30),
                    ai_calls(("update_opportunity", {"account": "Initech", "stage": "won"}),
                             prompt_tokens=1200, completion_tokens=25)]
    parse = llm.parse("Initech signed today", make_ctx(4))

    assert parse.engine == "llm"
    assert parse.to_json() == [{"name": "update_opportunity", "args": {"account": "Initech", "stage": "won"}}]
    repair = chat.requests[1]
    tool_results = [m for m in repair if isinstance(m, ToolMessage)]
    assert len(tool_results) == 1 and "stage" in tool_results[0].content and "invalid" in tool_results[0].content
    assert isinstance(repair[-1], HumanMessage) and "schema" in repair[-1].content
    assert (parse.prompt_tokens, parse.completion_tokens) == (2200, 55)
    assert rules.seen == []


def test_still_invalid_after_repair_falls_back_to_rules_and_says_so(llm, chat, rules, make_ctx):
    rules.add("Initech signed today", [{"name": "update_opportunity", "args": {"account": "Initech", "stage": "won"}}])
    bad = ("update_opportunity", {"account": "Initech", "stage": "closed_won"})
    chat.script += [ai_calls(bad), ai_calls(bad)]
    parse = llm.parse("Initech signed today", make_ctx(4))

    assert parse.engine == "rules"
    assert parse.fallback_reason.startswith("invalid_calls:") and "stage" in parse.fallback_reason
    assert parse.note == "LLM gave invalid calls → offline rules"
    assert parse.to_json() == [{"name": "update_opportunity", "args": {"account": "Initech", "stage": "won"}}]
    assert parse.model == "scripted:test" and parse.prompt_tokens == 1600
    assert len(chat.requests) == 2 and len(rules.seen) == 1


def test_repair_answer_without_calls_falls_back(llm, chat, rules, make_ctx):
    chat.script += [ai_calls(("create_quote", {"account": "青松制药", "amount": "五十万"})),
                    AIMessage(content="请问金额是多少？")]
    parse = llm.parse("给青松报价五十万", make_ctx(1))
    assert parse.engine == "rules" and parse.fallback_reason == "invalid_calls:no calls"
    assert parse.note == "大模型给出的调用无效，改用离线规则"


def test_unknown_tool_is_repaired(llm, chat, make_ctx):
    chat.script += [ai_calls(("approve_all_quotes", {})), ai_calls(("list_pending_approvals", {}))]
    parse = llm.parse("有哪些报价要批", make_ctx(3))
    assert parse.to_json() == [{"name": "list_pending_approvals", "args": {}}]
    tool_result = next(m for m in chat.requests[1] if isinstance(m, ToolMessage))
    assert "no tool named approve_all_quotes" in tool_result.content and "list_pending_approvals" in tool_result.content


def test_arguments_that_are_not_json_are_repaired(llm, chat, make_ctx):
    broken = AIMessage(content="", invalid_tool_calls=[{"name": "top_accounts", "args": "{period: this_week",
                                                        "id": "call_x", "error": "bad json", "type": "invalid_tool_call"}])
    chat.script += [broken, ai_calls(("top_accounts", {"period": "this_week", "scope": "team"}))]
    parse = llm.parse("本周团队最活跃的客户", make_ctx(3))
    assert parse.to_json() == [{"name": "top_accounts", "args": {"period": "this_week", "scope": "team"}}]
    assert "not valid JSON" in next(m for m in chat.requests[1] if isinstance(m, ToolMessage)).content


def test_missing_required_argument_becomes_a_question_without_repair(llm, chat, make_ctx):
    chat.script.append(ai_calls(("create_reminder", {"text": "给蓝鲸回电话", "account": "蓝鲸"})))
    parse = llm.parse("提醒我给蓝鲸回电话", make_ctx(1))
    assert parse.engine == "llm" and len(chat.requests) == 1
    assert parse.to_json() == [{"name": "create_reminder", "args": {"text": "给蓝鲸回电话", "account": "蓝鲸数据"}}]
    assert [(q.kind, q.call_index, q.arg) for q in parse.questions] == [("missing", 0, "due_at")]


def test_no_tool_call_means_nothing_to_do(llm, chat, rules, make_ctx):
    chat.script.append(AIMessage(content="不客气！", usage_metadata={"input_tokens": 700, "output_tokens": 5,
                                                                   "total_tokens": 705}))
    parse = llm.parse("谢谢", make_ctx(1))
    assert parse.engine == "llm" and parse.calls == [] and parse.questions == []
    assert rules.seen == []


def test_provider_error_falls_back(llm, chat, rules, make_ctx):
    rules.add("本季度pipeline", [{"name": "pipeline_report", "args": {"period": "this_quarter"}}])
    chat.script.append(ConnectionError("connection refused"))
    parse = llm.parse("本季度pipeline", make_ctx(3))
    assert parse.engine == "rules" and parse.fallback_reason == "provider_error:ConnectionError"
    assert parse.note == "大模型暂不可用，改用离线规则"
    assert parse.to_json() == [{"name": "pipeline_report", "args": {"period": "this_quarter"}}]
    assert parse.prompt_tokens is None


def test_timeout_falls_back(llm, chat, rules, make_ctx):
    chat.script.append(TimeoutError("read timed out"))
    parse = llm.parse("top accounts this week", make_ctx(5))
    assert parse.engine == "rules" and parse.fallback_reason == "timeout"
    assert parse.note == "LLM timed out → offline rules"


def test_failure_reason_reads_wrapped_timeouts():
    class APITimeoutError(Exception):
        pass

    try:
        try:
            raise APITimeoutError("Request timed out.")
        except APITimeoutError as inner:
            raise RuntimeError("retry failed") from inner
    except RuntimeError as outer:
        assert failure_reason(outer) == "timeout"
    assert failure_reason(ValueError("401")) == "provider_error:ValueError"


def test_running_totals_for_batch_runs(llm, chat, rules, make_ctx):
    chat.script += [ai_calls(("list_reminders", {"period": "today"}), prompt_tokens=500, completion_tokens=10),
                    TimeoutError()]
    llm.parse("今天有什么提醒", make_ctx(1))
    llm.parse("今天有什么提醒", make_ctx(1))
    totals = llm.totals
    assert (totals.parses, totals.requests, totals.prompt_tokens, totals.completion_tokens) == (2, 2, 500, 10)
    assert totals.fallbacks == {"timeout": 1}
    assert "2 parses" in totals.summary() and "timeout 1" in totals.summary()
