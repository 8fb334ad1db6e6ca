"""The chat model named by settings, through langchain's `init_chat_model`.

`LLM_MODEL` is `provider:model` (`openai:gpt-4o-mini`, `deepseek:deepseek-chat`, `ollama:qwen2.5:7b`).
With `LLM_BASE_URL` any OpenAI-compatible server works (vLLM, llama.cpp's server, hosted Qwen...):
a model name without a known provider prefix is then sent to it through the OpenAI client.
`LLM_API_KEY` is the key (else the provider's own variable, e.g. `OPENAI_API_KEY`), `LLM_TIMEOUT_S`
bounds each request. This module imports langchain, so it is only imported when an LLM engine is
built.
"""
from __future__ import annotations

import logging
import os
from typing import Any

from storage.config import Settings, SettingsError

log = logging.getLogger("salesbot.llm")

# Providers init_chat_model knows, with the variable their client reads a key from. None: no key.
PROVIDER_KEYS: dict[str, str | None] = {
    "openai": "OPENAI_API_KEY", "azure_openai": "AZURE_OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY", "ollama": None, "groq": "GROQ_API_KEY", "mistralai": "MISTRAL_API_KEY",
    "google_genai": "GOOGLE_API_KEY", "together": "TOGETHER_API_KEY", "fireworks": "FIREWORKS_API_KEY",
    "xai": "XAI_API_KEY", "openrouter": "OPENROUTER_API_KEY", "perplexity": "PPLX_API_KEY",
}
PROVIDER_PACKAGES = {"openai": "langchain-openai", "azure_openai": "langchain-openai",
                     "deepseek": "langchain-deepseek", "ollama": "langchain-ollama",
                     "anthropic": "langchain-anthropic", "groq": "langchain-groq",
                     "mistralai": "langchain-mistralai", "google_genai": "langchain-google-genai"}
# One quick retry covers a dropped connection; more would keep a rep waiting several timeouts.
MAX_RETRIES = 1
PLACEHOLDER_KEY = "not-needed"  # local OpenAI-compatible servers ignore the key the client insists on


def split_model(spec: str, *, base_url: str | None) -> tuple[str | None, str]:
    """`provider:model` → (provider, model). The model part may hold colons (`qwen2.5:7b`). Without
    a known provider prefix: the OpenAI client when a base URL is set, else langchain's inference."""
    prefix, sep, rest = spec.partition(":")
    if sep and prefix in PROVIDER_KEYS:
        return prefix, rest
    return ("openai" if base_url else None), spec


def has_credentials(provider: str | None, settings: Settings) -> bool:
    if settings.llm_api_key or settings.llm_base_url:
        return True
    if provider is None or provider not in PROVIDER_KEYS:
        return True  # unknown to us: let the provider's client decide
    env = PROVIDER_KEYS[provider]
    return env is None or bool(os.environ.get(env))


def model_kwargs(provider: str | None, settings: Settings) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"temperature": 0}
    if provider == "ollama":
        kwargs["client_kwargs"] = {"timeout": settings.llm_timeout_s}
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        return kwargs
    kwargs.update(timeout=settings.llm_timeout_s, max_retries=MAX_RETRIES)
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if settings.llm_api_key:
        kwargs["api_key"] = settings.llm_api_key.get_secret_value()
    elif settings.llm_base_url:
        kwargs["api_key"] = PLACEHOLDER_KEY
    return kwargs


def make_chat_model(settings: Settings):
    """The configured chat model, or None when no key is configured for its provider (the caller
    then keeps the rules engine: no key is not an error). A missing provider package or an unknown
    provider is a configuration error and raises `SettingsError` naming the fix."""
    if not settings.llm_model:
        return None
    provider, name = split_model(settings.llm_model, base_url=settings.llm_base_url)
    if not has_credentials(provider, settings):
        log.warning("LLM_MODEL is set but no API key is configured (LLM_API_KEY or %s); using the "
                    "rules engine", PROVIDER_KEYS.get(provider or ""))
        return None
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:
        raise SettingsError("LLM_MODEL needs the LLM extra: pip install 'salesbot[llm]'") from None
    try:
        return init_chat_model(name, model_provider=provider, **model_kwargs(provider, settings))
    except ImportError as exc:
        package = PROVIDER_PACKAGES.get(provider or "", f"the langchain package for {provider}")
        raise SettingsError(f"LLM_MODEL={settings.llm_model}: {package} is not installed "
                            f"(pip install {package})") from exc
    except ValueError as exc:
        raise SettingsError(f"LLM_MODEL={settings.llm_model}: {exc} (use provider:model, e.g. "
                            f"openai:gpt-4o-mini, or set LLM_BASE_URL for an OpenAI-compatible server)") from exc
