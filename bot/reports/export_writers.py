"""Write export rows as CSV, JSON or XLSX, batch by batch, in constant memory.

Rows arrive in batches (a few thousand at a time) straight from the database. In CSV, typed
texts (``storage.exports.FREE_TEXT``) are neutralised for spreadsheets on the way; everything
else is a code, number or time we made and passes untouched, which keeps a million rows fast.
XLSX needs no such prefix: its texts are string cells, which no spreadsheet evaluates.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import xlsxwriter

from bot.reports.cells import FORMULA_FIRST, neutralised
from storage import exports

Batch = Sequence[Sequence[Any]]
SPOOL_BYTES = 1 << 20


class Counted:
    """Batches passed through, counting the rows (for the audit trail)."""

    def __init__(self, batches: Iterator[list[tuple[Any, ...]]]) -> None:
        self._batches = batches
        self.rows = 0

    def __iter__(self) -> Iterator[list[tuple[Any, ...]]]:
        for batch in self._batches:
            self.rows += len(batch)
            yield batch


def _safe(keys: Sequence[str], batches: Iterable[Batch]) -> Iterator[Batch]:
    """Batches with typed texts made safe for spreadsheets (OWASP's rule)."""
    checked = [i for i, key in enumerate(keys) if key in exports.FREE_TEXT]
    for batch in batches:
        if not checked:
            yield batch
            continue
        safe: list[Sequence[Any]] = []
        for row in batch:
            for i in checked:
                value = row[i]
                if value and value[0] in FORMULA_FIRST:
                    fixed = list(row)
                    for j in checked:
                        if fixed[j]:
                            fixed[j] = neutralised(fixed[j])
                    safe.append(fixed)
                    break
            else:
                safe.append(row)
        yield safe


def write_csv(
    headers: Sequence[str], keys: Sequence[str], batches: Iterable[Batch], delimiter: str
) -> Iterator[bytes]:
    """UTF-8 with a BOM, so that Excel reads ä and ö right; None as empty. ``keys`` name
    the columns for the injection rule, whatever language the headers are in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(headers)
    for batch in _safe(keys, batches):
        writer.writerows(batch)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def plain(value: Any) -> Any:
    """A value JSON and XLSX can hold: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def write_json(headers: Sequence[str], batches: Iterable[Batch]) -> Iterator[bytes]:
    """A JSON array of objects, written as it goes (not neutralised: not for spreadsheets)."""
    yield b"["
    first = True
    for batch in batches:
        parts = []
        for row in batch:
            record = {h: plain(v) for h, v in zip(headers, row, strict=True)}
            parts.append(("" if first else ",") + "\n" + json.dumps(record, ensure_ascii=False))
            first = False
        yield "".join(parts).encode()
    yield b"\n]\n"


@dataclass(frozen=True)
class Sheet:
    """How a workbook shows one export: its name, headers and columns, and what it holds."""

    name: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    number_formats: tuple[str | None, ...]  # an Excel format for date-time columns, else None
    about_name: str
    about: Callable[[int], Sequence[tuple[str, str]]]  # rows written → lines of the 2nd sheet


def sheet_name(text: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in text if c not in "[]:*?/\\")[:31] or "data"


def write_xlsx(sheet: Sheet, batches: Iterable[Batch]) -> Iterator[bytes]:
    """XlsxWriter in constant-memory mode to a temporary file, then streamed. Texts are written
    as strings, so nothing is ever a formula and no apostrophe is needed; date-times are real
    Excel date-times; the header row is frozen and filtered, a second sheet says what it is."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(
            path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        data = workbook.add_worksheet(sheet_name(sheet.name))
        bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "text_wrap": True})
        formats = [
            workbook.add_format({"num_format": f}) if f else None for f in sheet.number_formats
        ]
        # Widths and the frozen row come before the rows: constant memory writes rows at once.
        for column, width in enumerate(sheet.widths):
            data.set_column(column, column, width)
        data.freeze_panes(1, 0)
        for column, header in enumerate(sheet.headers):
            data.write_string(0, column, header, bold)
        index = 0
        for batch in batches:
            for row in batch:
                index += 1
                for column, value in enumerate(row):
                    if value is None:
                        continue
                    if value.__class__ is str:
                        data.write_string(index, column, value)
                    elif isinstance(value, bool):
                        data.write_boolean(index, column, value)
                    elif isinstance(value, int | float):
                        data.write_number(index, column, value, formats[column])
                    else:
                        data.write_string(index, column, str(plain(value)))
        data.autofilter(0, 0, index, len(sheet.headers) - 1)
        about = workbook.add_worksheet(sheet_name(sheet.about_name))
        about.set_column(0, 0, 28)
        about.set_column(1, 1, 60)
        for line, (label, value) in enumerate(sheet.about(index)):
            about.write_string(line, 0, label, bold)
            about.write_string(line, 1, value)
        workbook.close()
        with open(path, "rb") as written:
            while block := written.read(SPOOL_BYTES):
                yield block
    finally:
        os.unlink(path)
