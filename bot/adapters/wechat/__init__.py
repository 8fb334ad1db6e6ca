"""The WeChat / WeCom adapter (a wechaty puppet-service gateway).

config.py (WECHATY_* settings) · inbound.py (wechaty message → WeChatMessage, typed numbers and
decisions) · render.py (Reply → texts with numbered choices) · gateway.py (the connection and its
reconnects) · compat.py (SDK shims) · adapter.py (workers per chat and `run_wechat`).
"""
