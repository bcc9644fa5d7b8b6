"""News: a resident chooses what to hear about, changes it and stops it with one word, and
only where the channel can deliver it; "My data" shows it and "Delete my data" removes it."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from bot.services import Services
from dialogs.events import Channel, Started
from storage.news_tables import subscription_t
from tests.support.talk import Talk

TELEGRAM_BOT = "https://t.me/OsallistuDemoBot"


def _stored(services: Services) -> list[sa.Row]:  # type: ignore[type-arg]
    with services.database.connect() as connection:
        return list(
            connection.execute(sa.select(subscription_t).order_by(subscription_t.c.topic)).all()
        )


def _on(services: Services, channel: Channel, language: str = "fi") -> Talk:
    talk = Talk(services.engine, channel=channel, locale=language)
    talk.start()
    talk.press_id("consent.yes")
    return talk


@pytest.fixture
def with_telegram_bot(services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    config = replace(services.engine._config, telegram_url=TELEGRAM_BOT)
    monkeypatch.setattr(services.engine, "_config", config)
    return services


def test_on_telegram_a_resident_chooses_topics_and_sees_them_ticked(services: Services) -> None:
    talk = _on(services, Channel.TELEGRAM)
    talk.press("Uutiset")
    assert talk.texts[0] == "Et ole vielä valinnut uutisia."
    assert talk.labels == [
        "Uudet nuorten kyselyt",
        "Tapahtumat",
        "Hankkeen uutiset",
        "Takaisin valikkoon",
    ]
    talk.press("Uudet nuorten kyselyt")
    assert talk.texts[0] == "Selvä. Kerromme sinulle, kun uusi nuorten kysely alkaa."
    assert "✓ Uudet nuorten kyselyt" in talk.labels and "Lopeta kaikki uutiset" in talk.labels
    talk.press("Tapahtumat")
    assert talk.prompt == "Minkä alueen tapahtumista?"
    assert "Koko Mikkeli" in talk.labels and "Muu alue tai koko Mikkeli" not in talk.labels
    talk.press("Rantakylä")
    assert talk.texts[0] == "Selvä. Kerromme sinulle tapahtumista: Rantakylä."
    assert talk.texts[1].startswith("Saat uutisia näistä:\nUudet nuorten kyselyt (")
    assert "\nTapahtumat: Rantakylä (" in talk.texts[1]
    stored = _stored(services)
    assert [(r.topic, r.area_code, r.channel) for r in stored] == [
        ("events", "rantakyla", "telegram"),
        ("polls", None, "telegram"),
    ]
    assert all(r.policy_version == services.settings.privacy_policy_version for r in stored)
    # Tapped again, a ticked topic stops; the other stays.
    talk.press("✓ Uudet nuorten kyselyt")
    assert talk.texts[0] == "Selvä. Emme enää lähetä tätä: Uudet nuorten kyselyt."
    assert [r.topic for r in _stored(services)] == ["events"]


def test_events_of_the_whole_town_and_a_changed_area_replace_the_earlier_choice(
    services: Services,
) -> None:
    talk = _on(services, Channel.TELEGRAM, "sv")
    talk.press("Nyheter")
    talk.press("Evenemang")
    talk.press("Hela S:t Michel")
    assert talk.texts[0] == "Klart. Vi berättar om evenemang i hela S:t Michel."
    talk.press("✓ Evenemang")
    talk.press("Evenemang")
    talk.press("Kristina")
    assert [(r.topic, r.area_code) for r in _stored(services)] == [("events", "ristiina")]


@pytest.mark.parametrize(
    ("language", "word", "said"),
    [
        ("fi", "lopeta", "Selvä. Et saa enää uutisia."),
        ("sv", "sluta", "Klart. Du får inga fler nyheter."),
        ("en", "STOP", "Done. You will get no more news."),
        ("fi", "/stop", "Selvä. Et saa enää uutisia."),
    ],
)
def test_one_word_stops_every_subscription_from_anywhere(
    services: Services, language: str, word: str, said: str
) -> None:
    talk = _on(services, Channel.TELEGRAM, language)
    talk.press_id("news")
    talk.press_id("news.polls")
    talk.press_id("news.news")
    talk.press_id("ideas")  # somewhere else entirely
    talk.send(word)
    assert talk.texts[0].startswith(said)
    assert _stored(services) == []
    assert "menu" not in talk.labels  # it is the menu itself
    talk.send(word)
    assert talk.texts[0] in (
        "Et ole valinnut uutisia, joten lopetettavaa ei ole.",
        "Du har inte valt några nyheter, så det finns inget att sluta med.",
        "You have not chosen any news, so there is nothing to stop.",
    )


@pytest.mark.parametrize("channel", [Channel.MESSENGER, Channel.INSTAGRAM])
def test_on_meta_channels_nothing_is_subscribed_and_telegram_is_offered(
    with_telegram_bot: Services, channel: Channel
) -> None:
    talk = _on(with_telegram_bot, channel)
    talk.press("Uutiset")
    assert talk.texts[0].startswith("Messenger ja Instagram eivät salli uutisten lähettämistä")
    assert talk.replies[1].links[0].url == f"{TELEGRAM_BOT}?start=news"
    assert talk.labels == ["Takaisin valikkoon"]
    talk.press_id("news.polls")  # a button from elsewhere cannot subscribe here either
    assert _stored(with_telegram_bot) == []


def test_the_web_chat_says_why_and_without_a_telegram_bot_offers_no_link(
    services: Services,
) -> None:
    talk = _on(services, Channel.WEBCHAT, "en")
    talk.send("news")
    assert talk.texts == [
        "The web chat cannot send you messages once you close the page.",
        "What would you like to do?",
    ]
    assert all(not reply.links for reply in talk.replies)


def test_the_telegram_link_lands_on_the_news_choice(services: Services) -> None:
    talk = Talk(services.engine, channel=Channel.TELEGRAM)
    talk._handle(Started(payload="news"))
    assert "consent.yes" in [choice.id for choice in talk.choices_of_last()]  # welcomed first
    talk.press_id("consent.yes")  # a newcomer consents first, then lands where the link led
    assert talk.prompt == "Valitse, mistä haluat kuulla. Napauta uudelleen, niin lopetat."


def test_my_data_shows_the_news_chosen_and_deleting_removes_them(services: Services) -> None:
    talk = _on(services, Channel.TELEGRAM)
    talk.press_id("news")
    talk.press_id("news.events")
    talk.press_id("news.area.otava")
    talk.send("omat tiedot")
    assert "Valitsemasi uutiset:\nTapahtumat: Otava (" in talk.texts[0]
    talk.send("poista tietoni")
    talk.send("kyllä")
    assert _stored(services) == []
