"""One-off Telegram settings: the webhook with its secret, and the command menu per language."""

from __future__ import annotations

from telegram import Bot, BotCommand

from dialogs.commands import CHANNEL_COMMANDS
from locales import RESIDENT_LANGUAGES, Translators

ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")


async def set_webhook(
    bot: Bot, *, url: str, secret: str, drop_pending_updates: bool, allowed_updates: tuple[str, ...]
) -> bool:
    return await bot.set_webhook(
        url=url,
        secret_token=secret,
        allowed_updates=list(allowed_updates),
        drop_pending_updates=drop_pending_updates,
    )


async def set_commands(bot: Bot, translators: Translators, *, default_language: str) -> None:
    """The "/" menu in each language, and the default language's for everyone else."""
    for language in (*RESIDENT_LANGUAGES, None):
        translator = translators[language or default_language]
        commands = [
            BotCommand(name, translator.gettext(description))
            for name, description in CHANNEL_COMMANDS
        ]
        await bot.set_my_commands(commands, language_code=language)
