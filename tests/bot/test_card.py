"""The card state machine, exhaustively: every state × every event."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.card import ENDED, OPEN, CardEvent, CardState, IllegalMove, move, next_state, state_of
from storage.models import Draft, DraftStatus

S, E = CardState, CardEvent
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)

# Expected state after each event, one row per state; "-" = the event does not apply (IllegalMove,
# the card is left as it was). Columns in CardEvent order.
EVENTS = list(CardEvent)
TABLE = {
    #             ask      answer  show    edit     change  invalid no_chg  confirm    refused cancel     expire   reject
    S.asking:  ["asking", "shown", "shown", "-", "-", "-", "-", "confirmed", "failed", "cancelled", "expired", "failed"],
    S.shown:   ["asking", "-", "shown", "editing", "shown", "shown", "shown", "confirmed", "shown", "cancelled",
                "expired", "-"],
    S.editing: ["asking", "-", "shown", "editing", "shown", "shown", "shown", "confirmed", "shown", "cancelled",
                "expired", "-"],
    S.confirmed: ["-"] * 12,
    S.cancelled: ["-"] * 12,
    S.expired: ["-"] * 12,
    S.failed: ["-"] * 12,
}


def test_the_table_covers_every_state_and_event():
    assert set(TABLE) == set(CardState)
    assert all(len(row) == len(EVENTS) for row in TABLE.values())


@pytest.mark.parametrize("state", list(CardState))
@pytest.mark.parametrize("event", EVENTS)
def test_every_state_and_event(state, event):
    expected = TABLE[state][EVENTS.index(event)]
    if expected == "-":
        with pytest.raises(IllegalMove):
            next_state(state, event)
    else:
        assert next_state(state, event) == CardState(expected)


@pytest.mark.parametrize("event", EVENTS)
def test_a_shown_card_ends_only_by_confirm_cancel_or_expiry(event):
    for state in (S.shown, S.editing):
        try:
            after = next_state(state, event)
        except IllegalMove:
            continue
        if after in ENDED:
            assert event in (E.confirm, E.cancel, E.expire)


def test_ended_cards_stay_ended():
    for state in ENDED:
        for event in CardEvent:
            with pytest.raises(IllegalMove):
                next_state(state, event)
    assert OPEN | ENDED == set(CardState) and not OPEN & ENDED


def _draft(status: DraftStatus, question: dict | None = None) -> Draft:
    return Draft(user_id=1, platform="test", chat_id="c", calls=[{"name": "log_visit", "args": {}}],
                 status=status, pending_question=question, created_at=NOW, updated_at=NOW)


@pytest.mark.parametrize("status, question, state", [
    (DraftStatus.pending, None, S.shown),
    (DraftStatus.awaiting_input, {"kind": "edit"}, S.editing),
    (DraftStatus.awaiting_input, {"kind": "missing", "call": 0, "arg": "amount"}, S.asking),
    (DraftStatus.awaiting_input, None, S.asking),
    (DraftStatus.confirmed, None, S.confirmed),
    (DraftStatus.cancelled, None, S.cancelled),
    (DraftStatus.expired, None, S.expired),
    (DraftStatus.failed, None, S.failed),
])
def test_the_row_says_its_state(status, question, state):
    assert state_of(_draft(status, question)) == state


def test_moves_store_the_state_in_the_row_and_keep_the_calls():
    draft = _draft(DraftStatus.pending)
    calls = list(draft.calls)
    later = datetime(2026, 12, 4, 3, 0, tzinfo=timezone.utc)
    assert move(draft, E.edit, now=later) == S.editing
    assert (draft.status, draft.pending_question, draft.updated_at) == (DraftStatus.awaiting_input,
                                                                        {"kind": "edit"}, later)
    assert move(draft, E.invalid, now=later) == S.shown
    assert (draft.status, draft.pending_question, draft.calls) == (DraftStatus.pending, None, calls)
    question = {"kind": "ambiguous", "call": 0, "arg": "account", "mention": "x", "candidates": ["a", "b"]}
    assert move(draft, E.ask, now=later, question=question) == S.asking
    assert draft.pending_question == question
    assert move(draft, E.show, now=later) == S.shown
    assert move(draft, E.confirm, now=later) == S.confirmed and draft.status == DraftStatus.confirmed


def test_an_illegal_move_leaves_the_row_alone():
    draft = _draft(DraftStatus.cancelled)
    with pytest.raises(IllegalMove):
        move(draft, E.confirm, now=datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert draft.status == DraftStatus.cancelled and draft.updated_at == NOW


def test_asking_needs_a_question():
    with pytest.raises(ValueError):
        move(_draft(DraftStatus.pending), E.ask, now=NOW)
