"""Language: choose one of the residents' languages, each by its own name; the choice is kept
for the participant."""

from __future__ import annotations

from enum import StrEnum

from dialogs.commands import MENU
from dialogs.definitions import Action, Flow, Goto, Option, Say, Step, Turn
from locales import N_, RESIDENT_LANGUAGES
from locales.languages import language_of, same_in_every_language


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
            options=tuple(
                Option(
                    id=f"lang.{code}",
                    # In its own name on every page: the same words in every language.
                    label=same_in_every_language(language_of(code).list_name),
                    go=MENU,
                    run=_switch_to(code),
                )
                for code in RESIDENT_LANGUAGES
            ),
            leads_to=(WELCOME_HELLO,),
        ),
    ),
)
