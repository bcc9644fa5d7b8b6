"""Write a weekly summary as XLSX (``summary_workbook``), a CSV bundle (zip) or an HTML page."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.reports.cells import as_text
from bot.reports.summary_model import SMALL_MARK, CellValue, Chart, Summary, Table
from bot.reports.summary_workbook import write_workbook

FORMATS = ("xlsx", "csv", "html")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "html": "text/html; charset=utf-8",
}
EXTENSIONS = {"xlsx": "xlsx", "csv": "zip", "html": "html"}


def file_name(summary: Summary, file_format: str) -> str:
    return f"osallistu-summary-{summary.week}.{EXTENSIONS[file_format]}"


def write_summary(summary: Summary, file_format: str, *, delimiter: str = ";") -> bytes:
    if file_format == "xlsx":
        return write_workbook(summary)
    if file_format == "csv":
        return _csv_bundle(summary, delimiter)
    if file_format == "html":
        return _html(summary).encode()
    raise ValueError(f"unknown format {file_format!r}; use one of {', '.join(FORMATS)}")


def _table_csv(table: Table, delimiter: str) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([as_text(h) for h in table.headers])
    for values in table.rows:
        writer.writerow([as_text(v) for v in values])
    if table.note:
        writer.writerow([as_text(table.note)])
    return ("\ufeff" + text.getvalue()).encode()


def _csv_bundle(summary: Summary, delimiter: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for s_index, section in enumerate(summary.sections, start=1):
            for t_index, table in enumerate(section.tables, start=1):
                name = f"{s_index:02d}-{section.key}-{t_index}.csv"
                bundle.writestr(name, _table_csv(table, delimiter))
    return buffer.getvalue()


_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    auto_reload=False,
)


def chart_geometry(chart: Chart, width: int = 360) -> list[tuple[str, CellValue | None, int, int]]:
    """(label, value as shown, bar width now, bar width last week) scaled to the largest count
    shown; a hidden count gets no length (its mark is written instead)."""

    def count(value: CellValue | None) -> int:
        return value if isinstance(value, int) else 0

    largest = max([count(b.value) for b in chart.bars] + [count(b.previous) for b in chart.bars])
    largest = max(largest, 1)
    return [
        (
            bar.label,
            bar.value,
            count(bar.value) * width // largest,
            count(bar.previous) * width // largest,
        )
        for bar in chart.bars
    ]


def _html(summary: Summary) -> str:
    return _TEMPLATES.get_template("summary.html").render(
        summary=summary, geometry=chart_geometry, small=SMALL_MARK
    )
