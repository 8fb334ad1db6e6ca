"""Loading the `wechaty` 0.10.7 SDK on Python 3.11 with urllib3 2.

Two things stop `import wechaty` as published, both fixed here before the import, both harmless
for code that already works:
- `wechaty.user.url_link` imports `urllib3.get_host`, which urllib3 2 removed: it is put back as
  a thin wrapper over `urllib3.util.parse_url` (same (scheme, host, port) triple).
- `WechatyOptions` has a `PuppetOptions()` instance as a dataclass default; Python 3.11 refuses
  unhashable defaults, and `PuppetOptions` is an eq-dataclass (so `__hash__ = None`). It gets
  identity hashing, which is what the old interpreter's check assumed.
pyee must be < 9 and betterproto 1.2.5 (the `wechat` extra pins both): those are API changes, not
shims. The SDK's loggers each print to stderr at INFO with their own handler; they are rerouted to
the application's logging at ERROR (WECHATY_LOG=warn|info makes them chattier; at WARNING the SDK
logs the token).
"""
from __future__ import annotations

import logging
import os
import warnings
from types import ModuleType

_WECHATY_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"


def load_wechaty() -> ModuleType:
    """Apply the shims (idempotent) and return the imported `wechaty` module."""
    _shim_urllib3_get_host()
    _shim_hashable_puppet_options()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning)  # telnetlib, on 3.11
        import wechaty
        import wechaty_puppet_service  # noqa: F401  (wechaty imports it lazily; its loggers too)

    _adopt_sdk_loggers()
    return wechaty


def _shim_urllib3_get_host() -> None:
    import urllib3

    if hasattr(urllib3, "get_host"):
        return
    from urllib3.util import parse_url

    def get_host(url: str) -> tuple[str, str | None, int | None]:
        parsed = parse_url(url)
        return parsed.scheme or "http", parsed.hostname, parsed.port

    urllib3.get_host = get_host  # type: ignore[attr-defined]


def _shim_hashable_puppet_options() -> None:
    from wechaty_puppet.schemas.puppet import PuppetOptions

    if PuppetOptions.__hash__ is None:
        PuppetOptions.__hash__ = object.__hash__  # type: ignore[method-assign]


def _adopt_sdk_loggers() -> None:
    """The SDK's `get_logger` gives each logger its own stderr handler and no propagation: hand
    them to the root logger (JSON or text, as configured) instead."""
    level = {"info": logging.INFO, "verbose": logging.INFO, "warn": logging.WARNING}.get(
        os.environ.get("WECHATY_LOG", "").lower(), logging.ERROR)
    for logger in list(logging.root.manager.loggerDict.values()):
        if not isinstance(logger, logging.Logger):
            continue
        own = [h for h in logger.handlers if getattr(h.formatter, "_fmt", None) == _WECHATY_FORMAT]
        if not own:
            continue
        for handler in own:
            logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(level)
