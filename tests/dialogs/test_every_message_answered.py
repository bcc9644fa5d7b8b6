"""A resident at human pace, in each language, through every flow: every message they send
gets an answer that says something (in a conversation with the team: the one
acknowledgement, then the team answers), and nothing fails.

A seeded walk taps the buttons it is offered and types what people type — plain words,
yes and no, greetings, questions about places, nonsense and a text over the limit — with
the clock moving two to five seconds a message.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.demo import load_demo_data
from bot.services import Services
from tests.support.data import add_poll
from tests.support.talk import Talk
from tests.support.team import ALWAYS, set_service_hours

TYPED = {
    "fi": [
        "kyllä", "ei", "joo", "moi", "valikko", "apua", "idea", "kirjastoon", "kysely",
        "onko kirjasto auki sunnuntaina", "etsin töitä", "omat tiedot", "Kalle", "040 123 4567",
        "asdfgh", "8", "ihminen", "kieli", "tietosuoja", "😀", "a" * 2100,
    ],
    "sv": [
        "ja", "nej", "hej", "meny", "hjälp", "idé", "biblioteket", "enkät", "jobb",
        "när öppnar biblioteket", "mina uppgifter", "Kalle", "kalle@example.org", "qwerty", "3",
        "människa", "språk", "🙂",
    ],
    "en": [
        "yes", "no", "hi", "menu", "help", "idea", "library", "poll", "job",
        "is the youth house open now", "my data", "Kalle", "xyzzy", "2", "person", "language",
        "privacy", "👍",
    ],
}  # fmt: skip
STEPS = 400


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_message_at_human_pace_gets_an_answer(
    services: Services, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    load_demo_data(services.database, only_if_empty=True)
    add_poll(services.database)
    set_service_hours(services, ALWAYS)
    clock = [datetime(2026, 12, 3, 12, 0, tzinfo=UTC)]
    monkeypatch.setattr(services.engine, "_clock", lambda: clock[0])
    rng = random.Random(f"walk-{language}")
    talk = Talk(services.engine, locale=language)
    talk.start()
    seen: Counter[str] = Counter()
    before, offered = "", talk.choices_of_last()
    for number in range(STEPS):
        clock[0] += timedelta(seconds=rng.uniform(2, 5))
        if talk.replies:  # after a message passed on quietly, what was offered still is
            offered, before = talk.choices_of_last(), talk.prompt
        with_team = any(choice.id in ("human.leave", "human.end") for choice in offered)
        if offered and rng.random() < 0.7:
            choice = rng.choice(offered)
            seen[choice.id.split(".")[0]] += 1
            talk.press_id(choice.id)
            what = f"tap {choice.id}"
        else:
            typed = rng.choice(TYPED[language])
            talk.send(typed)
            what = f"typed {typed[:30]!r}"
        if with_team and not talk.replies:
            continue  # passed on to the team, acknowledged once already
        assert talk.replies, f"message {number} ({what}) after {before!r} got no answer"
        assert all(reply.text.strip() for reply in talk.replies), f"an empty text after {what}"
    # The walk went through the flows, not round one corner.
    assert {"ideas", "places", "polls", "human", "mydata", "menu"} <= set(seen)
