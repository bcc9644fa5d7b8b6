"""Poll results as residents see them: percentages under the small-group rule.

Nothing is shown while fewer than five have answered, and no option's share rests on 1–4
people: such an option reads "fewer than 5", and so does the next smallest one, because with
the number of answers shown one hidden share could be worked out from the rest (six answers
split 1 / 5 must not show 83 %). Staff see the same cells hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.domain.small_groups import SMALL_GROUP, one_way
from storage.polls import PollQuestionRow, PollResults


@dataclass(frozen=True)
class OptionShare:
    option_id: int
    percent: int | None  # None: hidden by the small-group rule


@dataclass(frozen=True)
class QuestionShares:
    question: PollQuestionRow
    shares: tuple[OptionShare, ...]


def shares(
    questions: tuple[PollQuestionRow, ...], results: PollResults
) -> list[QuestionShares] | None:
    """Whole-number percentages of respondents per option; None while under five answered."""
    if results.respondents < SMALL_GROUP:
        return None
    return [_question(question, results) for question in questions]


def hidden_options(question: PollQuestionRow, results: PollResults) -> frozenset[int]:
    """Indexes of the options whose count is not published, for residents and staff alike.

    One choice: the options (and those who skipped the question) add up to the respondents,
    one equation. Several choices: each option splits the respondents into those who chose it
    and those who did not, so an option is hidden when either side is 1–4.
    """
    votes = [results.counts.get(option.id, 0) for option in question.options]
    if question.max_choices > 1:
        return frozenset(
            index
            for index, count in enumerate(votes)
            if one_way([count, results.respondents - count]).hidden
        )
    skipped = max(0, results.respondents - sum(votes))
    return one_way([*votes, skipped] if skipped else votes).hidden - {len(votes)}


def _question(question: PollQuestionRow, results: PollResults) -> QuestionShares:
    votes = [results.counts.get(option.id, 0) for option in question.options]
    hidden = hidden_options(question, results)
    return QuestionShares(
        question=question,
        shares=tuple(
            OptionShare(
                option.id,
                None if index in hidden else round(100 * votes[index] / results.respondents),
            )
            for index, option in enumerate(question.options)
        ),
    )
