from tests.intents.rules.conftest import directory, make_ctx  # noqa: F401  (the rules' fixture names)
