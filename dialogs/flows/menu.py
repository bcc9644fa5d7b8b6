"""Main menu: what the bot can do. Every flow is reachable from here and leads back here."""

from __future__ import annotations

from enum import StrEnum

from dialogs.commands import (
    CONTACT,
    EVENTS,
    HELP,
    HUMAN,
    IDEAS,
    LANGUAGE,
    MY_DATA,
    MY_IDEAS,
    NEWS,
    PLACES,
    POLLS,
    PRIVACY,
)
from dialogs.definitions import Flow, Option, Say, Step
from locales import N_


class StepId(StrEnum):
    MAIN = "main"


FLOW = Flow(
    name="menu",
    entry=StepId.MAIN,
    steps=(
        Step(
            id=StepId.MAIN,
            prompt=Say(N_("What would you like to do?")),
            options=(
                Option(id="ideas", label=N_("Share an idea"), go=IDEAS),
                Option(
                    id="places",
                    label=N_("Find a place or service"),
                    short=N_("Find a place"),
                    go=PLACES,
                ),
                Option(id="events", label=N_("What's on"), go=EVENTS),
                Option(id="polls", label=N_("Youth poll"), go=POLLS),
                Option(
                    id="human",
                    label=N_("Talk to a person"),
                    short=N_("Talk to someone"),
                    go=HUMAN,
                ),
                Option(
                    id="contact",
                    label=N_("I would like someone to contact me"),
                    short=N_("Contact me"),
                    go=CONTACT,
                ),
                Option(id="news", label=N_("News"), go=NEWS),
                Option(id="myideas", label=N_("My ideas"), go=MY_IDEAS),
                Option(id="mydata", label=N_("My data"), go=MY_DATA),
                Option(id="help", label=N_("Help"), go=HELP),
                Option(id="language", label=N_("Language"), go=LANGUAGE),
                Option(id="privacy", label=N_("Privacy"), go=PRIVACY),
            ),
        ),
    ),
)
