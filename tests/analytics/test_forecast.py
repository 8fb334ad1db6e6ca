"""The forecast on a generated history with known parameters: the stage model, the time-series
fit and the backtest recover them within stated errors; thin histories fall back to the prior."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from analytics.backtest import backtest, format_backtest
from analytics.data import DealFact
from analytics.forecast import (
    PRIOR_WIN, fit_series, forecast_quarter, learn_stages, monthly_won, series_params, split_by_owner,
)
from analytics.quarters import Quarter
from analytics.synthetic import synthetic_history

# Stated errors: P(win) from each stage within 0.05 (about 3 binomial standard errors for ~1,200
# deals), the monthly trend and the seasonal amplitude within 25 %, next-quarter MAPE under 20 %
# with 5 % monthly noise, and bias within ±10 %.
WIN_ERROR, SERIES_ERROR, MAX_MAPE, MAX_BIAS = 0.05, 0.25, 0.20, 0.10


@pytest.fixture(scope="module")
def history():
    return synthetic_history(seed=11)


def test_stage_probabilities_are_recovered(history):
    deals, truth = history
    model = learn_stages(deals, truth.today)
    for stage, p in truth.win.items():
        assert model.win[stage] == pytest.approx(p, abs=WIN_ERROR), stage
    assert model.closed["prospect"] > 900


def test_trend_and_seasonality_are_recovered(history):
    deals, truth = history
    _, values = monthly_won(deals, truth.today)
    assert len(values) == 48
    params = series_params(fit_series(values))
    assert params["trend"] == pytest.approx(truth.trend, rel=SERIES_ERROR)
    assert params["seasonal_amplitude"] == pytest.approx(truth.amplitude, rel=SERIES_ERROR)


def test_backtest_error_is_small_and_unbiased(history):
    deals, truth = history
    bt = backtest(deals, currency="CNY", today=truth.today, seed=3)
    assert len(bt.rows) == 14
    assert bt.mape() < MAX_MAPE
    assert abs(bt.bias()) < MAX_BIAS
    text = format_backtest(bt)
    assert "2025Q4" in text and "MAPE" in text and "bias" in text


def test_backtest_is_deterministic(history):
    deals, truth = history
    one = backtest(deals, currency="CNY", today=truth.today, seed=5)
    two = backtest(deals, currency="CNY", today=truth.today, seed=5)
    assert [r.forecast.mean for r in one.rows] == [r.forecast.mean for r in two.rows]


def test_interval_contains_the_mean_and_tracks_the_truth(history):
    deals, truth = history
    target = Quarter(2025, 4)
    fc = forecast_quarter(deals, target, as_of=target.start - timedelta(days=1), seed=1)
    assert fc.low < fc.mean < fc.high
    expected = sum(truth.expected(m) for m in target.months())
    assert fc.mean == pytest.approx(expected, rel=0.2)
    assert fc.series is not None and fc.series.method == "ets_seasonal"
    assert 0 < fc.pipeline.coverage < 1


def _deal(i: int, stage: str, path: list[tuple[str, date]], amount: float = 100.0, owner: int = 1) -> DealFact:
    closed = path[-1][1] if stage in ("won", "lost") else None
    return DealFact(id=i, account_id=i, owner_id=owner, amount=amount, currency="CNY", stage=stage,
                    created=path[0][1], path=tuple(path), closed_on=closed)


def test_thin_history_leans_on_the_prior():
    day = date(2026, 1, 5)
    deals = [_deal(1, "won", [("prospect", day), ("evaluation", day + timedelta(10)),
                              ("negotiation", day + timedelta(20)), ("won", day + timedelta(30))])]
    model = learn_stages(deals, date(2026, 6, 1))
    # one win out of one: the estimate moves towards 1 but stays near the prior
    assert PRIOR_WIN["negotiation"] < model.win["negotiation"] < 0.7
    assert model.closed["negotiation"] == 1
    empty = learn_stages([], date(2026, 6, 1))
    assert empty.win == PRIOR_WIN


def test_by_owner_shares_add_up_to_the_forecast(history):
    deals, truth = history
    target = Quarter(2025, 4)
    fc = forecast_quarter(deals, target, as_of=target.start - timedelta(days=1), seed=1)
    shares = split_by_owner(fc, deals, [1, 2, 3, 4, 5])
    assert sum(s.mean for s in shares) == pytest.approx(fc.mean, rel=1e-6)
    assert [s.mean for s in shares] == sorted((s.mean for s in shares), reverse=True)


def test_quarter_parsing():
    q = Quarter.parse("2026Q4")
    assert (q.start, q.end, str(q.next()), str(q.previous())) == (date(2026, 10, 1), date(2027, 1, 1), "2027Q1", "2026Q3")
    with pytest.raises(ValueError):
        Quarter.parse("2026-13")


def test_usage_catalogue_names_every_tool():
    from analytics.usage import TOOL_FEATURES
    from tools.base import all_tools

    assert set(TOOL_FEATURES) == set(all_tools())
