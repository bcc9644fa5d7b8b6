"""Write export rows as CSV, JSON or XLSX, batch by batch, in constant memory.

Rows arrive in batches (a few thousand at a time) straight from the database. Typed texts
(``storage.exports.FREE_TEXT``) are neutralised for spreadsheets on the way; everything else
is a code, number or ISO time we made and passes untouched, which keeps a million rows fast.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
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


def _safe(headers: Sequence[str], batches: Counted) -> Iterator[Batch]:
    """Batches with typed texts made safe for spreadsheets (OWASP's rule)."""
    checked = [i for i, header in enumerate(headers) if header in exports.FREE_TEXT]
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


def write_csv(headers: Sequence[str], batches: Counted, delimiter: str) -> Iterator[bytes]:
    """UTF-8 with a BOM, so that Excel reads ä and ö right; None as empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(headers)
    for batch in _safe(headers, batches):
        writer.writerows(batch)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def plain(value: Any) -> Any:
    """A value JSON and XLSX can hold: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def write_json(headers: Sequence[str], batches: Counted) -> Iterator[bytes]:
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


def write_xlsx(headers: Sequence[str], batches: Counted) -> Iterator[bytes]:
    """XlsxWriter in constant-memory mode to a temporary file, then streamed; texts are
    written as strings, so nothing in the file is ever a formula."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(
            path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        sheet = workbook.add_worksheet("data")
        bold = workbook.add_format({"bold": True})
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, bold)
        index = 0
        for batch in _safe(headers, batches):
            for row in batch:
                index += 1
                for column, value in enumerate(row):
                    if value is None:
                        continue
                    if value.__class__ is str:
                        sheet.write_string(index, column, value)
                    elif isinstance(value, bool):
                        sheet.write_boolean(index, column, value)
                    elif isinstance(value, int | float):
                        sheet.write_number(index, column, value)
                    else:
                        sheet.write_string(index, column, str(plain(value)))
        workbook.close()
        with open(path, "rb") as written:
            while block := written.read(SPOOL_BYTES):
                yield block
    finally:
        os.unlink(path)
