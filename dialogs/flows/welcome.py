"""Welcome: say plainly that this is a bot, how to reach a person, and ask for consent.

A brand-new participant lands here whatever they first send. The language was picked from
the channel's locale hint; "other languages" lets them switch before answering.
"""

from __future__ import annotations

from enum import StrEnum

from dialogs.commands import AFTER_WELCOME, LANGUAGE, MENU
from dialogs.definitions import Flow, Goto, Option, Say, Step, Turn
from dialogs.flows import consent
from dialogs.understanding import Answer
from locales import N_


class StepId(StrEnum):
    HELLO = "hello"


HELLO = Say(N_("Hi! I am the chat bot of the Yhdessä osallistuen project in Mikkeli."))


def _human(turn: Turn) -> Say:
    return Say(
        N_("To talk to a person of the team, type “person”. You can also contact us: {contact}"),
        {"contact": turn.config.human_contact},
    )


def _with_thanks(turn: Turn) -> Goto:
    consent.give(turn)
    came_by = turn.data.get(AFTER_WELCOME)  # the step their link named (t.me/…?start=news)
    if isinstance(came_by, str) and came_by:
        return Goto(came_by, data={}, say=(consent.THANKS,), consented=True)
    return Goto(MENU, say=(consent.THANKS,), consented=True)


def _declined(turn: Turn) -> Goto:
    consent.withdraw(turn)
    return Goto(MENU, say=(consent.DECLINED,))


def _other_language(turn: Turn) -> Goto:
    return Goto(LANGUAGE, data={**turn.data, "after_language": FLOW.ref(StepId.HELLO)})


FLOW = Flow(
    name="welcome",
    entry=StepId.HELLO,
    steps=(
        Step(
            id=StepId.HELLO,
            say=(
                HELLO,
                Say(N_("I am a computer program, not a person. The menu shows what I can do.")),
                _human,
            ),
            prompt=consent.ASK,
            options=(
                Option(
                    id="consent.yes",
                    label=N_("Yes, that is fine"),
                    go=MENU,
                    run=_with_thanks,
                    means=Answer.YES,
                ),
                Option(
                    id="consent.no",
                    label=N_("No, thank you"),
                    go=MENU,
                    run=_declined,
                    means=Answer.NO,
                ),
                Option(
                    id="welcome.lang",
                    label=N_("Other languages"),
                    short=N_("Languages"),
                    go=LANGUAGE,
                    run=_other_language,
                ),
            ),
        ),
    ),
)
