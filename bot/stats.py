"""`salesbot stats`: which engine answered, how fast, and what an LLM cost in tokens."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from statistics import median

from sqlmodel import Session, select

from storage.models import EngineCall


def engine_stats(*, session: Session, days: int, now: datetime) -> str:
    rows = session.exec(select(EngineCall).where(EngineCall.at >= now - timedelta(days=days))).all()
    if not rows:
        return f"no messages parsed in the last {days} days"
    lines = [f"last {days} days: {len(rows)} parses",
             f"{'engine':<10}{'calls':>7}{'p50 ms':>9}{'max ms':>9}{'fallbacks':>11}{'prompt tok':>12}{'compl tok':>11}"]
    for engine in sorted({r.engine for r in rows}):
        mine = [r for r in rows if r.engine == engine]
        lat = [r.latency_ms for r in mine]
        lines.append(f"{engine:<10}{len(mine):>7}{median(lat):>9.1f}{max(lat):>9.1f}"
                     f"{sum(1 for r in mine if r.fallback_reason):>11}"
                     f"{sum(r.prompt_tokens or 0 for r in mine):>12}{sum(r.completion_tokens or 0 for r in mine):>11}")
    for model in sorted({r.model for r in rows if r.model}):
        mine = [r for r in rows if r.model == model]
        answered = [r.latency_ms for r in mine if not r.fallback_reason]
        lines.append(f"model {model}: {len(mine)} parses, {len(answered)} answered"
                     + (f" (p50 {median(answered):.0f} ms)" if answered else "")
                     + f", {sum(r.prompt_tokens or 0 for r in mine)} prompt + "
                       f"{sum(r.completion_tokens or 0 for r in mine)} completion tokens")
    reasons = Counter(r.fallback_reason.split(":", 1)[0] for r in rows if r.fallback_reason)
    if reasons:
        lines.append("fallbacks: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    return "\n".join(lines)
