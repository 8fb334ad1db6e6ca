"""Duplicate candidates are found through an index, not by comparing every two accounts; on names
that differ in the middle (typos, extra words, legal suffixes) it finds what the full comparison finds."""
from __future__ import annotations

import random
from itertools import combinations

from rapidfuzz import fuzz

from storage.models import Account
from storage.names import _phone, core_name, duplicate_pairs
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


def _reference_pairs(accounts: list[Account]) -> list[tuple[int, int, tuple[str, ...], float]]:
    """duplicate_pairs by its definition: every two accounts compared; a similar name counts when
    the core names share their first or last two characters (the blocks the index reads)."""
    out = []
    for a, b in combinations(accounts, 2):
        ca = {core_name(n) for n in (a.name, *a.aliases)} - {""}
        cb = {core_name(n) for n in (b.name, *b.aliases)} - {""}
        ma, mb = core_name(a.name), core_name(b.name)
        similarity = fuzz.ratio(ma, mb) if ma and mb else 0.0
        blocked = len(ma) >= 3 and len(mb) >= 3 and (ma[:2] == mb[:2] or ma[-2:] == mb[-2:])
        reasons = []
        if ca & cb:
            reasons.append("same_name")
        elif blocked and similarity >= SIMILAR_NAME:
            reasons.append("similar_name")
        pa, pb = _phone(a.phone), _phone(b.phone)
        if pa and pa == pb:
            reasons.append("same_phone")
        if a.email and b.email and a.email.strip().casefold() == b.email.strip().casefold():
            reasons.append("same_email")
        if reasons:
            out.append((a.id, b.id, tuple(reasons), round(similarity, 1)))
    return out


def test_pairs_reasons_and_order_equal_the_definition_on_a_generated_crm():
    rng = random.Random(11)
    syllables = "蓝鲸 青松 金桥 明远 天衡 瑞丰 海纳 北辰 云帆 华康".split()
    latin = ["Northwind", "Contoso", "Fabrikam", "Globex"]
    accounts = []
    for i in range(700):
        if i % 3:
            name = f"{rng.choice(syllables)}{rng.choice(syllables)}{i % 240}"
        else:
            name = f"{rng.choice(latin)} {rng.choice(latin)} {i % 120}"
        name += rng.choice(["", "科技有限公司", "集团", " Ltd", "数据"])
        if i % 11 == 0:  # a typo of an earlier name
            earlier = accounts[rng.randrange(len(accounts))].name if accounts else name
            cut = rng.randrange(len(earlier))
            name = earlier[:cut] + earlier[cut + 1:]
        accounts.append(Account(
            id=i + 1, name=name, owner_id=1, aliases=[f"{rng.choice(syllables)}{i % 50}"] if i % 9 == 0 else [],
            phone=f"+86 21 5555 {i % 83:04d}" if i % 5 == 0 else None,
            email=f"sales{i % 60}@x.cn" if i % 7 == 0 else None))
    expected = _reference_pairs(accounts)
    for _ in range(2):  # the second time from the remembered blocks
        got = [(p.first.id, p.second.id, p.reasons, p.similarity) for p in duplicate_pairs(accounts)]
        assert got == expected
    assert {r for *_, reasons, _ in expected for r in reasons} == {"same_name", "similar_name", "same_phone",
                                                                  "same_email"}
