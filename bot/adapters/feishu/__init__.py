"""The Feishu / Lark adapter (a self-built app on the open platform).

config.py (FEISHU_* settings) · api.py (the open-platform calls, tenant_access_token cached and
renewed) · inbound.py (lark-oapi events → IncomingMessage) · render.py (Reply → message cards,
schema 2.0) · adapter.py (the /feishu/events server or the long connection, per-chat order,
`run_feishu`).
"""
