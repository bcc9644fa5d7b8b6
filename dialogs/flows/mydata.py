"""My data: everything stored about the resident, shown in the chat, and deleting it all."""

from __future__ import annotations

import logging
from enum import StrEnum

from dialogs.commands import MENU
from dialogs.common import BACK_TO_MENU, as_one
from dialogs.definitions import Flow, Goto, Option, Say, Step, Turn
from dialogs.flows import event_texts, news_texts, reach
from dialogs.flows.ideas_texts import STATUS
from dialogs.understanding import Answer
from locales import N_, NATIVE_NAMES
from storage import ideas, privacy

logger = logging.getLogger(__name__)


class StepId(StrEnum):
    SHOW = "show"
    CONFIRM = "confirm"
    DELETED = "deleted"


def ref(step: StepId) -> str:
    return f"mydata.{step}"


def _summary(turn: Turn) -> tuple[Say, ...]:
    """Everything saved, in one message: a line for each kind, the contents where asked."""
    data = privacy.my_data(
        connection=turn.connection, participant=turn.participant, ballot_key=turn.config.ballot_key
    )
    t = turn.translator
    lines = [
        t.gettext(N_("This is what is saved about you:")),
        t.text(
            N_("Language: {language}"), {"language": NATIVE_NAMES.get(data.language or "", "–")}
        ),
        t.text(N_("Consent given: {date}"), {"date": data.consent_at})
        if data.consent_at
        else t.gettext(N_("Consent: not given")),
    ]
    if data.age_band:
        lines.append(t.text(N_("Age group: {band}"), {"band": data.age_band}))
    if data.ideas:
        idea_lines = "\n".join(
            f"{i.reference}: {t.gettext(STATUS.get(i.status, STATUS['new']))}" for i in data.ideas
        )
        lines.append(
            t.text(
                N_("Your ideas ({count}):\n{lines}"),
                {"count": len(data.ideas), "lines": idea_lines},
            )
        )
    else:
        lines.append(t.gettext(N_("Ideas: none")))
    lines.append(
        t.text(
            N_("Polls answered: {count}. The answers themselves are anonymous."),
            {"count": data.polls_answered},
        )
    )
    if data.contact_requests:
        requests = "\n".join(
            "\n".join(
                [
                    request.reference,
                    *reach.request_lines(
                        t,
                        name=request.name,
                        method=request.method,
                        value=request.contact_value,
                        time=request.good_time,
                        matter=request.message,
                    ),
                ]
            )
            for request in data.contact_requests
        )
        lines.append(
            t.text(
                N_("Contact requests ({count}):\n{lines}"),
                {"count": len(data.contact_requests), "lines": requests},
            )
        )
    else:
        lines.append(t.gettext(N_("Contact requests: none")))
    if data.subscriptions:
        areas = ideas.area_names(connection=turn.connection)
        lines.append(
            t.text(
                N_("News you chose:\n{lines}"),
                {"lines": news_texts.subscription_lines(t, data.subscriptions, areas)},
            )
        )
    if data.news_email is not None:
        said = (
            N_("E-mail address for news: {address}.")
            if data.news_email.confirmed
            else N_("E-mail address for news: {address} (not confirmed yet; deleted after a week).")
        )
        lines.append(t.text(said, {"address": data.news_email.address}))
    if data.event_signups:
        lines.append(
            t.text(
                N_("Event sign-ups:\n{lines}"),
                {
                    "lines": "\n".join(
                        event_texts.signup_line(t, row, shared=True) for row in data.event_signups
                    )
                },
            )
        )
    if data.team_conversations:
        lines.append(
            t.text(
                N_("Conversations with the team: {count}. Messages in them: {messages}."),
                {"count": data.team_conversations, "messages": data.team_messages},
            )
        )
    return (as_one(lines),)


def _erase(turn: Turn) -> Goto:
    erased = privacy.erase_participant(
        connection=turn.connection, participant=turn.participant, ballot_key=turn.config.ballot_key
    )
    if turn.config.media_dir is not None:
        for photo in erased.photo_refs:
            # Removed before the commit: should it fail, the photo of erased data is gone anyway.
            (turn.config.media_dir / photo).unlink(missing_ok=True)
    return Goto(ref(StepId.DELETED), forget=True)


BACK = BACK_TO_MENU

FLOW = Flow(
    name="mydata",
    entry=StepId.SHOW,
    steps=(
        Step(
            id=StepId.SHOW,
            says_from=_summary,
            prompt=Say(N_("What would you like to do?")),
            options=(
                Option(
                    id="mydata.delete",
                    label=N_("Delete my data"),
                    short=N_("Delete data"),
                    go=ref(StepId.CONFIRM),
                ),
                BACK,
            ),
        ),
        Step(
            id=StepId.CONFIRM,
            say=(
                Say(
                    N_(
                        "Deleting removes your ideas, contact requests, conversations with the team, language, consent and this conversation."
                    )
                ),
                Say(N_("Your poll answers stay only as anonymous numbers.")),
            ),
            prompt=Say(N_("Delete everything? This cannot be undone.")),
            options=(
                Option(
                    id="mydata.erase",
                    label=N_("Yes, delete everything"),
                    short=N_("Yes, delete"),
                    go=ref(StepId.DELETED),
                    means=Answer.YES,
                    run=_erase,
                ),
                Option(
                    id="mydata.keep",
                    label=N_("No, keep my data"),
                    short=N_("No, keep"),
                    go=MENU,
                    means=Answer.NO,
                ),
            ),
        ),
        Step(
            id=StepId.DELETED,
            prompt=Say(
                N_("Your data is deleted. If you write again, we start from the beginning.")
            ),
            options=(Option(id="restart", label=N_("Start again"), go=MENU),),
        ),
    ),
)
