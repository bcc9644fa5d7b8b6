"""Keep secrets and residents' words out of the logs that libraries write.

httpx logs every request's URL at INFO, and Telegram's URLs contain the bot token;
python-telegram-bot logs whole requests and updates at DEBUG. Both are held at WARNING by
the app and the CLI, whatever level the rest of the logging runs at. APScheduler logs each
run of a job at INFO, twice every half a minute for the announcements job: held at WARNING
too, so a job's failure still shows and its routine runs do not bury the log. Our own log
lines name kinds and counts, never message text, addresses or platform ids
(tests/bot/test_log_hygiene).
"""

from __future__ import annotations

import logging

QUIET_LOGGERS = ("httpx", "httpcore", "telegram", "hpack", "apscheduler.executors")


def quiet_chatty_loggers() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
