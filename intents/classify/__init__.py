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
    spans += [(d.start, d.end, _direction(d, facts.today)) for d in facts.dates]
    spans += [(t.start, t.end, "time") for t in facts.times]
    spans += [(m.start, m.end, "money") for m in facts.money]
    spans += [(d.start, d.end, "discount") for d in facts.discounts]
    return mask(facts.msg.low, spans)


def _direction(mention, today) -> str:
    """`past` for a date before today however it is read (昨天, last Friday), `future` for one after
    it (明天, 下周三), `date` for today or a date either way (周一)."""
    from intents.rules.dates import resolve

    as_past, as_due = resolve(mention, today, "occurred_on"), resolve(mention, today, "expected_close")
    if as_past is not None and as_past > today:
        return "future"
    if as_due is not None and as_due < today:
        return "past"
    if as_past is not None and as_due is not None and as_past == as_due:
        return "past" if as_past < today else "future" if as_past > today else "date"
    return "date"


def tool_probabilities(facts) -> dict[str, float] | None:
    model = shared_model()
    if model is None:
        return None
    return model.predict(masked_text(facts))
