"""Duplicate candidates are found through an index, not by comparing every two accounts; on names
that differ in the middle (typos, extra words, legal suffixes) it finds what the full comparison finds."""
from __future__ import annotations

import random
from itertools import combinations

from rapidfuzz import fuzz

from storage.models import Account
from storage.names import core_name
from tools.health import SIMILAR_NAME, duplicate_accounts


def _brute_force(accounts: list[Account]) -> set[tuple[int, int]]:
    found = set()
    for a, b in combinations(accounts, 2):
        ca = {core_name(n) for n in (a.name, *a.aliases)} - {""}
        cb = {core_name(n) for n in (b.name, *b.aliases)} - {""}
        ma, mb = core_name(a.name), core_name(b.name)
        similar = min(len(ma), len(mb)) >= 3 and fuzz.ratio(ma, mb) >= SIMILAR_NAME
        if ca & cb or similar or (a.email and a.email == b.email):
            found.add((a.id, b.id))
    return found


def test_the_index_finds_what_comparing_every_pair_finds():
    rng = random.Random(5)
    words = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Globex", "Initech", "蓝鲸数据", "青松制药", "金桥物流"]
    accounts = []
    for i in range(300):
        base = f"{rng.choice(words)} {rng.choice(words)} Holdings {i % 97}"
        variant = rng.choice([base, base.replace("Holdings", "Holdngs"), base + " Ltd", base.replace(" ", "", 1)])
        accounts.append(Account(id=i + 1, name=variant, aliases=[], owner_id=1,
                                email=f"info{i % 150}@x.com" if i % 7 == 0 else None))
    got = {(d["accounts"][0]["id"], d["accounts"][1]["id"]) for d in duplicate_accounts(accounts)}
    assert got == _brute_force(accounts) and len(got) > 50
