"""Language: choose Finnish, Swedish or English; the choice is kept for the participant."""

from __future__ import annotations

from enum import StrEnum

from dialogs.commands import MENU
from dialogs.definitions import Action, Flow, Goto, Option, Say, Step, Turn
from locales import N_


class StepId(StrEnum):
    CHOOSE = "choose"


CHANGED = Say(N_("OK, I will speak English from now on."))
WELCOME_HELLO = "welcome.hello"


def _switch_to(language: str) -> Action:
    def switch(turn: Turn) -> Goto:
        back = str(turn.data.get("after_language", MENU))
        data = {k: v for k, v in turn.data.items() if k != "after_language"}
        # Returning to the welcome repeats it in the new language; its prompt is the question.
        say = () if back == WELCOME_HELLO else (CHANGED,)
        return Goto(back, say=say, language=language, data=data)

    return switch


FLOW = Flow(
    name="language",
    entry=StepId.CHOOSE,
    steps=(
        Step(
            id=StepId.CHOOSE,
            prompt=Say(N_("Choose a language.")),
            options=(
                Option(id="lang.fi", label=N_("Suomi"), go=MENU, run=_switch_to("fi")),
                Option(id="lang.sv", label=N_("Svenska"), go=MENU, run=_switch_to("sv")),
                Option(id="lang.en", label=N_("English"), go=MENU, run=_switch_to("en")),
            ),
            leads_to=(WELCOME_HELLO,),
        ),
    ),
)
