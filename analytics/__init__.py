"""Analytics over the CRM: a backtested sales forecast, customer segments, approval timing, usage,
and the quarterly value report.

    data        the CRM's rows as plain, frozen facts (deals with their stage path, visits, quotes)
    quarters    calendar quarters (2026Q4) and months as half-open date ranges
    forecast    stage-to-win probabilities and durations learned from closed deals, deal-level
                expected value and close month, exponential smoothing of won amounts, combined
    backtest    train to quarter Q, forecast Q+1, MAPE and bias per quarter
    synthetic   a generated history with a known trend, seasonality and stage conversion
    segments    per-account features, k-means segments named by what sets them apart, potential
    approvals   quote request → decision times by approver and discount band
    usage       active users, adoption, features used and never used, card outcomes
    report      the quarterly value report as HTML and PDF

Reads `storage/` only; never imports `bot`, `web` or `intents`. Heavy libraries (statsmodels,
scikit-learn, WeasyPrint) are imported where first used. Money is per currency and never converted.
"""
