"""Customer segments and a high-potential score per account.

Features per account as of a day (`account_features`): visit frequency (last 90 days) and recency,
contacts engaged (distinct people met in 180 days), deal size and open pipeline (as percentiles
within the deal's currency, so currencies are never mixed), stage velocity (days per stage move),
win history (deals won, win rate shrunk towards one half), industry and region.

Segments: k-means (scikit-learn, fixed seed) on the standardized numeric features (counts and day
spans on a log scale), k from 2 to 6
chosen by silhouette. A segment is named by the two numeric features whose segment mean departs
most (at least half a standard deviation) from the mean of all other accounts, and its
dominant industry (over half its accounts): "高频互动·大单·制造业".

Potential: a logistic regression learned from the CRM's own past: the features of every account
`HORIZON_DAYS` before the day, labelled by whether it won a deal in the following `HORIZON_DAYS`.
Today's features give a probability, shown as a 0–100 score; its explanation is the features that
push it up most (coefficient × standardized value). With a history that has only one outcome, a
fixed, documented weighting stands in (`FALLBACK_WEIGHTS`).
"""
from __future__ import annotations

import math
import statistics
import warnings
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from analytics.data import OPEN, AccountFact, DealFact, VisitFact

FEATURES = ("visits_90d", "days_since_visit", "contacts_180d", "deal_size", "open_pipeline",
            "days_per_stage", "won_deals", "win_rate")
LOG_FEATURES = {"visits_90d", "days_since_visit", "contacts_180d", "days_per_stage", "won_deals"}
HORIZON_DAYS = 180
RECENCY_CAP = 365
SEED = 7
K_RANGE = range(2, 7)
FALLBACK_WEIGHTS = {"visits_90d": 1.0, "days_since_visit": -1.0, "contacts_180d": 0.5, "deal_size": 0.5,
                    "open_pipeline": 1.0, "days_per_stage": -0.5, "won_deals": 0.5, "win_rate": 0.5}
# (feature, high?) → (zh, en) words used in segment names and explanations
WORDS = {
    ("visits_90d", True): ("高频互动", "frequent contact"), ("visits_90d", False): ("少互动", "little contact"),
    ("days_since_visit", True): ("久未联系", "gone quiet"), ("days_since_visit", False): ("近期有联系", "recently seen"),
    ("contacts_180d", True): ("多人参与", "many contacts"), ("contacts_180d", False): ("单线联系", "single-threaded"),
    ("deal_size", True): ("大单", "large deals"), ("deal_size", False): ("小单", "small deals"),
    ("open_pipeline", True): ("在谈金额高", "big open pipeline"), ("open_pipeline", False): ("无在谈", "little pipeline"),
    ("days_per_stage", True): ("推进慢", "slow moving"), ("days_per_stage", False): ("推进快", "fast moving"),
    ("won_deals", True): ("老客户", "repeat buyer"), ("won_deals", False): ("未成交", "never bought"),
    ("win_rate", True): ("赢率高", "high win rate"), ("win_rate", False): ("赢率低", "low win rate"),
}


@dataclass(frozen=True)
class AccountFeatures:
    account: AccountFact
    values: dict[str, float]

    def vector(self) -> list[float]:
        return [self.values[f] for f in FEATURES]


def _percentiles(amounts: dict[str, list[float]]):
    ordered = {c: sorted(v) for c, v in amounts.items()}

    def rank(amount: float, currency: str) -> float:
        values = ordered.get(currency) or [amount]
        return bisect_right(values, amount) / len(values)

    return rank


