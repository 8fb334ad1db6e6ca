"""Backtest: for each quarter Q of the history, train on what was known at its end, forecast
Q+1, and compare with what was won. Errors are relative to the actual amount: APE = |f − a| / a,
bias = (f − a) / a (positive = over-forecast); MAPE and mean bias over the quarters."""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from analytics.data import DealFact
from analytics.forecast import MIN_SERIES_MONTHS, QuarterForecast, forecast_quarter, monthly_won
from analytics.quarters import Quarter, month_index


@dataclass(frozen=True)
class BacktestRow:
    """One quarter's forecast (made at the end of the quarter before) against what was won."""

    quarter: Quarter
    actual: float
    forecast: QuarterForecast
    currency: str = ""

    @property
    def error(self) -> float | None:
        return (self.forecast.mean - self.actual) / self.actual if self.actual else None

    def error_of(self, value: float | None) -> float | None:
        return None if value is None or not self.actual else (value - self.actual) / self.actual

    @property
    def inside(self) -> bool:
        return self.forecast.low <= self.actual <= self.forecast.high


@dataclass(frozen=True)
class Backtest:
    currency: str
    rows: tuple[BacktestRow, ...]

    def mape(self, which: str = "combined") -> float | None:
        errors = [abs(e) for e in self._errors(which) if e is not None]
        return statistics.fmean(errors) if errors else None

    def bias(self, which: str = "combined") -> float | None:
        errors = [e for e in self._errors(which) if e is not None]
        return statistics.fmean(errors) if errors else None

    def coverage(self) -> float | None:
        return statistics.fmean(r.inside for r in self.rows) if self.rows else None

    def _errors(self, which: str) -> list[float | None]:
        pick = {"combined": lambda r: r.forecast.mean,
                "series": lambda r: r.forecast.series.mean if r.forecast.series else None,
                "pipeline": lambda r: r.forecast.pipeline.mean}[which]
        return [r.error_of(pick(r)) for r in self.rows]


def actual_won(deals: list[DealFact], quarter: Quarter) -> float:
    return sum(d.amount for d in deals if d.won_on is not None and d.amount is not None and d.won_on in quarter)


def backtest(deals: list[DealFact], *, currency: str, today: date, seed: int = 0,
             min_months: int = MIN_SERIES_MONTHS) -> Backtest:
    """Every target quarter that ended before `today` and has at least `min_months` months of won
    history before it."""
    first, _ = monthly_won(deals, today)
    rows = []
    if first is not None:
        target = Quarter.of(first).next()
        while target.end <= today:
            if month_index(target.start) - month_index(first) >= min_months:
                fc = forecast_quarter(deals, target, as_of=target.start - timedelta(days=1), seed=seed)
                rows.append(BacktestRow(target, actual_won(deals, target), fc))
            target = target.next()
    return Backtest(currency, tuple(rows))


def format_backtest(bt: Backtest) -> str:
    """The table `make eval-forecast` prints: one line per quarter, then MAPE and bias."""
    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x * 100:+.1f}%"

    def money(x: float | None) -> str:
        return "—" if x is None else f"{x:,.0f}"

    lines = [f"{'quarter':<8} {'actual':>14} {'forecast':>14} {'80% interval':>31} {'error':>8} "
             f"{'series':>14} {'pipeline':>14}"]
    for r in bt.rows:
        fc = r.forecast
        lines.append(f"{str(r.quarter):<8} {money(r.actual):>14} {money(fc.mean):>14} "
                     f"{money(fc.low) + ' – ' + money(fc.high):>31} {pct(r.error):>8} "
                     f"{money(fc.series.mean if fc.series else None):>14} {money(fc.pipeline.mean):>14}")
    if not bt.rows:
        lines.append("(not enough history to backtest)")
        return "\n".join(lines)
    for which in ("combined", "series", "pipeline"):
        mape, bias = bt.mape(which), bt.bias(which)
        lines.append(f"{bt.currency} {which:<9} MAPE {'—' if mape is None else f'{mape * 100:.1f}%'}  "
                     f"bias {pct(bias)}  ({len(bt.rows)} quarters)")
    lines.append(f"{bt.currency} actual inside the 80% interval: {bt.coverage() * 100:.0f}% of quarters")
    return "\n".join(lines)
