"""A learned second opinion on what a message asks for (see `model` and `features`).

`tool_probabilities(facts)` masks the names and values the rules found and asks the packaged
model which tools of CONTRACT.md the message calls for; the rules engine fuses the answer with its
own reading (`intents.rules.fusion`). Returns None when no model is packaged.
"""
from __future__ import annotations

from intents.classify.features import mask
from intents.classify.model import shared_model


def masked_text(facts) -> str:
    """The message with every name, date, time, amount and discount the rules found replaced by
    one placeholder each."""
    spans = [(m.start, m.end, m.kind) for m in facts.mentions]
    spans += [(d.start, d.end, "date") for d in facts.dates]
    spans += [(t.start, t.end, "time") for t in facts.times]
    spans += [(m.start, m.end, "money") for m in facts.money]
    spans += [(d.start, d.end, "discount") for d in facts.discounts]
    return mask(facts.msg.low, spans)


def tool_probabilities(facts) -> dict[str, float] | None:
    model = shared_model()
    if model is None:
        return None
    return model.predict(masked_text(facts))
