"""Next quarter's won amount, from two views of the CRM, combined, with an interval.

1. Pipeline. Stage-to-win probabilities and stage-to-close durations are learned from the deals
   closed so far: of the closed deals that passed through a stage, the share won, shrunk towards a
   prior (`PRIOR_WIN`, worth `PRIOR_DEALS` deals) so that a thin history does not swing it; and
   conditioned on the deal's age in its stage (of the closed deals still open at that age, the
   share won). Each open deal gets an expected value (amount × probability) and an expected close
   month (the median remaining time of won deals that were as old in that stage). Deals expected
   in the quarter are summed; their variance is that of independent Bernoulli outcomes. The
   pipeline only holds part of a quarter's business (deals opened and won inside the quarter are
   not in it yet), so the sum is divided by the share of a quarter's won amount that came from
   deals already open when it began (`coverage`, learned the same way, with a prior).
2. Time series. Monthly won amounts, exponential smoothing (statsmodels `ETSModel`: additive
   error and trend, additive 12-month seasonality once there are 24 months), simulated forward
   to the quarter's months; the mean and spread of the simulated quarter sums.

The two are combined by inverse variance; the interval is the combined mean ± 1.28 σ (80 %),
never below zero. Amounts are floats in one currency (callers group deals by currency).
"""
from __future__ import annotations

import math
import statistics
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from analytics.data import OPEN, DealFact
from analytics.quarters import Quarter, add_months, month_index, month_start

PRIOR_WIN = {"prospect": 0.10, "evaluation": 0.30, "negotiation": 0.60}
PRIOR_DAYS = {"prospect": 120.0, "evaluation": 75.0, "negotiation": 35.0}
PRIOR_DEALS = 10      # a stage's prior win probability weighs as much as this many closed deals
PRIOR_DURATIONS = 3   # the prior duration weighs as much as this many won deals
PRIOR_COVERAGE, PRIOR_QUARTERS = 0.6, 2
COVERAGE_SPREAD = 0.25  # relative uncertainty of scaling the pipeline up by coverage
SEASONAL_MONTHS = 24
MIN_SERIES_MONTHS = 6
SIMULATIONS = 2000
Z80 = 1.2816


@dataclass(frozen=True)
class StageModel:
    """What closed deals taught: per open stage, P(win), median days from entering it to won, and
    the (days from entering it to closing, won) of every closed deal that passed through it."""

    win: dict[str, float]
    days_to_close: dict[str, float]
    closed: dict[str, int]
    outcomes: dict[str, tuple[tuple[int, bool], ...]]

    def probability(self, stage: str, age_days: int) -> float:
        """P(win) for a deal `age_days` in `stage`: among closed deals that were still open at that
        age in the stage, the share won, shrunk towards the stage's overall rate."""
        later = [won for days, won in self.outcomes.get(stage, ()) if days > age_days]
        base = self.win[stage]
        return (sum(later) + PRIOR_DEALS * base) / (len(later) + PRIOR_DEALS)

    def remaining_days(self, stage: str, age_days: int) -> float:
        """Median days still to go for a deal `age_days` in `stage`, from won deals that took longer."""
        longer = [days - age_days for days, won in self.outcomes.get(stage, ()) if won and days > age_days]
        if len(longer) >= PRIOR_DURATIONS:
            return float(statistics.median(longer))
        return max(14.0, self.days_to_close[stage] - age_days)


def _reached(deal: DealFact, stage: str) -> date | None:
    entered = deal.entered(stage)
    if entered is None and not deal.path and stage == "prospect":
        return deal.created
    return entered


def learn_stages(deals: list[DealFact], as_of: date) -> StageModel:
    """The stage model from deals closed on or before `as_of`."""
    win, days, closed, outcomes = {}, {}, {}, {}
    for stage in OPEN:
        rows = []
        for d in deals:
            if d.closed_on is None or d.closed_on > as_of or d.stage not in ("won", "lost"):
                continue
            entered = _reached(d, stage)
            if entered is not None and entered <= d.closed_on:
                rows.append(((d.closed_on - entered).days, d.stage == "won"))
        won_days = sorted(days_ for days_, won in rows if won)
        win[stage] = (sum(w for _, w in rows) + PRIOR_DEALS * PRIOR_WIN[stage]) / (len(rows) + PRIOR_DEALS)
        median = statistics.median(won_days) if won_days else PRIOR_DAYS[stage]
        days[stage] = (len(won_days) * median + PRIOR_DURATIONS * PRIOR_DAYS[stage]) / (len(won_days) + PRIOR_DURATIONS)
        closed[stage] = len(rows)
        outcomes[stage] = tuple(sorted(rows))
    return StageModel(win, days, closed, outcomes)


