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
    value       the value report's figures, each for a quarter and the one before
    report      the quarterly value report as HTML and PDF (report_text: its words, zh and en)
    charts      the funnel and weekly trend as PNGs (matplotlib, a CJK font), shared with the digest
    eval_forecast  `make eval-forecast`

Reads `storage/` only; never imports `bot`, `web` or `intents`. Heavy libraries (statsmodels,
scikit-learn, WeasyPrint) are imported where first used. Money is per currency and never converted.
"""


def load_libraries() -> None:
    """Import the heavy libraries of the forecast and the segments, so the first forecast or
    potential question in chat does not wait for them (the bot runs this as a start-up task).
    A missing extra is left for first use to report."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import sklearn.cluster  # noqa: F401
            import sklearn.linear_model  # noqa: F401
            import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401
    except Exception:  # missing extra: the tools say so when asked
        pass
