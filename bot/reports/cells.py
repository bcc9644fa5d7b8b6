"""Cells that spreadsheet programs read as data, never as formulas (OWASP's CSV injection rule).

A text starting with ``=``, ``+``, ``-``, ``@``, a tab, CR or LF gets a leading ``'`` in CSV
and XLSX alike; XLSX cells are also written as strings, so even without the prefix nothing
could be evaluated. Numbers we counted ourselves stay numbers.
"""

from __future__ import annotations

from datetime import date, datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMULA_FIRST = frozenset(FORMULA_STARTS)

Value = str | int | float | bool | date | datetime | None


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_text(value: Value) -> str:
    """A value as a CSV field: dates in ISO 8601, texts neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return neutralised(value)
