"""Privacy: show whether consent is given, give or withdraw it, link to the privacy statement."""

from __future__ import annotations

from enum import StrEnum

from dialogs.commands import MENU
from dialogs.definitions import Flow, Goto, Option, Say, Step, Turn
from dialogs.flows import consent
from locales import N_


class StepId(StrEnum):
    ABOUT = "about"


WITHDRAWN = Say(N_("Your consent is withdrawn. I will not save anything new about you."))


def _status(turn: Turn) -> Say:
    consent_at = turn.participant.consent_at
    if consent_at is None:
        return Say(N_("You have not given consent. I do not save anything personal about you."))
    return Say(N_("You gave consent on {date}."), {"date": consent_at})


def _give(turn: Turn) -> Goto:
    consent.give(turn)
    return Goto(MENU, say=(consent.THANKS,))


def _withdraw(turn: Turn) -> Goto:
    consent.withdraw(turn)
    return Goto(MENU, say=(WITHDRAWN,))


FLOW = Flow(
    name="privacy",
    entry=StepId.ABOUT,
    steps=(
        Step(
            id=StepId.ABOUT,
            say=(_status,),
            prompt=consent.ASK,
            options=(
                Option(
                    id="consent.give",
                    label=N_("I give consent"),
                    short=N_("Give consent"),
                    go=MENU,
                    run=_give,
                ),
                Option(
                    id="consent.withdraw",
                    label=N_("I withdraw consent"),
                    short=N_("Withdraw consent"),
                    go=MENU,
                    run=_withdraw,
                ),
                Option(id="menu", label=N_("Back to menu"), go=MENU),
            ),
        ),
    ),
)
