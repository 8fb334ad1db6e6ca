"""The WeCom (企业微信) self-built app adapter.

config.py (WECOM_* settings) · crypto.py (callback signatures and AES, with wechatpy) · inbound.py
(decrypted callback XML → WeComEvent → IncomingMessage, replay guard) · render.py (Reply → text,
template cards and images) · api.py (the server API: access token, message/send, media, cards,
directory) · adapter.py (the callback server, workers per chat and `run_wecom`).
"""
