"""A generated CRM history with known parameters, to check that the models recover them.

Each month a number of deals open and move prospect → evaluation → negotiation → won, each step
taken with a known probability (else the deal is lost there), after a random dwell in each stage.
The won amount of every calendar month is set to a known curve,

    base + trend × month + amplitude × sin(2π × month / 12), times (1 + noise × N(0, 1)),

split among the deals won that month. Deals closed before `start` are left out; deals not closed
by `today` are the open pipeline.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from analytics.data import DealFact
from analytics.quarters import add_months, month_index


@dataclass(frozen=True)
class Truth:
    start: date
    today: date
    base: float
    trend: float        # per month
    amplitude: float    # of the 12-month sine
    noise: float        # relative standard deviation of a month's won amount
    step: dict[str, float]  # P(moving on) from each open stage

    @property
    def win(self) -> dict[str, float]:
        """P(win) from each open stage: the product of the steps still to take."""
        p_n = self.step["negotiation"]
        p_e = self.step["evaluation"] * p_n
        return {"prospect": self.step["prospect"] * p_e, "evaluation": p_e, "negotiation": p_n}

    def expected(self, month: date) -> float:
        m = month_index(month) - month_index(self.start)
        return self.base + self.trend * m + self.amplitude * math.sin(2 * math.pi * m / 12)


DWELL = {"prospect": (10, 40), "evaluation": (15, 50), "negotiation": (7, 30)}


def synthetic_history(*, seed: int = 11, months: int = 48, start: date = date(2022, 1, 1),
                      base: float = 3_000_000, trend: float = 50_000, amplitude: float = 800_000,
                      noise: float = 0.05, opened_per_month: int = 24,
                      step: dict[str, float] | None = None) -> tuple[list[DealFact], Truth]:
    rng = Random(seed)
    today = add_months(start, months)
    truth = Truth(start, today, base, trend, amplitude, noise,
                  step or {"prospect": 0.6, "evaluation": 0.6, "negotiation": 0.7})
    plans = []
    for m in range(-4, months):  # deals opened before the first month win in it
        first = add_months(start, m)
        for _ in range(opened_per_month):
            opened = first + timedelta(days=rng.randrange(28))
            path, on = [("prospect", opened)], opened
            outcome = None
            for stage, nxt in (("prospect", "evaluation"), ("evaluation", "negotiation"), ("negotiation", "won")):
                on = on + timedelta(days=rng.randint(*DWELL[stage]))
                if rng.random() < truth.step[stage]:
                    path.append((nxt, on))
                    if nxt == "won":
                        outcome = "won"
                else:
                    path.append(("lost", on))
                    outcome = "lost"
                    break
            plans.append((opened, path, outcome))
    won_by_month: dict[int, list[int]] = {}
    for index, (_, path, outcome) in enumerate(plans):
        closed = path[-1][1]
        if outcome == "won" and start <= closed < today:
            won_by_month.setdefault(month_index(closed), []).append(index)
    amounts: dict[int, float] = {}
    for month, indexes in won_by_month.items():
        first = date(month // 12, month % 12 + 1, 1)
        total = truth.expected(first) * (1 + noise * rng.gauss(0, 1))
        weights = [rng.uniform(0.5, 1.5) for _ in indexes]
        for i, w in zip(indexes, weights):
            amounts[i] = total * w / sum(weights)
    typical = base / 6
    deals = []
    for index, (opened, path, _) in enumerate(plans):
        if path[-1][0] in ("won", "lost") and path[-1][1] < start:
            continue  # closed before the history begins
        known = tuple((s, on) for s, on in path if on < today)
        stage = known[-1][0]
        closed_on = known[-1][1] if stage in ("won", "lost") else None
        amount = amounts.get(index) or round(typical * rng.uniform(0.5, 1.5), 2)
        deals.append(DealFact(id=index + 1, account_id=index % 97 + 1, owner_id=index % 5 + 1,
                              amount=amount, currency="CNY", stage=stage, created=opened, path=known,
                              closed_on=closed_on))
    return deals, truth
