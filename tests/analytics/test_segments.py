"""Segments separate generated groups and are named by what sets them apart; the potential score
is learned from the history and explained by its top features; everything is seeded."""
from __future__ import annotations

from datetime import date, timedelta
from random import Random

from analytics.data import AccountFact, DealFact, VisitFact
from analytics.segments import (
    FEATURES, AccountFeatures, account_features, high_potential_this_week, learn_potential, potentials,
    segment_accounts,
)

TODAY = date(2026, 11, 25)
GROUPS = {  # (visits_90d, days_since_visit, deal_size, won_deals), industry
    "engaged": ((12, 3, 0.85, 4), "制造业"),
    "quiet": ((0, 200, 0.3, 0), "零售"),
    "middle": ((4, 30, 0.5, 1), "医疗"),
}


def _group_features(seed: int = 3) -> tuple[list[AccountFeatures], dict[int, str]]:
    rng = Random(seed)
    out, truth = [], {}
    for g, ((visits, since, size, won), industry) in enumerate(GROUPS.values()):
        for i in range(15):
            account_id = g * 100 + i
            truth[account_id] = list(GROUPS)[g]
            values = dict.fromkeys(FEATURES, 0.0)
            values.update(visits_90d=max(0.0, visits + rng.gauss(0, 1)), days_since_visit=max(0.0, since * rng.uniform(0.8, 1.2)),
                          deal_size=size + rng.gauss(0, 0.05), won_deals=float(won), contacts_180d=float(visits // 3),
                          open_pipeline=size * (visits > 0), days_per_stage=30.0, win_rate=0.5 + won / 10)
            out.append(AccountFeatures(AccountFact(account_id, f"A{account_id}", 1, industry, "华东", TODAY), values))
    return out, truth


def test_clustering_separates_generated_groups():
    features, truth = _group_features()
    seg = segment_accounts(features, seed=7)
    assert seg.k == 3 and seg.silhouette > 0.5
    for segment in seg.segments:
        assert len({truth[a] for a in segment.account_ids}) == 1
    names = {truth[s.account_ids[0]]: s.name("zh") for s in seg.segments}
    assert names["engaged"].endswith("制造业") and names["quiet"].endswith("零售")
    assert any(word in names["engaged"] for word in ("高频互动", "多人参与", "老客户", "大单"))
    assert any(word in names["quiet"] for word in ("久未联系", "少互动", "未成交", "小单", "无在谈", "单线联系"))
    assert not any(word in names["quiet"] for word in ("高频互动", "老客户", "大单"))
    english = {truth[s.account_ids[0]]: s.name("en") for s in seg.segments}
    assert english["engaged"].endswith("制造业") and " · " in english["engaged"]


def test_clustering_is_deterministic():
    features, _ = _group_features()
    assert segment_accounts(features, seed=7) == segment_accounts(features, seed=7)


def _history(seed: int = 5):
    """Accounts that are visited often win; accounts never visited do not."""
    rng = Random(seed)
    accounts, deals, visits = [], [], []
    start = TODAY - timedelta(days=720)
    for i in range(1, 41):
        busy = i % 2 == 0
        accounts.append(AccountFact(i, f"客户{i:02d}", 1, "制造业" if busy else "零售", "华东", start))
        day = start
        while day < TODAY:
            day += timedelta(days=rng.randint(5, 15) if busy else rng.randint(120, 300))
            if day <= TODAY:
                visits.append(VisitFact(i, 1, day, day, (i * 10 + rng.randint(0, 3),)))
        for j in range(4):
            opened = start + timedelta(days=150 * j + rng.randint(0, 30))
            won = busy and rng.random() < 0.8
            closed = opened + timedelta(days=rng.randint(40, 100))
            path = (("prospect", opened), ("evaluation", opened + timedelta(days=20)), ("won" if won else "lost", closed))
            if closed > TODAY:
                path, closed = path[:2], None
            deals.append(DealFact(id=i * 10 + j, account_id=i, owner_id=1, amount=100000.0 * (j + 1),
                                  currency="CNY", stage=path[-1][0], created=opened, path=path, closed_on=closed))
    return accounts, deals, visits


def test_potential_is_learned_and_ranks_engaged_accounts_first():
    accounts, deals, visits = _history()
    model = learn_potential(accounts, deals, visits, TODAY)
    assert model.learned and model.positives >= 3
    assert model.weights["visits_90d"] > 0
    ranked = potentials(account_features(accounts, deals, visits, TODAY), model)
    top = ranked[:10]
    assert all(p.account.id % 2 == 0 for p in top)
    assert all(0 <= p.score <= 100 for p in ranked)
    assert top[0].reasons and all(feature in FEATURES for feature, _ in top[0].reasons)
    assert potentials(account_features(accounts, deals, visits, TODAY), model) == ranked


def test_this_weeks_high_potential_marks_the_accounts_new_to_the_top_ten():
    accounts, deals, visits = _history()
    picked = high_potential_this_week(accounts, deals, visits, TODAY)
    model = learn_potential(accounts, deals, visits, TODAY)
    now = potentials(account_features(accounts, deals, visits, TODAY), model)
    before = {p.account.id for p in potentials(account_features(accounts, deals, visits, TODAY - timedelta(days=7)), model)[:10]}
    assert len(picked) == 5 and {p.account.id for p, _ in picked} <= {p.account.id for p in now[:10]}
    assert all(new == (p.account.id not in before) for p, new in picked)
    flags = [new for _, new in picked]
    assert flags == sorted(flags, reverse=True)  # the new ones first
