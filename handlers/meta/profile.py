"""``osallistu meta setup``: the Get Started button, the persistent menu (default + each language),
the greeting and Instagram's ice breakers, through the Messenger Profile API."""

from __future__ import annotations

from typing import Any

import httpx

from dialogs.commands import MENU_SHORTCUTS
from dialogs.flows.welcome import HELLO
from locales import RESIDENT_LANGUAGES, Translators
from locales.languages import language_of

GET_STARTED = "GET_STARTED"
# Meta's locale for each residents' language: the menu and greeting it shows them.
META_LOCALES = {code: language_of(code).meta_locale for code in RESIDENT_LANGUAGES}
MAX_MENU_TITLE = 30
MAX_ICE_BREAKERS = 4
GREETING = HELLO.msgid  # the welcome's first line


def _menu(translators: Translators, language: str) -> list[dict[str, str]]:
    translator = translators[language]
    return [
        {
            "type": "postback",
            "title": translator.gettext(label)[:MAX_MENU_TITLE],
            "payload": payload,
        }
        for payload, label in MENU_SHORTCUTS
    ]


def messenger_profile(translators: Translators, *, default_language: str) -> dict[str, Any]:
    menus = [
        {
            "locale": "default",
            "composer_input_disabled": False,
            "call_to_actions": _menu(translators, default_language),
        }
    ]
    menus += [
        {
            "locale": locale,
            "composer_input_disabled": False,
            "call_to_actions": _menu(translators, language),
        }
        for language, locale in META_LOCALES.items()
    ]
    greetings = [{"locale": "default", "text": translators[default_language].gettext(GREETING)}]
    greetings += [
        {"locale": locale, "text": translators[language].gettext(GREETING)}
        for language, locale in META_LOCALES.items()
    ]
    return {
        "get_started": {"payload": GET_STARTED},
        "persistent_menu": menus,
        "greeting": greetings,
    }


def ice_breakers(translators: Translators, *, default_language: str) -> dict[str, Any]:
    def questions(language: str) -> list[dict[str, str]]:
        translator = translators[language]
        return [
            {"question": translator.gettext(label), "payload": payload}
            for payload, label in MENU_SHORTCUTS[1 : MAX_ICE_BREAKERS + 1]
        ]

    breakers = [{"locale": "default", "call_to_actions": questions(default_language)}]
    breakers += [
        {"locale": locale, "call_to_actions": questions(language)}
        for language, locale in META_LOCALES.items()
    ]
    return {"platform": "instagram", "ice_breakers": breakers}


async def set_up(
    client: httpx.AsyncClient,
    *,
    url: str,
    token: str,
    translators: Translators,
    default_language: str,
) -> list[int]:
    """Send both settings; return the HTTP statuses (the Profile API allows ~10 calls/10 min)."""
    statuses = []
    for body in (
        messenger_profile(translators, default_language=default_language),
        ice_breakers(translators, default_language=default_language),
    ):
        response = await client.post(url, params={"access_token": token}, json=body)
        statuses.append(response.status_code)
    return statuses
