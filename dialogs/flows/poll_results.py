"""How poll results read in a chat: percentages per option under the small-group rule, and
only when the poll allows residents to see them."""

from __future__ import annotations

from typing import Any

from dialogs.definitions import Goto, Say, Turn
from dialogs.domain.results import shares
from dialogs.domain.small_groups import SMALL_GROUP
from locales import N_
from storage import polls

RESULTS_STEP = "polls.results"


def results_of(
    turn: Turn, poll_id: int, first: Say | None, data: dict[str, Any] | None = None
) -> Goto:
    poll = polls.get_poll(connection=turn.connection, poll_id=poll_id)
    says = [first] if first else []
    if poll is not None:
        says.extend(result_texts(turn, poll))
    return Goto(RESULTS_STEP, say=tuple(says), data=data if data is not None else turn.data)


def result_texts(turn: Turn, poll: polls.PollRow) -> list[Say]:
    closed = not poll.is_open(turn.now)
    visible = poll.results_visibility == "after_voting" or (
        poll.results_visibility == "after_closing" and closed
    )
    if not visible:
        if poll.results_visibility == "after_closing":
            return [Say(N_("Results are shown when the poll has closed."))]
        return []
    results = polls.results(connection=turn.connection, poll_id=poll.id)
    table = shares(poll.questions, results)
    if table is None:
        return [
            Say(
                N_("Results are shown when at least {count} people have answered."),
                {"count": SMALL_GROUP},
            )
        ]
    says = [
        Say(
            N_("Results so far ({count} answers):")
            if not closed
            else N_("Final results ({count} answers):"),
            {"count": results.respondents},
        )
    ]
    for entry in table:
        lines = "\n".join(
            _line(turn.translator.label(option.text), share.percent, turn)
            for option, share in zip(entry.question.options, entry.shares, strict=True)
        )
        says.append(
            Say(N_("{question}\n{lines}"), {"question": entry.question.text, "lines": lines})
        )
    return says


def _line(option: str, percent: int | None, turn: Turn) -> str:
    if percent is None:
        return turn.translator.text(
            N_("{option}: fewer than {count} people"), {"option": option, "count": SMALL_GROUP}
        )
    return f"{option}: {percent} %"
