"""The Telegram channel: ``POST /webhooks/telegram`` in, python-telegram-bot's types to parse."""
