"""Replies survive the trip through the database as JSON, with every field."""

from __future__ import annotations

import json

from dialogs.replies import Link, Media, PlaceCard, Reply, ReplyChoice


def test_a_full_reply_round_trips_through_json() -> None:
    reply = Reply(
        text="Lähin paikka",
        choices=(
            ReplyChoice(id="place.5", label="Mikkelin pääkirjasto", short_label="Pääkirjasto"),
        ),
        links=(Link(url="https://www.openstreetmap.org/?mlat=61.69&mlon=27.27", label="Kartta"),),
        request_location=True,
        request_image=True,
        places=(
            PlaceCard(
                title="Mikkelin pääkirjasto",
                status="Auki nyt",
                address="Raatihuoneenkatu 6",
                map_url="https://www.openstreetmap.org/?mlat=61.69&mlon=27.27",
                choice_id="place.5",
            ),
        ),
        media=Media(url="/media/idea-1.jpg", alt="Kuva ideasta"),
    )
    assert Reply.from_json(json.loads(json.dumps(reply.to_json()))) == reply


def test_a_plain_reply_stays_small() -> None:
    assert Reply(text="Hei").to_json() == {
        "text": "Hei",
        "choices": [],
        "links": [],
        "request_location": False,
        "location_label": None,
        "request_image": False,
        "places": [],
        "media": None,
        "from_person": None,
    }
