"""Demo data for ``make run``: each loader fills one kind of data into an empty database.

The conversation core has no demo rows of its own; places, services and polls add their
loaders here as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Connection, Engine

from storage.engine import transaction

# (name, is_empty, load) — a loader returns how many rows it added.
DemoLoader = tuple[str, Callable[[Connection], bool], Callable[[Connection], int]]
LOADERS: tuple[DemoLoader, ...] = ()


def load_demo_data(engine: Engine, *, only_if_empty: bool) -> str:
    """Run every loader (only into empty tables with ``only_if_empty``); say what was done."""
    if not LOADERS:
        return "no demo data sets yet; the web chat works without them"
    lines = []
    with transaction(engine) as connection:
        for name, is_empty, load in LOADERS:
            if only_if_empty and not is_empty(connection):
                lines.append(f"{name}: already has data, left as it is")
                continue
            lines.append(f"{name}: {load(connection)} rows loaded")
    return "\n".join(lines)
