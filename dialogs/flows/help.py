"""Help: how to use the bot, how to get back to the menu, how to reach a person."""

from __future__ import annotations

from enum import StrEnum

from dialogs.commands import HUMAN
from dialogs.common import BACK_TO_MENU
from dialogs.definitions import Flow, Option, Say, Step, Turn
from locales import N_


class StepId(StrEnum):
    MAIN = "main"


def _human(turn: Turn) -> Say:
    return Say(
        N_("To reach a person: {contact}. Or talk to a person of the team here."),
        {"contact": turn.config.human_contact},
    )


FLOW = Flow(
    name="help",
    entry=StepId.MAIN,
    steps=(
        Step(
            id=StepId.MAIN,
            say=(
                Say(
                    N_(
                        "Tap a button, or write in your own words what you need, "
                        "such as “library open on Sunday” or “idea”."
                    )
                ),
                Say(N_("Type “menu” at any time to get back to the menu.")),
                _human,
            ),
            prompt=Say(N_("Anything else?")),
            options=(
                Option(
                    id="human",
                    label=N_("Talk to a person"),
                    short=N_("Talk to someone"),
                    go=HUMAN,
                ),
                BACK_TO_MENU,
            ),
        ),
    ),
)
