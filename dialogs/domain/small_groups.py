"""The small-group rule: no published count of 1–4, and no hidden count recoverable from totals.

A one-way table is one equation (the parts add up to the total), so a hidden part can be
worked out exactly when it is the only hidden number in it: a second one is hidden too.

A two-way table with its row and column totals is a bipartite graph — a node per row and per
column (totals included), an edge per cell — and each node's line adds up. A hidden cell can
be worked out exactly when its edge is a bridge of the graph of hidden cells; on a cycle it
can move up and down with the others. So while some hidden cell is a bridge, the cheapest
rectangle through it (three more cells, smallest counts first) is hidden as well.

Counts of 0 are published (they reveal no one); a table whose total is 1–4 shows only "< 5".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SMALL_GROUP = 5  # no published figure rests on fewer people than this
SMALL = range(1, SMALL_GROUP)  # counts that are never published


def is_small(count: int) -> bool:
    return count in SMALL


@dataclass(frozen=True)
class OneWay:
    """A list of counts and their total, each either published or hidden."""

    counts: tuple[int, ...]
    total: int
    hidden: frozenset[int]  # indexes of hidden parts
    total_hidden: bool

    @property
    def only_total(self) -> bool:
        return self.total_hidden


def one_way(counts: Sequence[int]) -> OneWay:
    total = sum(counts)
    if is_small(total):
        return OneWay(tuple(counts), total, frozenset(range(len(counts))), True)
    hidden = {i for i, count in enumerate(counts) if is_small(count)}
    if len(hidden) == 1:
        # One hidden part would be the total minus the rest: hide the next smallest too.
        others = sorted(
            (i for i in range(len(counts)) if i not in hidden),
            key=lambda i: (counts[i] == 0, counts[i]),
        )
        if others:
            hidden.add(others[0])
    return OneWay(tuple(counts), total, frozenset(hidden), False)


Cell = tuple[int, int]


@dataclass(frozen=True)
class TwoWay:
    """A table with totals: ``cells[r][c]``; row ``R`` and column ``C`` hold the totals."""

    cells: tuple[tuple[int, ...], ...]
    hidden: frozenset[Cell]
    only_total: bool

    def shown(self, row: int, column: int) -> int | None:
        return None if (row, column) in self.hidden else self.cells[row][column]


def with_totals(matrix: Sequence[Sequence[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in matrix]
    width = len(rows[0]) if rows else 1
    rows.append([sum(row[c] for row in rows) for c in range(width)])
    return rows


def two_way(matrix: Sequence[Sequence[int]]) -> TwoWay:
    """Suppress ``matrix`` (rows × columns of counts) extended with its totals."""
    cells = with_totals(matrix)
    last_row, last_column = len(cells) - 1, len(cells[0]) - 1
    grand_total = cells[last_row][last_column]
    everything = {(r, c) for r in range(last_row + 1) for c in range(last_column + 1)}
    if is_small(grand_total):
        return TwoWay(tuple(map(tuple, cells)), frozenset(everything), True)
    hidden = {cell for cell in everything if is_small(cells[cell[0]][cell[1]])}
    while (bridge := _a_bridge(hidden)) is not None:
        hidden |= _cheapest_rectangle(bridge, hidden, cells)
    return TwoWay(tuple(map(tuple, cells)), frozenset(hidden), False)


def _a_bridge(hidden: set[Cell]) -> Cell | None:
    for cell in sorted(hidden):
        if not _connected_without(cell, hidden):
            return cell
    return None


def _connected_without(cell: Cell, hidden: set[Cell]) -> bool:
    """Is row ``cell[0]`` still joined to column ``cell[1]`` through other hidden cells?"""
    start, goal = ("r", cell[0]), ("c", cell[1])
    seen, frontier = {start}, [start]
    while frontier:
        kind, index = frontier.pop()
        for r, c in hidden:
            if (r, c) == cell:
                continue
            if kind == "r" and r == index:
                node = ("c", c)
            elif kind == "c" and c == index:
                node = ("r", r)
            else:
                continue
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                frontier.append(node)
    return False


def _cheapest_rectangle(bridge: Cell, hidden: set[Cell], cells: list[list[int]]) -> set[Cell]:
    row, column = bridge
    best: tuple[tuple[int, int], set[Cell]] | None = None
    for other_row in range(len(cells)):
        for other_column in range(len(cells[0])):
            if other_row == row or other_column == column:
                continue
            corners = {(row, other_column), (other_row, column), (other_row, other_column)}
            added = corners - hidden
            # Fewest counts given away first, then the smallest; zeros as a last resort
            # (a hidden zero is plain to see when its whole line is small).
            zeros = sum(1 for r, c in added if cells[r][c] == 0)
            cost = (zeros, sum(cells[r][c] for r, c in added))
            if best is None or cost < best[0]:
                best = (cost, added)
    assert best is not None, "a table with totals has at least two rows and two columns"
    return best[1]