def account_features(accounts: list[AccountFact], deals: list[DealFact], visits: list[VisitFact],
                     as_of: date) -> list[AccountFeatures]:
    """Each account's features from what was known at the end of `as_of`."""
    deals = [d for d in deals if d.created <= as_of]
    visits = [v for v in visits if v.occurred_on <= as_of]
    rank = _percentiles({c: [d.amount for d in deals if d.currency == c and d.amount is not None]
                         for c in {d.currency for d in deals}})
    by_account: dict[int, list[DealFact]] = defaultdict(list)
    for d in deals:
        by_account[d.account_id].append(d)
    seen: dict[int, list[VisitFact]] = defaultdict(list)
    for v in visits:
        seen[v.account_id].append(v)
    velocity_all = [_days_per_stage(d, as_of) for d in deals]
    typical_velocity = statistics.median([v for v in velocity_all if v is not None] or [30.0])
    out = []
    for account in accounts:
        own, met = by_account.get(account.id, []), seen.get(account.id, [])
        won = [d for d in own if d.won_on is not None and d.won_on <= as_of]
        lost = [d for d in own if d.stage == "lost" and d.closed_on is not None and d.closed_on <= as_of]
        open_ = [d for d in own if (s := d.stage_on(as_of)) is not None and s[0] in OPEN]
        sizes = [rank(d.amount, d.currency) for d in own if d.amount is not None]
        pipeline = sum(rank(d.amount, d.currency) for d in open_ if d.amount is not None)
        last = max((v.occurred_on for v in met), default=None)
        velocities = [v for d in own if (v := _days_per_stage(d, as_of)) is not None]
        out.append(AccountFeatures(account, {
            "visits_90d": float(sum(1 for v in met if (as_of - v.occurred_on).days < 90)),
            "days_since_visit": float(min(RECENCY_CAP, (as_of - last).days) if last else RECENCY_CAP),
            "contacts_180d": float(len({c for v in met if (as_of - v.occurred_on).days < 180 for c in v.contact_ids})),
            "deal_size": statistics.fmean(sizes) if sizes else 0.0,
            "open_pipeline": pipeline,
            "days_per_stage": statistics.fmean(velocities) if velocities else typical_velocity,
            "won_deals": float(len(won)),
            "win_rate": (len(won) + 1) / (len(won) + len(lost) + 2),
        }))
    return out


def _days_per_stage(deal: DealFact, as_of: date) -> float | None:
    path = [(s, on) for s, on in deal.path if on <= as_of]
    if len(path) < 2:
        return None
    return (path[-1][1] - path[0][1]).days / (len(path) - 1)


def _shape(vector: list[float]) -> list[float]:
    """Counts and day spans on a log scale, so a few very active accounts do not form clusters
    of their own."""
    return [math.log1p(max(0.0, v)) if f in LOG_FEATURES else v for f, v in zip(FEATURES, vector)]


def _standardize(rows: list[list[float]]):
    from sklearn.preprocessing import StandardScaler

    return StandardScaler().fit(rows)


@dataclass(frozen=True)
class Segment:
    id: int
    size: int
    traits: tuple[tuple[str, bool], ...]   # (feature, high?) that set it apart, strongest first
    industry: str | None
    means: dict[str, float]
    account_ids: tuple[int, ...]

    def name(self, lang: str) -> str:
        i = 0 if lang == "zh" else 1
        parts = [WORDS[t][i] for t in self.traits] + ([self.industry] if self.industry else [])
        return ("·" if lang == "zh" else " · ").join(parts) or ("一般客户" if lang == "zh" else "typical accounts")


@dataclass(frozen=True)
class Segmentation:
    segments: tuple[Segment, ...]
    silhouette: float | None
    k: int

    def of(self, account_id: int) -> Segment | None:
        return next((s for s in self.segments if account_id in s.account_ids), None)


def segment_accounts(features: list[AccountFeatures], *, seed: int = SEED) -> Segmentation:
    """k-means with the k of the best silhouette; segments largest first."""
    if len(features) < 4:
        return Segmentation((_segment(0, features, features, {}),) if features else (), None, 1 if features else 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score

        rows = [_shape(f.vector()) for f in features]
        scaler = _standardize(rows)
        X = scaler.transform(rows)
        best = None
        for k in K_RANGE:
            if k >= len(features):
                break
            labels = KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(X)
            if len(set(labels)) < 2:
                continue
            score = float(silhouette_score(X, labels))
            if best is None or score > best[0] + 1e-9:
                best = (score, k, labels)
    if best is None:
        return Segmentation((_segment(0, features, features, {}),), None, 1)
    score, k, labels = best
    spread = {f: statistics.pstdev(a.values[f] for a in features) or 1.0 for f in FEATURES}
    groups: dict[int, list[AccountFeatures]] = defaultdict(list)
    for feat, label in zip(features, labels):
        groups[int(label)].append(feat)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), min(f.account.id for f in g)))
    return Segmentation(tuple(_segment(i, g, features, spread) for i, g in enumerate(ordered)), score, k)


