"""Main menu: what the bot can do. Every flow is reachable from here and leads back here."""

from __future__ import annotations

from enum import StrEnum

from dialogs.commands import HELP, LANGUAGE, PRIVACY
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
                Option(id="help", label=N_("Help"), go=HELP),
                Option(id="language", label=N_("Language"), go=LANGUAGE),
                Option(id="privacy", label=N_("Privacy"), go=PRIVACY),
            ),
        ),
    ),
)
