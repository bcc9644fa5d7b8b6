"""The small-group rule on generated tables: no published count of 1–4, and no hidden count
that totals and the other published cells would give away.

The check is independent of the algorithm: a hidden cell is recoverable exactly when its
unit vector lies in the row space of the table's linear relations restricted to the hidden
cells (Gaussian elimination over fractions), i.e. when the published numbers pin it down.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.domain.small_groups import is_small, one_way, two_way

counts = st.one_of(st.integers(0, 6), st.integers(0, 40))


def _recoverable(
    hidden: list[tuple[int, int]], relations: list[dict[tuple[int, int], int]]
) -> set[int]:
    """Indexes of hidden cells whose value follows from the relations (published values known)."""
    index = {cell: i for i, cell in enumerate(hidden)}
    rows = [[Fraction(rel.get(cell, 0)) for cell in hidden] for rel in relations]
    rows = [row for row in rows if any(row)]
    # Row-reduce; a hidden cell is determined iff its unit vector is in the row space.
    pivots: list[int] = []
    matrix = rows
    r = 0
    for column in range(len(hidden)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][column]
        matrix[r] = [value / lead for value in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][column] != 0:
                factor = matrix[i][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(column)
        r += 1
    determined = set()
    for row in matrix[:r]:
        nonzero = [i for i, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            determined.add(nonzero[0])
    del index
    return determined


def _relations(rows: int, columns: int) -> list[dict[tuple[int, int], int]]:
    """Each row and column of the extended table: its parts minus its total equal zero."""
    relations = []
    for r in range(rows + 1):
        relation = {(r, c): 1 for c in range(columns)}
        relation[(r, columns)] = -1
        relations.append(relation)
    for c in range(columns + 1):
        relation = {(r, c): 1 for r in range(rows)}
        relation[(rows, c)] = -1
        relations.append(relation)
    return relations


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda columns: st.lists(
                st.lists(counts, min_size=columns, max_size=columns), min_size=rows, max_size=rows
            )
        )
    )
)
def test_two_way_tables_publish_no_small_count_and_hide_recoverably_nothing(
    matrix: list[list[int]],
) -> None:
    table = two_way(matrix)
    rows, columns = len(matrix), len(matrix[0])
    if table.only_total:
        assert is_small(sum(map(sum, matrix)))
        return
    for r in range(rows + 1):
        for c in range(columns + 1):
            shown = table.shown(r, c)
            assert shown is None or not is_small(shown), (r, c, shown)
    hidden = sorted(table.hidden)
    assert not _recoverable(hidden, _relations(rows, columns))


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8))
def test_one_way_lists_hide_at_least_two_or_none(values: list[int]) -> None:
    result = one_way(values)
    if result.only_total:
        assert is_small(sum(values))
        return
    assert all(not is_small(v) for i, v in enumerate(values) if i not in result.hidden)
    assert len(result.hidden) != 1 or len(values) == 1


def test_a_worked_example() -> None:
    # Statistics Finland's style of example: one small cell drags three more with it.
    table = two_way([[12, 3, 20], [15, 9, 30]])
    assert (0, 1) in table.hidden
    assert len(table.hidden) >= 4
    assert table.shown(2, 3) == 89  # the grand total stays published


def test_an_option_of_a_several_choice_question_hides_when_either_side_is_small() -> None:
    from dialogs.domain.results import hidden_options
    from storage.polls import PollOptionRow, PollQuestionRow, PollResults

    options = tuple(PollOptionRow(id=i, text={"fi": str(i)}) for i in (1, 2, 3, 4))
    question = PollQuestionRow(id=1, text={"fi": "?"}, max_choices=2, options=options)
    # Of 20 people: 3 chose option 1 (small), 18 chose option 2 (2 did not: small),
    # 10 chose option 3, nobody option 4.
    results = PollResults(respondents=20, counts={1: 3, 2: 18, 3: 10})
    assert hidden_options(question, results) == {0, 1}
