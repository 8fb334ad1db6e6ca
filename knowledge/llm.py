"""The chat model for retrieval-augmented suggestions, from LLM_MODEL (langchain, imported here
only). `LLM_MODEL` is `provider:model`; with `LLM_BASE_URL` any OpenAI-compatible server works."""
from __future__ import annotations

from typing import Any

from storage.config import Settings

KNOWN_PROVIDERS = {"openai", "azure_openai", "anthropic", "deepseek", "ollama", "groq", "mistralai",
                   "google_genai", "together", "fireworks", "xai", "openrouter", "perplexity"}


def make_chat_model(settings: Settings) -> Any:
    """The configured chat model, or None when LLM_MODEL is unset or cannot be built (the
    templated answer is used then)."""
    if not settings.llm_model:
        return None
    prefix, sep, rest = settings.llm_model.partition(":")
    provider, name = (prefix, rest) if sep and prefix in KNOWN_PROVIDERS else (
        "openai" if settings.llm_base_url else None, settings.llm_model)
    kwargs: dict[str, Any] = {"temperature": 0}
    if provider == "ollama":
        kwargs["client_kwargs"] = {"timeout": settings.llm_timeout_s}
    else:
        kwargs.update(timeout=settings.llm_timeout_s, max_retries=1)
        if settings.llm_api_key:
            kwargs["api_key"] = settings.llm_api_key.get_secret_value()
        elif settings.llm_base_url:
            kwargs["api_key"] = "not-needed"
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    try:
        from langchain.chat_models import init_chat_model

        return init_chat_model(name, model_provider=provider, **kwargs)
    except Exception:  # no langchain, no provider package, no key: the templates answer
        import logging

        logging.getLogger("salesbot.knowledge").warning(
            "LLM_MODEL=%s could not be used for suggestions; using the templated answer", settings.llm_model)
        return None
