"""Privacy: whether consent is given, give or withdraw it, and the consent question that
flows storing something personal ask first (``gate``)."""

from __future__ import annotations

from enum import StrEnum

from dialogs.commands import CONTACT, DELETE, IDEAS, MENU, MY_DATA
from dialogs.common import BACK_TO_MENU
from dialogs.definitions import Flow, Goto, Option, Say, Step, Turn
from dialogs.flows import consent
from dialogs.flows.gate import AFTER_CONSENT
from dialogs.understanding import Answer
from locales import N_


class StepId(StrEnum):
    ABOUT = "about"
    GATE = "gate"
    WITHDRAWN = "withdrawn"


WITHDRAWN = Say(N_("Your consent is withdrawn. I will not save anything new about you."))
GATE_WHY = Say(N_("To save this, I need your consent first."))
GATE_DECLINED = Say(N_("All right. I did not save anything."))


def _status(turn: Turn) -> Say:
    consent_at = turn.participant.consent_at
    if consent_at is None:
        return Say(N_("You have not given consent. I do not save anything personal about you."))
    return Say(N_("You gave consent on {date}."), {"date": consent_at})


def _give(turn: Turn) -> Goto:
    consent.give(turn)
    return Goto(MENU, say=(consent.THANKS,), consented=True)


def _withdraw(turn: Turn) -> Goto:
    consent.withdraw(turn)
    return Goto(FLOW.ref(StepId.WITHDRAWN), say=(WITHDRAWN,), consented=False)


def _give_and_continue(turn: Turn) -> Goto:
    consent.give(turn)
    target = str(turn.data.get(AFTER_CONSENT, MENU))
    data = {k: v for k, v in turn.data.items() if k != AFTER_CONSENT}
    return Goto(target, say=(consent.THANKS,), data=data, consented=True)


def _decline(turn: Turn) -> Goto:
    return Goto(MENU, say=(GATE_DECLINED,), data={})


GIVE = Option(
    id="consent.give", label=N_("I give consent"), short=N_("Give consent"), go=MENU, run=_give
)
WITHDRAW = Option(
    id="consent.withdraw",
    label=N_("I withdraw consent"),
    short=N_("Withdraw consent"),
    go="privacy.withdrawn",
    run=_withdraw,
)


def _consent_choice(turn: Turn) -> tuple[Option, ...]:
    """Only what can be done now: give consent without it, withdraw it with it."""
    return (WITHDRAW,) if turn.participant.consent_at is not None else (GIVE,)


def _about_prompt(turn: Turn) -> Say:
    if turn.participant.consent_at is not None:
        return Say(N_("You can withdraw your consent at any time."), link=consent.PRIVACY_LINK)
    return consent.ASK


FLOW = Flow(
    name="privacy",
    entry=StepId.ABOUT,
    steps=(
        Step(
            id=StepId.ABOUT,
            say=(_status,),
            prompt=_about_prompt,
            options_from=_consent_choice,
            options=(Option(id="mydata", label=N_("My data"), go=MY_DATA), BACK_TO_MENU),
            leads_to=(MENU, "privacy.withdrawn"),
        ),
        Step(
            id=StepId.GATE,
            say=(GATE_WHY,),
            prompt=consent.ASK,
            options=(
                Option(
                    id="gate.yes",
                    label=N_("Yes, that is fine"),
                    go=MENU,
                    run=_give_and_continue,
                    means=Answer.YES,
                ),
                Option(
                    id="gate.no", label=N_("No, thank you"), go=MENU, run=_decline, means=Answer.NO
                ),
            ),
            leads_to=(IDEAS, CONTACT),
        ),
        Step(
            id=StepId.WITHDRAWN,
            prompt=Say(N_("Do you also want to delete what is already saved about you?")),
            options=(
                Option(
                    id="withdrawn.delete",
                    label=N_("Yes, delete my data"),
                    short=N_("Yes, delete"),
                    go=DELETE,
                    means=Answer.YES,
                ),
                Option(
                    id="withdrawn.keep",
                    label=N_("No, keep it"),
                    go=MENU,
                    means=Answer.NO,
                ),
            ),
        ),
    ),
)
