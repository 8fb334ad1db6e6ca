"""Imports every tool module so `tools.base.all_tools()` sees all of CONTRACT.md's tools."""
from tools import (  # noqa: F401
    accounts, approvals, handover, health, merge, next_steps, opportunities, pipeline, quotes,
    reminders, top_accounts, visits,
)
from tools import forecast, potential  # noqa: F401
