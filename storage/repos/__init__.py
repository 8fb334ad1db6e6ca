"""Repository functions: the queries tools and reports share.

Each function takes the session keyword-only (`session=`) and never commits; the caller owns the
transaction. They return table rows (or plain mappings of them) and apply no permission rules:
who may see what is decided in `tools.permissions`.
"""

MANY = 500  # ids past which filtering in Python beats an IN list
