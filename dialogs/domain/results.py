"""Poll results as residents see them: percentages, and nothing from fewer than five people."""

from __future__ import annotations

from dataclasses import dataclass

from storage.polls import PollQuestionRow, PollResults

SMALL_GROUP = 5  # publish no figure based on 1–4 people


@dataclass(frozen=True)
class OptionShare:
    option_id: int
    percent: int


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
    return [
        QuestionShares(
            question=question,
            shares=tuple(
                OptionShare(
                    option.id, round(100 * results.counts.get(option.id, 0) / results.respondents)
                )
                for option in question.options
            ),
        )
        for question in questions
    ]