def _segment(index: int, group: list[AccountFeatures], everyone: list[AccountFeatures],
             spread: dict[str, float]) -> Segment:
    means = {f: statistics.fmean(a.values[f] for a in group) for f in FEATURES}
    members = {id(a) for a in group}
    rest = [a for a in everyone if id(a) not in members] or everyone
    others = {f: statistics.fmean(a.values[f] for a in rest) for f in FEATURES}
    z = {f: (means[f] - others[f]) / spread[f] for f in FEATURES if f in spread}
    traits = tuple((f, z[f] > 0) for f in sorted(z, key=lambda f: -abs(z[f])) if abs(z[f]) >= 0.5)[:2]
    industries = Counter(a.account.industry for a in group if a.account.industry)
    industry = None
    if industries:
        top, count = industries.most_common(1)[0]
        industry = top if count * 2 > len(group) else None
    return Segment(index, len(group), traits, industry, means, tuple(sorted(a.account.id for a in group)))


@dataclass(frozen=True)
class Potential:
    account: AccountFact
    score: int                                  # 0–100
    probability: float
    reasons: tuple[tuple[str, bool], ...]       # (feature, high?) pushing the score up most
    values: dict[str, float]


@dataclass(frozen=True)
class PotentialModel:
    weights: dict[str, float]    # per standardized feature
    intercept: float
    learned: bool                # False: FALLBACK_WEIGHTS
    trained_on: int
    positives: int
    means: dict[str, float]
    scales: dict[str, float]

    def probability(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        contributions = {f: self.weights[f] * (values[f] - self.means[f]) / self.scales[f] for f in FEATURES}
        logit = self.intercept + sum(contributions.values())
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, logit)))), contributions


def learn_potential(accounts: list[AccountFact], deals: list[DealFact], visits: list[VisitFact],
                    as_of: date, *, seed: int = SEED) -> PotentialModel:
    """Features `HORIZON_DAYS` before `as_of` → won a deal within the next `HORIZON_DAYS`."""
    past = as_of - timedelta(days=HORIZON_DAYS)
    active = {d.account_id for d in deals if d.created <= past} | {v.account_id for v in visits if v.occurred_on <= past}
    rows = [f for f in account_features(accounts, deals, visits, past) if f.account.id in active]
    winners = {d.account_id for d in deals if d.won_on is not None and past < d.won_on <= as_of}
    labels = [int(f.account.id in winners) for f in rows]
    current = account_features(accounts, deals, visits, as_of)
    base = rows if len(rows) >= 2 else current
    means = {f: statistics.fmean(r.values[f] for r in base) if base else 0.0 for f in FEATURES}
    scales = {f: (statistics.pstdev(r.values[f] for r in base) if len(base) > 1 else 0.0) or 1.0 for f in FEATURES}
    if len(set(labels)) < 2 or min(Counter(labels).values()) < 3:
        return PotentialModel(dict(FALLBACK_WEIGHTS), 0.0, False, len(rows), sum(labels), means, scales)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sklearn.linear_model import LogisticRegression

        X = [[(r.values[f] - means[f]) / scales[f] for f in FEATURES] for r in rows]
        model = LogisticRegression(C=0.5, random_state=seed, max_iter=1000).fit(X, labels)
    return PotentialModel(dict(zip(FEATURES, map(float, model.coef_[0]))), float(model.intercept_[0]), True,
                          len(rows), sum(labels), means, scales)


def potentials(features: list[AccountFeatures], model: PotentialModel) -> list[Potential]:
    """Every account's score, best first (ties by name)."""
    out = []
    for f in features:
        p, contributions = model.probability(f.values)
        up = sorted((name for name, c in contributions.items() if c > 0.05), key=lambda n: -contributions[n])
        reasons = tuple((name, f.values[name] >= model.means[name]) for name in up[:3])
        out.append(Potential(f.account, round(p * 100), p, reasons, f.values))
    return sorted(out, key=lambda x: (-x.probability, x.account.name))


def high_potential_this_week(accounts: list[AccountFact], deals: list[DealFact], visits: list[VisitFact],
                             as_of: date, *, top: int = 10, limit: int = 5) -> list[tuple[Potential, bool]]:
    """The `limit` best accounts now, each with whether it is new to the top `top` (not in it a
    week before): the ones new to the top first, then the others, best first within each."""
    model = learn_potential(accounts, deals, visits, as_of)
    now = potentials(account_features(accounts, deals, visits, as_of), model)
    before = potentials(account_features(accounts, deals, visits, as_of - timedelta(days=7)), model)
    earlier = {p.account.id for p in before[:top]}
    marked = [(p, p.account.id not in earlier) for p in now[:top]]
    return sorted(marked, key=lambda pair: not pair[1])[:limit]
