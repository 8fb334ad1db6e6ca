"""Imports every tool module so `tools.base.all_tools()` sees every tool: CONTRACT.md's and the
chat actions beyond it (renaming a deal, completing, moving and deleting reminders,
the weekly report on demand)."""
from tools import (  # noqa: F401
    accounts, approvals, contracts, handover, health, lead_actions, merge, next_steps, opportunities, pipeline, quotes,
    reminder_actions, reminders, top_accounts, visits, weekly,
)
from tools import forecast, potential  # noqa: F401
