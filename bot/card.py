"""A card's life as a small state machine: what may happen to a draft, and what it becomes.

    asking ──answer──▶ shown ──edit──▶ editing ──change──▶ shown ──confirm──▶ confirmed
       │                 │  ▲                │                  └─cancel──▶ cancelled
       └─cancel/expire   │  └─change / invalid / no_change       └─expire──▶ expired

- `asking`: the bot asked something before the card can be shown (a missing amount, which of two
  customers, a reason for a rejection, which reading of an unclear message).
- `shown`: a card waits for confirm, edit or cancel; edits are read at any time.
- `editing`: the user pressed Edit; the next message is read as a change.
- An edit that fails validation (`invalid`) or states nothing (`no_change`) leaves the calls as they
  were and the card open. A confirm whose tools refuse (`refused`) leaves it open too.
- Only confirm, cancel and expiry end a card that was shown; `failed` is reserved for a draft that
  could never be shown (its first dry run refused it) or a one-step decision that was refused.
- Every event on an ended card leaves it as it is (a stale press is answered, never applied).

The state is stored in the `Draft` row (`status` and `pending_question`), so it survives restarts.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from storage.models import Draft, DraftStatus


class CardState(StrEnum):
    asking = "asking"
    shown = "shown"
    editing = "editing"
    confirmed = "confirmed"
    cancelled = "cancelled"
    expired = "expired"
    failed = "failed"


class CardEvent(StrEnum):
    ask = "ask"            # something must be answered first
    answer = "answer"      # the question was answered; the card can be shown
    show = "show"          # the calls are complete and their dry run passed
    edit = "edit"          # Edit pressed (or "2", or "修改")
    change = "change"      # an edit was applied and passed validation
    invalid = "invalid"    # an edit failed validation: the calls stay as they were
    no_change = "no_change"  # an edit stated nothing to change
    confirm = "confirm"    # the calls ran and were kept
    refused = "refused"    # confirm ran, a tool refused: nothing kept, card still open
    cancel = "cancel"
    expire = "expire"
    reject = "reject"      # the first dry run refused the calls: never shown


OPEN = frozenset({CardState.asking, CardState.shown, CardState.editing})
ENDED = frozenset(CardState) - OPEN

_S, _E = CardState, CardEvent
TRANSITIONS: dict[tuple[CardState, CardEvent], CardState] = {
    (_S.asking, _E.ask): _S.asking,
    (_S.asking, _E.answer): _S.shown,
    (_S.asking, _E.show): _S.shown,
    (_S.asking, _E.reject): _S.failed,
    (_S.asking, _E.cancel): _S.cancelled,
    (_S.asking, _E.expire): _S.expired,
    (_S.asking, _E.confirm): _S.confirmed,  # a one-step decision (a rejection's reason) confirms at once
    (_S.asking, _E.refused): _S.failed,
    (_S.shown, _E.ask): _S.asking,
    (_S.shown, _E.show): _S.shown,
    (_S.shown, _E.edit): _S.editing,
    (_S.shown, _E.change): _S.shown,
    (_S.shown, _E.invalid): _S.shown,
    (_S.shown, _E.no_change): _S.shown,
    (_S.shown, _E.confirm): _S.confirmed,
    (_S.shown, _E.refused): _S.shown,
    (_S.shown, _E.cancel): _S.cancelled,
    (_S.shown, _E.expire): _S.expired,
    (_S.editing, _E.ask): _S.asking,
    (_S.editing, _E.show): _S.shown,
    (_S.editing, _E.edit): _S.editing,
    (_S.editing, _E.change): _S.shown,
    (_S.editing, _E.invalid): _S.shown,
    (_S.editing, _E.no_change): _S.shown,
    (_S.editing, _E.confirm): _S.confirmed,
    (_S.editing, _E.refused): _S.shown,
    (_S.editing, _E.cancel): _S.cancelled,
    (_S.editing, _E.expire): _S.expired,
}


class IllegalMove(Exception):
    """An event that cannot happen in this state (a stale press, an answer to no question)."""

    def __init__(self, state: CardState, event: CardEvent) -> None:
        super().__init__(f"{event} in state {state}")
        self.state, self.event = state, event


def next_state(state: CardState, event: CardEvent) -> CardState:
    """The state after `event`; `IllegalMove` when the event does not apply (the card is unchanged)."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise IllegalMove(state, event) from None


def state_of(draft: Draft) -> CardState:
    status = DraftStatus(draft.status)
    if status == DraftStatus.pending:
        return CardState.shown
    if status == DraftStatus.awaiting_input:
        kind = (draft.pending_question or {}).get("kind")
        return CardState.editing if kind == "edit" else CardState.asking
    return CardState(status.value)


_STATUS = {CardState.asking: DraftStatus.awaiting_input, CardState.editing: DraftStatus.awaiting_input,
           CardState.shown: DraftStatus.pending}


def move(draft: Draft, event: CardEvent, *, now: datetime, question: dict | None = None) -> CardState:
    """Apply `event` to the draft row: its status and question follow the new state. `question` is
    what an `ask` asks. Raises `IllegalMove` and leaves the row alone when the event does not apply."""
    new = next_state(state_of(draft), event)
    if new == CardState.asking:
        if question is None and state_of(draft) != CardState.asking:
            raise ValueError("an ask needs its question")
        if question is not None:
            draft.pending_question = question
    elif new == CardState.editing:
        draft.pending_question = {"kind": "edit"}
    else:
        draft.pending_question = None
    draft.status = _STATUS.get(new) or DraftStatus(new.value)
    draft.updated_at = now
    return new
