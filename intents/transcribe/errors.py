"""Why a voice note did not become text."""
from __future__ import annotations

from storage.config import SettingsError


class TranscriptionError(Exception):
    """A voice note that cannot be turned into text; the user sees `user_message(lang)`.

    `code` keys a reply in `prompts/voice.py`: too_long, too_large, undecodable, silent, no_speech,
    unavailable ("failed" and "empty" are accepted as unavailable and no_speech). `params` fill it
    (limit, size_mb/limit_mb, format). `detail` is for the log only (a decoder's stderr, an HTTP
    status) and never reaches the user.
    """

    _ALIASES = {"failed": "unavailable", "empty": "no_speech"}

    def __init__(self, code: str = "unavailable", detail: str | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = self._ALIASES.get(code, code)
        self.params = params
        self.detail = detail or None
        self.language: str | None = None  # the speaker's language, once known: the reply's language

    @property
    def reason(self) -> str:
        return self.code

    def user_message(self, lang: str | None) -> str:
        """The reply, in the speaker's own language when the error knows it (`language`, set once
        the sender is identified), else in `lang` (the caller's guess)."""
        from prompts.voice import voice_message

        return voice_message(self.language or lang, self.code, **self.params)

    def __str__(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.params.items())
        text = f"{self.code}({extra})" if extra else self.code
        return f"{text}: {self.detail}" if self.detail else text


class TranscriberConfigError(SettingsError):
    """The voice settings cannot work (a missing model, package or endpoint); raised at start and
    naming the variable to fix."""
