"""Youth polls ("Nuorten kysely"): the open polls → question by question → an age band asked
once → thanks, and results when the poll allows: percentages, nothing from fewer than five.

One set of answers per person per poll: a ballot with a UNIQUE key is written in the same
transaction as the answers, which are stored apart from it and stay anonymous.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import Any

from dialogs.commands import MENU
from dialogs.common import BACK_TO_MENU, ticked
from dialogs.definitions import Flow, Goto, Option, Say, Step, Turn
from dialogs.flows import poll_results
from locales import N_, LocalText
from storage import participants, polls


class StepId(StrEnum):
    LIST = "list"
    QUESTION = "question"
    AGE = "age"
    RESULTS = "results"


def ref(step: StepId) -> str:
    return f"polls.{step}"


AGE_BANDS = (
    ("u13", N_("Under 13")),
    ("13-15", N_("13–15")),
    ("16-17", N_("16–17")),
    ("18-24", N_("18–24")),
    ("25-29", N_("25–29")),
    ("30+", N_("30 or over")),
)
NO_AGE = "none"


def _state(turn: Turn) -> dict[str, Any]:
    return dict(turn.data.get("poll", {}))


def _voter(turn: Turn, poll_id: int) -> str:
    return polls.voter_key(
        key=turn.config.ballot_key, poll_id=poll_id, pseudonym=turn.participant.pseudonym
    )


def _list_texts(turn: Turn) -> tuple[Say, ...]:
    if polls.open_polls(connection=turn.connection, now=turn.now):
        return ()
    return (Say(N_("There are no open polls right now.")),)


def _list_options(turn: Turn) -> tuple[Option, ...]:
    open_ones = tuple(
        Option(id=f"poll.{p.id}", label=p.title, go=ref(StepId.QUESTION), run=_begin(p.id))
        for p in polls.open_polls(connection=turn.connection, now=turn.now)
    )
    closed = tuple(
        Option(
            id=f"results.{p.id}",
            label={turn.language: turn.translator.text(N_("Results: {title}"), {"title": p.title})},
            go=ref(StepId.RESULTS),
            run=_show_results(p.id),
        )
        for p in polls.closed_polls(connection=turn.connection, now=turn.now)
    )
    return open_ones + closed


def _begin(poll_id: int) -> Any:
    def run(turn: Turn) -> Goto:
        poll = polls.get_poll(connection=turn.connection, poll_id=poll_id)
        if poll is None or not poll.is_open(turn.now):
            return Goto(ref(StepId.LIST), say=(Say(N_("This poll is not open.")),))
        if polls.has_voted(
            connection=turn.connection, poll_id=poll_id, voter=_voter(turn, poll_id)
        ):
            return poll_results.results_of(
                turn, poll_id, Say(N_("You have already answered this poll. Thank you!"))
            )
        state = {"id": poll_id, "q": 0, "answers": {}, "picked": []}
        intro = Say(
            N_("{title}\nQuestions: {count}. Your answers are anonymous."),
            {"title": poll.title, "count": len(poll.questions)},
        )
        return Goto(ref(StepId.QUESTION), say=(intro,), data={**turn.data, "poll": state})

    return run


def _current(turn: Turn) -> tuple[polls.PollRow, polls.PollQuestionRow] | None:
    state = _state(turn)
    poll = polls.get_poll(connection=turn.connection, poll_id=int(state.get("id", 0)))
    if poll is None or not poll.questions:
        return None
    index = min(int(state.get("q", 0)), len(poll.questions) - 1)
    return poll, poll.questions[index]


def _question_prompt(turn: Turn) -> Say:
    current = _current(turn)
    if current is None:
        return Say(N_("This poll is not open."))
    poll, question = current
    number = poll.questions.index(question) + 1
    if question.max_choices > 1:
        picked = [o.text for o in question.options if o.id in _state(turn).get("picked", [])]
        chosen = ", ".join(turn.translator.label(text) for text in picked) or "–"
        return Say(
            N_(
                "Question {number}/{total}: {question}\nChoose up to {max}, then press Done. Chosen: {chosen}"
            ),
            {
                "number": number,
                "total": len(poll.questions),
                "question": question.text,
                "max": question.max_choices,
                "chosen": chosen,
            },
        )
    return Say(
        N_("Question {number}/{total}: {question}"),
        {"number": number, "total": len(poll.questions), "question": question.text},
    )


def _question_options(turn: Turn) -> tuple[Option, ...]:
    current = _current(turn)
    if current is None:
        return ()
    _poll, question = current
    picked = set(_state(turn).get("picked", [])) if question.max_choices > 1 else set()
    options = tuple(
        Option(
            id=f"opt.{o.id}",
            label=_marked(o.text) if o.id in picked else o.text,
            go=ref(StepId.QUESTION),
            run=_pick(o.id),
        )
        for o in question.options
    )
    if question.max_choices > 1:
        options += (
            Option(id="poll.done", label=N_("Done"), go=ref(StepId.QUESTION), run=_next_question),
        )
    return options


def _marked(text: LocalText) -> LocalText:
    """A chosen option's label: ticked, in every language."""
    return {language: ticked(label) for language, label in text.items()}


