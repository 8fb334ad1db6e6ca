"""From settings to answers: ENGINE=llm|hybrid with the real rules engine and the real OpenAI client,
and `salesbot parse --engine llm` on the batch contract."""
from __future__ import annotations

import json

import pytest

from bot.cli import main
from intents.factory import build_engine
from intents.llm.engine import LLMEngine
from intents.llm.hybrid import HybridEngine
from intents.rules import RulesEngine
from storage.config import Settings
from tests.conftest import FIXTURE_PATH
from tests.fakes.openai_server import FakeOpenAI, completion, recorded


@pytest.fixture
def server():
    with FakeOpenAI() as fake:
        yield fake


def test_no_model_configured_means_the_rules_engine():
    assert isinstance(build_engine(Settings(_env_file=None, engine="llm")), RulesEngine)
    assert isinstance(build_engine(Settings(_env_file=None, engine="hybrid", llm_model="openai:gpt-4o-mini")),
                      RulesEngine)


def test_hybrid_keeps_confident_parses_offline_and_asks_the_model_about_new_names(server, make_ctx):
    engine = build_engine(Settings(_env_file=None, engine="hybrid", llm_model="gpt-4o-mini",
                                   llm_base_url=server.base_url))
    assert isinstance(engine, HybridEngine) and isinstance(engine.rules, RulesEngine)

    known = engine.parse("今天下午去蓝鲸拜访了李总，聊了扩容方案", make_ctx(1))
    assert known.engine == "rules" and server.requests == []

    text = "新客户远航船舶，今天第一次上门，见了采购部的钱总，对设备巡检系统有兴趣"
    assert engine.rules.parse(text, make_ctx(1)).confidence < engine.threshold
    server.answer(completion([
        ("log_visit", {"account": "远航船舶", "contacts": ["钱总"], "occurred_on": "2026-11-25",
                       "channel": "onsite", "summary": "对设备巡检系统有兴趣"}),
        ("update_opportunity", {"account": "远航船舶", "stage": "prospect"})]))
    new = engine.parse(text, make_ctx(1))
    assert new.engine == "llm" and len(server.requests) == 1
    assert new.to_json()[0]["args"]["contacts"] == ["钱总"]


def test_llm_failure_falls_back_to_the_real_rules_engine(server, make_ctx):
    engine = build_engine(Settings(_env_file=None, engine="llm", llm_model="gpt-4o-mini",
                                   llm_base_url=server.base_url))
    assert isinstance(engine, LLMEngine)
    server.fail(503, "overloaded")
    server.fail(503, "overloaded")
    parse = engine.parse("今天下午去蓝鲸拜访了李总，聊了扩容方案", make_ctx(1))
    assert parse.engine == "rules" and parse.fallback_reason.endswith("(503)")
    assert parse.calls[0].name == "log_visit" and parse.calls[0].args["account"] == "蓝鲸数据"


def test_salesbot_parse_engine_llm_on_the_batch_contract(server, monkeypatch, tmp_path, capsys):
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in [
        {"id": "c1", "now": "2026-11-25T10:00", "user": 1,
         "text": "刚和北辰的许涛通了电话，二期质检方案他们认可了，转入谈判。周五下午两点提醒我发合同初稿"},
        {"id": "c2", "now": "2026-11-25T10:00", "user": 1, "text": "谢谢！"},
    ]) + "\n", encoding="utf-8")
    server.answer(recorded("call_stage_reminder"))
    server.answer(recorded("no_call"))
    monkeypatch.setenv("LLM_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'unused.db'}")
    monkeypatch.chdir(tmp_path)

    assert main(["parse", "--engine", "llm", "--fixture", str(FIXTURE_PATH), "--batch", str(cases)]) == 0
    out = capsys.readouterr()
    rows = [json.loads(line) for line in out.out.splitlines()]
    assert [r["id"] for r in rows] == ["c1", "c2"]
    assert [c["name"] for c in rows[0]["calls"]] == ["log_visit", "update_opportunity", "create_reminder"]
    assert rows[0]["calls"][2]["args"]["due_at"] == "2026-11-27T14:00" and rows[1]["calls"] == []
    assert "llm: 2 parses, 2 requests, 4541 prompt + 151 completion tokens" in out.err
    assert server.requests[0]["messages"][0]["content"].startswith("你是 Salesbot，王磊（销售）")