@dataclass(frozen=True)
class DealExpectation:
    deal_id: int
    owner_id: int
    account_id: int
    stage: str
    amount: float
    probability: float
    expected_value: float
    close_month: date


def expectations(deals: list[DealFact], model: StageModel, as_of: date) -> list[DealExpectation]:
    """Every deal open at the end of `as_of` (with an amount), its expected value and close month."""
    out = []
    for d in deals:
        state = d.stage_on(as_of)
        if state is None or state[0] not in OPEN or d.amount is None:
            continue
        if d.closed_on is not None and d.closed_on <= as_of:
            continue
        stage, entered = state
        age = max(0, (as_of - entered).days)
        p = model.probability(stage, age)
        close = as_of + timedelta(days=max(1, round(model.remaining_days(stage, age))))
        out.append(DealExpectation(d.id, d.owner_id, d.account_id, stage, d.amount, p, d.amount * p,
                                   month_start(close)))
    return out


@dataclass(frozen=True)
class Estimate:
    mean: float
    std: float


@dataclass(frozen=True)
class SeriesEstimate(Estimate):
    method: str
    months: int
    params: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PipelineEstimate(Estimate):
    raw: float          # expected value of the deals expected in the quarter, before coverage
    coverage: float
    deals: tuple[DealExpectation, ...] = ()


@dataclass(frozen=True)
class QuarterForecast:
    quarter: Quarter
    as_of: date
    mean: float
    low: float
    high: float
    series: SeriesEstimate | None
    pipeline: PipelineEstimate
    stages: StageModel


