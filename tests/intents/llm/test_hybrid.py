"""Hybrid: rules when complete and confident, the LLM otherwise; the rules parse is the fallback."""
from __future__ import annotations

from intents.base import Parse, Question
from intents.llm.hybrid import DEFAULT_THRESHOLD, HybridEngine
from tests.fakes.chat_models import ai_calls
from tools.base import ToolCall

VISIT = ToolCall("log_visit", {"account": "蓝鲸数据", "occurred_on": "2026-11-25", "channel": "onsite"})


def rules_answer(rules, text: str, *, confidence: float, calls=(VISIT,), questions=()) -> None:
    rules.script[text] = Parse(calls=list(calls), confidence=confidence, questions=list(questions), engine="rules")


def test_confident_complete_rules_parse_answers_without_the_model(llm, chat, rules, make_ctx):
    hybrid = HybridEngine(rules, llm)
    rules_answer(rules, "今天拜访了蓝鲸", confidence=DEFAULT_THRESHOLD)
    parse = hybrid.parse("今天拜访了蓝鲸", make_ctx(1))
    assert parse.engine == "rules" and parse.fallback_reason is None and parse.note is None
    assert chat.requests == []


def test_unsure_rules_parse_goes_to_the_model(llm, chat, rules, make_ctx):
    hybrid = HybridEngine(rules, llm)
    rules_answer(rules, "今天拜访了蓝鲸，聊得不错", confidence=DEFAULT_THRESHOLD - 0.05)
    chat.script.append(ai_calls(("log_visit", {"account": "蓝鲸", "occurred_on": "2026-11-25", "channel": "onsite",
                                               "summary": "聊得不错"})))
    parse = hybrid.parse("今天拜访了蓝鲸，聊得不错", make_ctx(1))
    assert parse.engine == "llm" and parse.calls[0].args["summary"] == "聊得不错"
    assert len(chat.requests) == 1


def test_open_question_goes_to_the_model_even_when_confident(llm, chat, rules, make_ctx):
    hybrid = HybridEngine(rules, llm)
    rules_answer(rules, "蓝海的报价批了", confidence=1.0, calls=(ToolCall("approve_quote", {"account": "蓝"}),),
                 questions=(Question("ambiguous", 0, "account", "蓝", ("蓝鲸数据", "蓝海数据")),))
    chat.script.append(ai_calls(("approve_quote", {"account": "蓝海"})))
    parse = hybrid.parse("蓝海的报价批了", make_ctx(3))
    assert parse.engine == "llm" and parse.to_json() == [{"name": "approve_quote", "args": {"account": "蓝海数据"}}]


def test_empty_parse_is_trusted_only_when_sure(llm, chat, rules, make_ctx):
    hybrid = HybridEngine(rules, llm)
    rules_answer(rules, "谢谢", confidence=0.9, calls=())
    rules_answer(rules, "那个事情你看着办吧，搞定了告诉我", confidence=0.35, calls=())
    assert hybrid.parse("谢谢", make_ctx(3)).engine == "rules" and chat.requests == []
    chat.script.append(ai_calls())
    assert hybrid.parse("那个事情你看着办吧，搞定了告诉我", make_ctx(3)).engine == "llm"


def test_model_failure_returns_the_rules_parse_already_made(llm, chat, rules, make_ctx):
    hybrid = HybridEngine(rules, llm)
    rules_answer(rules, "拜访蓝鲸", confidence=0.3)
    chat.script.append(TimeoutError())
    parse = hybrid.parse("拜访蓝鲸", make_ctx(1))
    assert parse.engine == "rules" and parse.calls == [VISIT] and parse.fallback_reason == "timeout"
    assert len(rules.seen) == 1
    assert rules.script["拜访蓝鲸"].note is None  # the rules engine's own parse is not modified


def test_threshold_is_configurable(llm, chat, rules, make_ctx):
    rules_answer(rules, "拜访蓝鲸", confidence=0.5)
    assert HybridEngine(rules, llm, threshold=0.5).parse("拜访蓝鲸", make_ctx(1)).engine == "rules"
    assert chat.requests == []
