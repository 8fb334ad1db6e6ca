"""The console adapter: `salesbot chat --as USER` in a terminal.

config.py (who sits at the terminal) · inbound.py (a typed line → IncomingMessage) ·
render.py (Reply → numbered lines) · adapter.py (the read-handle-print loop).
"""