def monthly_won(deals: list[DealFact], until: date) -> tuple[date | None, list[float]]:
    """Won amount per month, from the first month with a win to the last full month before
    `until`; empty months are zeros."""
    totals: dict[int, float] = defaultdict(float)
    end = month_index(until)
    for d in deals:
        if d.won_on is not None and d.amount is not None and month_index(d.won_on) < end:
            totals[month_index(d.won_on)] += d.amount
    if not totals:
        return None, []
    first = min(totals)
    start = date(first // 12, first % 12 + 1, 1)
    return start, [totals.get(i, 0.0) for i in range(first, end)]


def fit_series(values: list[float]):
    """The fitted `ETSModel` results (seasonal when there are two years of months)."""
    import numpy as np

    seasonal = len(values) >= SEASONAL_MONTHS
    with warnings.catch_warnings():  # statsmodels warns on import (pandas deprecations) and on fits
        warnings.simplefilter("ignore")
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        model = ETSModel(np.asarray(values, dtype=float), error="add", trend="add",
                         seasonal="add" if seasonal else None, seasonal_periods=12 if seasonal else None)
        return model.fit(disp=False, maxiter=2000)


def series_forecast(values: list[float], horizon: list[int], *, seed: int = 0) -> SeriesEstimate | None:
    """The sum of the months `horizon` steps ahead (1 = the month after the last value)."""
    if not values or sum(values) <= 0:
        return None
    if len(values) < MIN_SERIES_MONTHS:
        mean = statistics.fmean(values) * len(horizon)
        std = (statistics.stdev(values) if len(values) > 1 else mean) * math.sqrt(len(horizon))
        return SeriesEstimate(mean, std, "mean", len(values))
    import numpy as np

    results = fit_series(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        paths = results.simulate(nsimulations=max(horizon), repetitions=SIMULATIONS, anchor="end",
                                 random_state=seed)
    paths = np.clip(np.asarray(paths).reshape(max(horizon), -1), 0, None)
    sums = paths[[h - 1 for h in horizon], :].sum(axis=0)
    method = "ets_seasonal" if len(values) >= SEASONAL_MONTHS else "ets_trend"
    return SeriesEstimate(float(sums.mean()), float(sums.std()), method, len(values), series_params(results))


def series_params(results) -> dict[str, float]:
    """The fitted model in plain numbers: the monthly trend (slope) at the end of the history and,
    when seasonal, the half range of the last year's seasonal states."""
    import numpy as np

    params = {"level": float(np.asarray(results.level)[-1]), "trend": float(np.asarray(results.slope)[-1])}
    season = getattr(results, "season", None)
    if season is not None and results.model.seasonal:
        last = np.asarray(season)[-12:]
        params["seasonal_amplitude"] = float((last.max() - last.min()) / 2)
    return params


def coverage(deals: list[DealFact], as_of: date) -> float:
    """The share of a quarter's won amount that came from deals already open when it began, over
    the quarters that ended by `as_of`, shrunk towards `PRIOR_COVERAGE`."""
    by_quarter: dict[Quarter, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for d in deals:
        if d.won_on is None or d.amount is None or d.won_on > as_of:
            continue
        q = Quarter.of(d.won_on)
        if q.end > as_of + timedelta(days=1):
            continue
        before = d.stage_on(q.start - timedelta(days=1))
        by_quarter[q][1] += d.amount
        if before is not None and before[0] in OPEN:
            by_quarter[q][0] += d.amount
    quarters = [v for v in by_quarter.values() if v[1] > 0]
    if not quarters:
        return PRIOR_COVERAGE
    ratio = sum(v[0] for v in quarters) / sum(v[1] for v in quarters)
    return (len(quarters) * ratio + PRIOR_QUARTERS * PRIOR_COVERAGE) / (len(quarters) + PRIOR_QUARTERS)


def forecast_quarter(deals: list[DealFact], quarter: Quarter, *, as_of: date, seed: int = 0) -> QuarterForecast:
    """`quarter`'s won amount as seen at the end of `as_of` (deals of one currency)."""
    stages = learn_stages(deals, as_of)
    expected = [e for e in expectations(deals, stages, as_of) if e.close_month in quarter]
    raw = sum(e.expected_value for e in expected)
    var = sum(e.amount ** 2 * e.probability * (1 - e.probability) for e in expected)
    cover = coverage(deals, as_of)
    p_mean = raw / cover
    p_var = var / cover ** 2 + (COVERAGE_SPREAD * p_mean) ** 2
    pipeline = PipelineEstimate(p_mean, math.sqrt(p_var), raw, cover, tuple(expected))

    cutoff = as_of + timedelta(days=1)
    first, values = monthly_won(deals, cutoff if cutoff.day == 1 else month_start(cutoff))
    series = None
    if first is not None:
        next_month = add_months(first, len(values))
        horizon = [month_index(m) - month_index(next_month) + 1 for m in quarter.months()]
        if min(horizon) >= 1:
            series = series_forecast(values, horizon, seed=seed)
    mean, std = combine(series, pipeline)
    return QuarterForecast(quarter, as_of, mean, max(0.0, mean - Z80 * std), mean + Z80 * std,
                           series, pipeline, stages)


def combine(series: Estimate | None, pipeline: Estimate) -> tuple[float, float]:
    """Inverse-variance weighting of the two estimates (one alone when the other is missing)."""
    parts = [e for e in (series, pipeline) if e is not None and e.mean > 0]
    if not parts:
        return 0.0, 0.0
    if len(parts) == 1 or any(e.std <= 0 for e in parts):
        best = min(parts, key=lambda e: e.std if e.std > 0 else 0)
        return best.mean, best.std
    weights = [1 / e.std ** 2 for e in parts]
    mean = sum(w * e.mean for w, e in zip(weights, parts)) / sum(weights)
    return mean, math.sqrt(1 / sum(weights))


@dataclass(frozen=True)
class OwnerShare:
    owner_id: int
    pipeline: float   # expected value of the owner's deals expected in the quarter (raw)
    mean: float
    low: float
    high: float
    deals: int


def split_by_owner(fc: QuarterForecast, deals: list[DealFact], owner_ids: list[int]) -> list[OwnerShare]:
    """The combined forecast per owner: each owner's own pipeline for the quarter, plus the part
    the pipeline does not explain (combined − pipeline, if positive) in proportion to what each
    owner won over the last four quarters (equal shares when nobody won); when the pipeline alone
    exceeds the combined mean, each owner's pipeline is scaled down to fit it. Interval bounds scale
    with the owner's share of the mean."""
    raw = defaultdict(float)
    counts = defaultdict(int)
    for e in fc.pipeline.deals:
        raw[e.owner_id] += e.expected_value
        counts[e.owner_id] += 1
    since = fc.quarter.start - timedelta(days=365)
    recent = defaultdict(float)
    for d in deals:
        if d.won_on is not None and d.amount is not None and since <= d.won_on <= fc.as_of:
            recent[d.owner_id] += d.amount
    total_recent = sum(recent[o] for o in owner_ids)
    raw_total = sum(raw.values())
    fit = min(1.0, fc.mean / raw_total) if raw_total else 1.0  # the pipeline alone may exceed the mean
    rest = max(0.0, fc.mean - raw_total)
    shares = []
    for o in owner_ids:
        weight = recent[o] / total_recent if total_recent else 1 / len(owner_ids)
        mean = raw[o] * fit + rest * weight
        scale = mean / fc.mean if fc.mean else 0.0
        shares.append(OwnerShare(o, raw[o], mean, fc.low * scale, fc.high * scale, counts[o]))
    return sorted(shares, key=lambda s: -s.mean)
