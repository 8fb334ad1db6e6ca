import pytest

from storage.config import SettingsError, load_settings


def test_defaults_need_no_keys(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.engine == "rules" and settings.default_currency == "CNY"
    assert settings.llm_api_key is None and settings.telegram_bot_token is None


@pytest.mark.parametrize("var, value", [
    ("DEFAULT_TIMEZONE", "Mars/Olympus"),
    ("DEFAULT_CURRENCY", "yuan"),
    ("ENGINE", "magic"),
    ("DATABASE_URL", "mysql://x"),
    ("DRAFT_TTL_HOURS", "soon"),
])
def test_a_wrong_setting_names_the_variable_and_the_fix(monkeypatch, tmp_path, var, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(var, value)
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert var in str(err.value) and ".env.example" in str(err.value)


def test_env_example_documents_every_setting():
    from pathlib import Path

    from storage.config import Settings

    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text(encoding="utf-8")
    missing = [name.upper() for name in Settings.model_fields if name.upper() not in example]
    assert not missing, f".env.example does not mention {missing}"
