"""`make eval-forecast`: the forecast backtest (train to quarter Q, forecast Q+1) on the demo CRM
and on a generated history with a known trend, seasonality and stage conversion, and how well the
models recover those known parameters."""
from __future__ import annotations

import argparse
import time
from datetime import date
from zoneinfo import ZoneInfo

from analytics.backtest import backtest, format_backtest
from analytics.data import by_currency, load_deals
from analytics.forecast import fit_series, learn_stages, monthly_won, series_params
from analytics.synthetic import synthetic_history

DEMO_TODAY = date(2026, 11, 25)
DEMO_SEED = 7


def demo_deals(today: date = DEMO_TODAY, seed: int = DEMO_SEED):
    """The demo CRM's deals, loaded into an in-memory SQLite database."""
    from sqlmodel import SQLModel

    from storage.db import make_engine, session_scope
    from storage.demo import TIMEZONE, load_demo

    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with session_scope(engine) as session:
        load_demo(session=session, today=today, seed=seed)
        return load_deals(session=session, tz=ZoneInfo(TIMEZONE))


def recovery_report(seed: int) -> str:
    deals, truth = synthetic_history(seed=seed)
    stages = learn_stages(deals, truth.today)
    _, values = monthly_won(deals, truth.today)
    params = series_params(fit_series(values))
    lines = [f"recovered parameters (seed {seed}, {len(values)} months, {len(deals)} deals):",
             f"  monthly trend      true {truth.trend:>12,.0f}   fitted {params['trend']:>12,.0f}   "
             f"error {(params['trend'] - truth.trend) / truth.trend * 100:+.1f}%",
             f"  seasonal amplitude true {truth.amplitude:>12,.0f}   fitted {params['seasonal_amplitude']:>12,.0f}   "
             f"error {(params['seasonal_amplitude'] - truth.amplitude) / truth.amplitude * 100:+.1f}%"]
    for stage, p in truth.win.items():
        lines.append(f"  P(win | {stage:<11}) true {p:.3f}   learned {stages.win[stage]:.3f}   "
                     f"error {stages.win[stage] - p:+.3f}")
    bt = backtest(deals, currency="CNY", today=truth.today, seed=seed)
    return "\n".join(lines + ["", format_backtest(bt)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.eval_forecast", description=__doc__)
    parser.add_argument("--seed", type=int, default=11, help="seed of the generated history (default 11)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"== demo CRM (seed {DEMO_SEED}, today {DEMO_TODAY}): backtest per currency")
    for currency, deals in sorted(by_currency(demo_deals()).items()):
        print(format_backtest(backtest(deals, currency=currency, today=DEMO_TODAY)))
        print()
    print("== generated history: 4 years, known trend and seasonality")
    print(recovery_report(args.seed))
    print(f"\n({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
