"""Every (state, event) pair of an inbox row: the allowed ones lead where the diagram says, the
rest are refused."""
from __future__ import annotations

import itertools

import pytest

from bot.inbox.states import TRANSITIONS, Event, InvalidTransition, State, next_state

EXPECTED = {
    ("received", "claim"): "claimed",
    ("claimed", "reclaim"): "claimed",
    ("claimed", "handle"): "handled",
    ("claimed", "release"): "received",
    ("claimed", "give_up"): "failed",
    ("handled", "reclaim"): "handled",
    ("handled", "send"): "replied",
    ("handled", "retry"): "handled",
    ("handled", "give_up"): "failed",
}


@pytest.mark.parametrize("state,event", list(itertools.product(State, Event)))
def test_each_transition(state, event):
    expected = EXPECTED.get((state.value, event.value))
    if expected is None:
        with pytest.raises(InvalidTransition):
            next_state(state, event)
    else:
        assert next_state(state, event) is State(expected)


def test_the_table_is_the_diagram_and_terminal_states_lead_nowhere():
    assert {(s.value, e.value): n.value for (s, e), n in TRANSITIONS.items()} == EXPECTED
    assert not [key for key in TRANSITIONS if key[0] in (State.replied, State.failed)]
    with pytest.raises(InvalidTransition):
        next_state("nonsense", "claim")
