"""Proactive messages: the bot speaks first, and nothing is missed or sent twice.

    runner    Scheduler: tick (due reminders, then due jobs) every 30 s and once on start;
              serve_with_scheduler runs it beside an adapter
    queue     the database as the queue: atomic claims, leases, delivery records (read it for
              the at-least-once rule)
    jobs      which briefs, nudges and digests are due for whom, under once-only keys
    nudges    morning brief, stale-deal and approval nudges
    digest    the managers' weekly digest with charts, the monthly data star
    compose   reminders with Done / Snooze 1h / Tomorrow; the 🔕 button
    prefs     per-user switches, quiet hours, brief time (User.preferences)
    settings  /notify in chat, the 🔕 button, `salesbot users prefs`
    next_steps  a visit's dated next step → next_step_due → a reminder (tools/visits.py)

See docs/proactive.md.
"""
