"""Questions answered by analytics: next quarter's forecast or a forecast per rep
(sales_forecast), and which accounts are worth pursuing (account_potential).

A forecast of this quarter without "by rep" stays a pipeline_report question (CONTRACT.md); a
forecast is sales_forecast when it asks about next quarter (下季度, next quarter, or the number
of the next quarter: Q1 in December) or asks for it per rep. Scope and a limit (top 3) are read
by the caller (`queries.detect`)."""
from __future__ import annotations

import re

from intents.rules.facts import Draft, Facts

_rx = lambda p: re.compile(p, re.IGNORECASE)  # noqa: E731

FORECAST = _rx(
    r"预测|预估|预计能|forecast|projection|\bproject(?:ed)?\b|"
    r"(?:能|会|可以|还能|大概能|估计能)(?:签|成交|拿下|做到|收)(?:下|到)?多少|签多少|成交多少|拿下多少|"
    r"how much (?:will|can|could|might|are) (?:we|i|the team|my team|they)(?: be able to)? (?:close|sign|win|book|bring in|land)|"
    r"expected (?:revenue|bookings|sales)|what(?:'s| is| will) (?:we|the team) (?:close|land)")
NEXT_QUARTER = _rx(r"下(?:个|一)?季度?|下一?个?季|\bnext (?:quarter|qtr|q)\b|\bcoming quarter\b|\bq\+1\b")
THIS_QUARTER = _rx(r"本季度?|这个?季度|当季|\bthis (?:quarter|qtr|q)\b|\bcurrent quarter\b")
BY_REP = _rx(r"按人|按销售|按(?:每个)?人头|分人|每个人|每人|各人|每位|每个销售|各个?销售|人均|"
             r"\bby (?:rep|reps|person|people|salesperson|owner)\b|\bper (?:rep|person|salesperson|owner)\b|"
             r"\beach rep\b|\bfor each (?:rep|person)\b|\brep by rep\b|\bbroken down by rep\b")
POTENTIAL = _rx(
    r"值得(?:重点)?(?:跟|跟进|投入|关注|去跟|花时间)|重点跟(?:进)?(?:哪|谁)|优先跟(?:进)?|潜力|高潜|最有希望|"
    r"最(?:有)?可能(?:成交|签|买)|该(?:重点)?(?:盯|跟)(?:哪|谁)|"
    r"\b(?:most|highest|high|best|greatest|top)[- ](?:potential|upside)\b|\bpotential\b|worth (?:pursuing|chasing|focusing on|following up|a push|the effort)|"
    r"\bmost promising\b|\bbest (?:prospects|bets|opportunities to chase)\b|\blikel(?:y|iest) to (?:buy|close|convert|sign)\b|"
    r"\b(?:focus|prioriti[sz]e) (?:on )?which\b|\bwhich (?:accounts|customers|clients) (?:should|to) (?:i|we) (?:focus|prioriti[sz]e|chase|go after)")


def detect(facts: Facts) -> Draft | None:
    low = facts.msg.low
    if POTENTIAL.search(low) and not FORECAST.search(low):
        return Draft("account_potential", 0)
    if not FORECAST.search(low):
        return None
    next_quarter = bool(NEXT_QUARTER.search(low)) or _names_next_quarter(facts)
    by_rep = bool(BY_REP.search(low))
    if not (next_quarter or by_rep):
        return None
    draft = Draft("sales_forecast", 0)
    if next_quarter:
        draft.args["quarter"] = "next_quarter"
    elif THIS_QUARTER.search(low) or _names_this_quarter(facts):
        draft.args["quarter"] = "this_quarter"
    if by_rep:
        draft.args["by"] = "rep"
    return draft


def _quarters_named(facts: Facts) -> list[tuple[int, int]]:
    """(quarter, year) of every calendar quarter the message names by number (Q1, 一季度)."""
    today = facts.today
    named = []
    for d in facts.dates:
        if d.kind == "quarter" and d.quarter is not None:
            year = d.year or today.year + (d.years or 0)
            if d.year is None and d.years is None and d.quarter < (today.month - 1) // 3 + 1:
                year = today.year + 1  # Q1 asked in December is next year's
            named.append((d.quarter, year))
    return named


def _names_next_quarter(facts: Facts) -> bool:
    today = facts.today
    q = (today.month - 1) // 3 + 1
    following = (1, today.year + 1) if q == 4 else (q + 1, today.year)
    return following in _quarters_named(facts)


def _names_this_quarter(facts: Facts) -> bool:
    today = facts.today
    return ((today.month - 1) // 3 + 1, today.year) in _quarters_named(facts)
