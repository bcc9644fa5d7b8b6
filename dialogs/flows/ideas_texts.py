"""What the ideas flow says from data: the summary of a draft, the thanks with the reference
number, and "My ideas" with each idea's status and any answer from staff."""

from __future__ import annotations

from typing import Any

from dialogs.common import as_one
from dialogs.definitions import Say, Turn
from dialogs.flows import reach
from locales import N_
from storage import ideas

STATUS = {
    "new": N_("received"),
    "in_review": N_("being read"),
    "forwarded": N_("forwarded"),
    "answered": N_("answered"),
    "implemented": N_("carried out"),
    "declined": N_("not taken forward"),
    "hidden": N_("closed"),
}


def draft_of(turn: Turn) -> dict[str, Any]:
    return dict(turn.data.get("idea", {}))


def summary(turn: Turn) -> tuple[Say, ...]:
    """The idea as it will be sent, in one message."""
    draft = draft_of(turn)
    translator = turn.translator
    names = {t.code: t.names for t in ideas.themes(connection=turn.connection)}
    areas = {a.code: a.names for a in ideas.areas(connection=turn.connection)}
    lines = [
        translator.gettext(N_("Here is your idea:")),
        translator.text(
            N_("Theme: {theme}\nArea: {area}\nIdea: {text}"),
            {
                "theme": names.get(draft.get("theme", ""), {}),
                "area": areas.get(draft.get("area", ""), {}),
                "text": draft.get("text", ""),
            },
        ),
    ]
    if draft.get("photo"):
        lines.append(translator.gettext(N_("A photo is attached.")))
    if draft.get("contact_method"):
        lines.append(
            translator.text(
                N_("We may contact {name} {method}."),
                {
                    "name": draft.get("contact_name", ""),
                    "method": translator.gettext(reach.METHODS[draft["contact_method"]]),
                },
            )
        )
    return (as_one(lines),)


def done(turn: Turn) -> tuple[Say, ...]:
    return (
        Say(N_("Thank you! Your idea is saved.")),
        Say(
            N_("Its reference number is {reference}."),
            {"reference": str(turn.data.get("last_reference", ""))},
        ),
        Say(
            N_(
                "The project team reads every idea. You will see the status and any answer under My ideas."
            )
        ),
    )


def mine(turn: Turn) -> tuple[Say, ...]:
    mine = ideas.ideas_of(connection=turn.connection, participant_id=turn.participant.id, limit=5)
    if not mine:
        return (Say(N_("You have not shared any ideas yet.")),)
    says = []
    for idea in mine:
        text = idea.text if len(idea.text) <= 120 else idea.text[:117].rsplit(" ", 1)[0] + "…"
        says.append(
            Say(
                N_("{reference} ({date}): {text}\nStatus: {status}"),
                {
                    "reference": idea.reference,
                    "date": idea.created_at.astimezone(turn.translator.timezone).date(),
                    "text": text,
                    "status": turn.translator.gettext(STATUS.get(idea.status, STATUS["new"])),
                },
            )
        )
        if idea.staff_answer:
            says.append(
                Say(
                    N_("Answer to {reference}: {answer}"),
                    {"reference": idea.reference, "answer": idea.staff_answer},
                )
            )
    return tuple(says)
