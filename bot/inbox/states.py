"""The life of an inbox row, as a table of transitions (tested one by one).

    received ──claim──▶ claimed ──handle──▶ handled ──send──▶ replied
                          │  ▲                 │  ▲
                          │  └─reclaim─────────┤  └─reclaim / retry (a send failed; later)
                          └─release─▶ received └─give_up─▶ failed

`claim` takes a received row with a lease; `handle` commits in the same transaction as what the
message wrote (so "handled" and the writes exist together or not at all); `send` records that the
replies went out. `reclaim` is another worker taking a row whose lease ran out (its holder died or
hung): a claimed row is handled again from the start (nothing of it was committed), a handled
row's stored replies are sent again. `release` hands a claimed row back on a graceful stop;
`give_up` ends a row that failed too often (its error is logged). A message the adapter answers
itself (over a rate limit) is stored as handled with that answer, and sent in its turn.
"""
from __future__ import annotations

import enum


class State(str, enum.Enum):
    received = "received"
    claimed = "claimed"
    handled = "handled"
    replied = "replied"
    failed = "failed"


class Event(str, enum.Enum):
    claim = "claim"
    reclaim = "reclaim"
    handle = "handle"
    send = "send"
    retry = "retry"
    release = "release"
    give_up = "give_up"


TRANSITIONS: dict[tuple[State, Event], State] = {
    (State.received, Event.claim): State.claimed,
    (State.claimed, Event.reclaim): State.claimed,
    (State.claimed, Event.handle): State.handled,
    (State.claimed, Event.release): State.received,
    (State.claimed, Event.give_up): State.failed,
    (State.handled, Event.reclaim): State.handled,
    (State.handled, Event.send): State.replied,
    (State.handled, Event.retry): State.handled,
    (State.handled, Event.give_up): State.failed,
}

OPEN = (State.received, State.claimed, State.handled)  # still to be handled or answered
TERMINAL = (State.replied, State.failed)


class InvalidTransition(ValueError):
    pass


def next_state(state: State | str, event: Event | str) -> State:
    """The state `event` leads to from `state`; `InvalidTransition` when it cannot happen there."""
    try:
        return TRANSITIONS[(State(state), Event(event))]
    except (KeyError, ValueError):
        raise InvalidTransition(f"{event} is not possible in state {state}") from None
