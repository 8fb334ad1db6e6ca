"""The chat model comes from settings through init_chat_model; no key means the rules engine."""
from __future__ import annotations

import subprocess
import sys

import pytest

from intents.llm import build_llm_engine
from intents.llm.chat_model import MAX_RETRIES, make_chat_model, split_model
from intents.llm.engine import LLMEngine
from intents.llm.hybrid import HybridEngine
from storage.config import Settings, SettingsError
from tests.conftest import ROOT


def llm_settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_provider_prefix_and_model_names_with_colons():
    assert split_model("openai:gpt-4o-mini", base_url=None) == ("openai", "gpt-4o-mini")
    assert split_model("ollama:qwen2.5:7b", base_url=None) == ("ollama", "qwen2.5:7b")
    assert split_model("deepseek:deepseek-chat", base_url=None) == ("deepseek", "deepseek-chat")
    assert split_model("Qwen/Qwen2.5-7B-Instruct", base_url="http://127.0.0.1:8000/v1") == \
        ("openai", "Qwen/Qwen2.5-7B-Instruct")
    assert split_model("qwen2.5:7b", base_url="http://127.0.0.1:8000/v1") == ("openai", "qwen2.5:7b")
    assert split_model("gpt-4o-mini", base_url=None) == (None, "gpt-4o-mini")


def test_no_key_configured_keeps_the_rules_engine_without_error(rules):
    settings = llm_settings(engine="llm", llm_model="openai:gpt-4o-mini")
    assert make_chat_model(settings) is None
    assert build_llm_engine(settings, rules=rules) is rules


def test_provider_key_from_its_own_variable(monkeypatch):
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-test")
    model = make_chat_model(llm_settings(llm_model="deepseek:deepseek-chat", llm_timeout_s=12))
    assert type(model).__name__ == "ChatDeepSeek"
    assert model.model_name == "deepseek-chat" and model.request_timeout == 12 and model.max_retries == MAX_RETRIES


def test_openai_compatible_server_by_base_url():
    model = make_chat_model(llm_settings(llm_model="Qwen/Qwen2.5-7B-Instruct", llm_base_url="http://127.0.0.1:8000/v1",
                                         llm_timeout_s=7))
    assert type(model).__name__ == "ChatOpenAI"
    assert model.openai_api_base == "http://127.0.0.1:8000/v1" and model.request_timeout == 7
    assert model.model_name == "Qwen/Qwen2.5-7B-Instruct" and model.temperature == 0


def test_api_key_setting_is_passed_to_the_client():
    model = make_chat_model(llm_settings(llm_model="openai:gpt-4o-mini", llm_api_key="sk-from-settings"))
    assert model.openai_api_key.get_secret_value() == "sk-from-settings"


def test_ollama_needs_no_key_and_gets_the_timeout():
    model = make_chat_model(llm_settings(llm_model="ollama:qwen2.5:7b", llm_base_url="http://127.0.0.1:11434",
                                         llm_timeout_s=9))
    assert type(model).__name__ == "ChatOllama"
    assert model.model == "qwen2.5:7b" and model.base_url == "http://127.0.0.1:11434"
    assert model.client_kwargs == {"timeout": 9}


def test_unknown_provider_is_a_configuration_error():
    with pytest.raises(SettingsError, match="LLM_MODEL=nosuch:model"):
        make_chat_model(llm_settings(llm_model="nosuch:model", llm_api_key="k"))


def test_engine_setting_picks_llm_or_hybrid(rules):
    base = {"llm_model": "gpt-4o-mini", "llm_base_url": "http://127.0.0.1:9/v1"}
    llm = build_llm_engine(llm_settings(engine="llm", **base), rules=rules)
    assert isinstance(llm, LLMEngine) and llm.fallback is rules and llm.model_name == "gpt-4o-mini"
    hybrid = build_llm_engine(llm_settings(engine="hybrid", **base), rules=rules)
    assert isinstance(hybrid, HybridEngine) and hybrid.rules is rules and hybrid.llm.fallback is rules


def test_console_start_does_not_import_langchain():
    code = ("import sys, bot.cli, bot.app, bot.loop, intents.factory, intents.llm; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('langchain', 'langchain_core', 'openai')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
