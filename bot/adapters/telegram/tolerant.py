"""A bot whose polling survives an update the library cannot read.

python-telegram-bot parses a whole `getUpdates` batch at once; one update it cannot parse (a
field a self-hosted Bot API server of another version leaves out) fails the batch, the offset never
moves past it, and polling retries the same batch forever. Here each update is parsed on its own;
one that fails is logged once with its id and passed on as an empty update, so the offset moves
past it and no handler sees it.
"""
from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

log = logging.getLogger("salesbot.telegram")


def readable_update(item: Any, bot: ExtBot) -> Update | None:
    """One update (a webhook's body) parsed, or None when the library cannot read it (logged)."""
    readable = readable_updates([item], bot)
    if not readable or set(readable[0]) == {"update_id"}:
        return None
    return Update.de_json(readable[0], bot)


def readable_updates(raw: list[Any], bot: ExtBot) -> list[Any]:
    """`raw` (getUpdates' result) with each update the library cannot parse replaced by its bare id."""
    out = []
    for item in raw:
        try:
            Update.de_json(item, bot)
        except Exception as exc:  # whatever PTB raises on a malformed object
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if not isinstance(update_id, int):
                log.error("unreadable telegram update without an id dropped", extra={"error": repr(exc)})
                continue
            log.error("unreadable telegram update skipped",
                      extra={"update_id": update_id, "kinds": sorted(k for k in item if k != "update_id"),
                             "error": repr(exc)})
            item = {"update_id": update_id}
        out.append(item)
    return out


class TolerantBot(ExtBot):
    """`ExtBot` whose `getUpdates` result is made readable (`readable_updates`) before parsing."""

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, *args, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            return readable_updates(result, self)
        return result
