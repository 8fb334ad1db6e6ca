"""The Telegram adapter (python-telegram-bot 22).

config.py (TELEGRAM_* settings) · inbound.py (Update → IncomingMessage) · render.py (Reply →
messages and inline keyboards) · flow.py (rate limits, per-chat order, typing) · adapter.py (the
PTB application and `run_telegram`).
"""