def _pick(option_id: int) -> Any:
    def run(turn: Turn) -> Goto:
        current = _current(turn)
        if current is None:
            return Goto(ref(StepId.LIST))
        _poll, question = current
        state = _state(turn)
        picked = [p for p in state.get("picked", []) if p != option_id]
        if len(picked) == len(state.get("picked", [])):
            picked.append(option_id)
        if len(picked) > question.max_choices:
            # Full: the choice waits until one is taken away, and the person is told why.
            say = Say(
                N_("You can choose up to {max}. Tap a chosen one to take it away."),
                {"max": question.max_choices},
            )
            return Goto(ref(StepId.QUESTION), say=(say,), enter=False)
        state["picked"] = picked
        data = {**turn.data, "poll": state}
        if question.max_choices == 1:
            return _next_question(replace(turn, data=data))
        # Several may be chosen: each tap marks or unmarks one; only "Done" goes on.
        return Goto(ref(StepId.QUESTION), data=data, enter=False)

    return run


def _next_question(turn: Turn) -> Goto:
    current = _current(turn)
    if current is None:
        return Goto(ref(StepId.LIST))
    poll, question = current
    state = _state(turn)
    if not state.get("picked"):
        return Goto(
            ref(StepId.QUESTION), say=(Say(N_("Please choose at least one.")),), enter=False
        )
    answers = {**state.get("answers", {}), str(question.id): list(state["picked"])}
    state.update(answers=answers, picked=[], q=int(state.get("q", 0)) + 1)
    data = {**turn.data, "poll": state}
    if state["q"] < len(poll.questions):
        return Goto(ref(StepId.QUESTION), data=data)
    if turn.participant.age_band is None:
        return Goto(ref(StepId.AGE), data=data)
    return _vote(turn, data, turn.participant.age_band)


def _age(band: str) -> Any:
    def run(turn: Turn) -> Goto:
        if band not in (NO_AGE, "u13") and turn.participant.has_consented:
            # Remembered so it is asked once; under-13s and people without consent: never kept.
            participants.set_age_band(
                connection=turn.connection, participant_id=turn.participant.id, age_band=band
            )
        return _vote(turn, dict(turn.data), None if band == NO_AGE else band)

    return run


def _vote(turn: Turn, data: dict[str, Any], age_band: str | None) -> Goto:
    state = dict(data.get("poll", {}))
    poll_id = int(state.get("id", 0))
    poll = polls.get_poll(connection=turn.connection, poll_id=poll_id)
    rest = {k: v for k, v in data.items() if k != "poll"}
    if poll is None or not poll.is_open(turn.now):
        return Goto(MENU, say=(Say(N_("Sorry, this poll closed before you finished.")),), data=rest)
    answers = {int(q): [int(o) for o in picked] for q, picked in state.get("answers", {}).items()}
    counted = polls.cast_vote(
        connection=turn.connection,
        poll_id=poll_id,
        voter=_voter(turn, poll_id),
        age_band=age_band,
        answers=answers,
        now=turn.now,
        day=turn.now.astimezone(turn.translator.timezone).date(),
    )
    if not counted:
        return poll_results.results_of(
            turn, poll_id, Say(N_("You have already answered this poll. Thank you!")), rest
        )
    return poll_results.results_of(turn, poll_id, Say(N_("Thank you for answering!")), rest)


def _show_results(poll_id: int) -> Any:
    def run(turn: Turn) -> Goto:
        return poll_results.results_of(turn, poll_id, None)

    return run


BACK = BACK_TO_MENU

FLOW = Flow(
    name="polls",
    entry=StepId.LIST,
    steps=(
        Step(
            id=StepId.LIST,
            says_from=_list_texts,
            prompt=Say(N_("Choose a poll.")),
            options_from=_list_options,
            options=(BACK,),
            leads_to=(ref(StepId.QUESTION), ref(StepId.RESULTS)),
        ),
        Step(
            id=StepId.QUESTION,
            prompt=_question_prompt,
            options_from=_question_options,
            leads_to=(ref(StepId.AGE), ref(StepId.RESULTS), ref(StepId.LIST), MENU),
        ),
        Step(
            id=StepId.AGE,
            prompt=Say(
                N_("One more thing: how old are you? This helps us to understand the answers.")
            ),
            options=(
                *(
                    Option(id=f"age.{code}", label=label, go=ref(StepId.RESULTS), run=_age(code))
                    for code, label in AGE_BANDS
                ),
                Option(
                    id=f"age.{NO_AGE}",
                    label=N_("I would rather not say"),
                    short=N_("Rather not say"),
                    go=ref(StepId.RESULTS),
                    run=_age(NO_AGE),
                ),
            ),
            leads_to=(MENU,),
        ),
        Step(
            id=StepId.RESULTS,
            prompt=Say(N_("What would you like to do next?")),
            options=(
                Option(id="polls", label=N_("Other polls"), go=ref(StepId.LIST)),
                BACK,
            ),
        ),
    ),
)
