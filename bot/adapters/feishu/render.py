"""`Reply` → what Feishu shows.

    a reply without choices          a text message (msg_type "text"), in pieces of ≤ MAX_TEXT
    a reply with choices (a card)    an interactive card, schema 2.0: the text as plain_text and a
                                     button per choice whose callback value is {"choice": id}
    a reply with an image            the image uploaded and shown first (an image message, or the
                                     card's first element); its alt text / table when it cannot be

Text is always plain_text, never markdown, so whatever a user typed (and the loop echoes) is
never read as markup. After a press the card is replaced by `card(reply)` of the answer: no
buttons unless the answer has choices of its own.
"""
from __future__ import annotations

from bot.adapters.wechat.render import split_text
from bot.messages import Choice, Reply

MAX_TEXT = 8000  # Feishu allows 150 KB a text message and 30 KB a card; long reports read better cut
_BUTTON_TYPES = {"primary": "primary_filled", "danger": "danger", "default": "default"}


def text_pieces(reply: Reply) -> list[str]:
    return split_text(reply.text.strip(), MAX_TEXT)


def card(text: str, choices: tuple[Choice, ...] = (), *, image_key: str | None = None,
         image_alt: str | None = None) -> dict:
    elements: list[dict] = []
    if image_key:
        elements.append({"tag": "img", "img_key": image_key,
                         "alt": {"tag": "plain_text", "content": (image_alt or "")[:200]}})
    if text.strip():
        elements.append({"tag": "div", "text": {"tag": "plain_text", "content": text}})
    if choices:
        elements.append(buttons(choices))
    return {"schema": "2.0", "config": {"update_multi": True, "width_mode": "fill"},
            "body": {"elements": elements}}


def buttons(choices: tuple[Choice, ...]) -> dict:
    """One row for a few short choices (Confirm / Edit / Cancel), one a row otherwise."""
    row = len(choices) <= 3 and sum(len(c.label) for c in choices) <= 24
    columns = []
    for choice in choices:
        button = {"tag": "button", "text": {"tag": "plain_text", "content": choice.label},
                  "type": _BUTTON_TYPES.get(choice.style, "default"), "width": "default" if row else "fill",
                  "behaviors": [{"type": "callback", "value": {"choice": choice.id}}]}
        columns.append({"tag": "column", "width": "auto" if row else "weighted", "weight": 1,
                        "elements": [button]})
    if row:
        return {"tag": "column_set", "flex_mode": "flow", "horizontal_spacing": "8px", "columns": columns}
    return {"tag": "column_set", "flex_mode": "stretch", "columns": columns}


def card_buttons(content: dict) -> list[tuple[str, str]]:
    """(choice id, label) of each button a card shows, in order."""
    found: list[tuple[str, str]] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("tag") == "button":
                label = (node.get("text") or {}).get("content", "")
                for behavior in node.get("behaviors") or []:
                    value = behavior.get("value") if isinstance(behavior, dict) else None
                    if isinstance(value, dict) and isinstance(value.get("choice"), str):
                        found.append((value["choice"], label))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(content)
    return found


def card_choices(content: dict) -> list[str]:
    """The choice ids of the buttons a card shows."""
    return [choice for choice, _ in card_buttons(content)]
