"""The harness shared by the held-out sentence files (tests/intents/test_generalization*.py).

A case is (now, user, text, expected calls). As in the eval, only the arguments given are checked
(a parse may carry more), free text (`X`) only for being present, contacts as a set, and the calls
as a multiset of names.
"""
from __future__ import annotations

from collections import Counter

from intents.batch import parse_batch

X = ...  # free text: present and not empty

Case = tuple[str, int, str, list[tuple[str, dict]]]


def predict(fixture_data: dict, cases: list[Case], prefix: str) -> dict[str, list[dict]]:
    rows = [{"id": f"{prefix}{i:03d}", "now": now, "user": user, "text": text}
            for i, (now, user, text, _) in enumerate(cases)]
    return {row["id"]: row["calls"] for row in parse_batch(fixture_data, rows)}


def args_match(expected: dict, got: dict) -> bool:
    for key, value in expected.items():
        if key not in got:
            return False
        if value is X:
            if not str(got[key]).strip():
                return False
        elif key == "contacts":
            if set(got[key]) != set(value):
                return False
        elif got[key] != value:
            return False
    return True


def check(case: Case, got: list[dict]) -> None:
    _now, _user, text, expected = case
    assert Counter(c["name"] for c in got) == Counter(name for name, _ in expected), (text, got)
    unused = list(got)
    for name, args in expected:
        match = next((c for c in unused if c["name"] == name and args_match(args, c["args"])), None)
        assert match is not None, (text, name, args, got)
        unused.remove(match)
