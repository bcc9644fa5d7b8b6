"""Conversations with the team, opened as residents open them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import Services
from dialogs.events import Channel
from storage import service_hours
from storage.engine import transaction
from tests.support.talk import Talk

ALWAYS = {
    "weekly": [
        {"days": ["mo", "tu", "we", "th", "fr", "sa", "su"], "opens": "00:00", "closes": "00:00"}
    ],
    "exceptions": [],
    "open_on_public_holidays": True,
}
NEVER = {"weekly": [], "exceptions": [], "open_on_public_holidays": False}


def set_service_hours(services: Services, hours: dict[str, object]) -> None:
    with transaction(services.database) as connection:
        service_hours.save(connection=connection, hours=dict(hours), now=datetime.now(UTC))


def open_team_conversation(
    services: Services,
    *,
    channel: Channel = Channel.WEBCHAT,
    user_id: str | None = None,
    locale: str = "fi",
    first: str = "Hei, tarvitsisin apua lomakkeen kanssa.",
) -> Talk:
    """A resident consents, asks for a person (the team is in) and writes once."""
    set_service_hours(services, ALWAYS)
    talk = Talk(services.engine, channel=channel, user_id=user_id, locale=locale)
    talk.start()
    talk.press_id("consent.yes")
    talk.press_id("human")
    talk.send(first)
    return talk
