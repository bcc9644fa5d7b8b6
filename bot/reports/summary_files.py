"""Write a weekly summary as XLSX (a sheet per section), a CSV bundle (zip) or an HTML page."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import xlsxwriter
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.reports.cells import as_text, neutralised
from bot.reports.summary_model import SMALL_MARK, Chart, Summary, Table

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
        return _xlsx(summary)
    if file_format == "csv":
        return _csv_bundle(summary, delimiter)
    if file_format == "html":
        return _html(summary).encode()
    raise ValueError(f"unknown format {file_format!r}; use one of {', '.join(FORMATS)}")


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate, n = f"{name} {n}", n + 1
    used.add(candidate.lower())
    return candidate


def _xlsx(summary: Summary) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "font_size": 14})
    note = workbook.add_format({"italic": True, "font_color": "#555555"})
    used: set[str] = set()
    for section in summary.sections:
        sheet = workbook.add_worksheet(_sheet_name(section.title, used))
        sheet.write_string(0, 0, neutralised(f"{summary.title} ({summary.period})"), heading)
        row = 2
        for table in section.tables:
            sheet.write_string(row, 0, neutralised(table.title), bold)
            row += 1
            for column, header in enumerate(table.headers):
                sheet.write_string(row, column, neutralised(header), bold)
            row += 1
            for values in table.rows:
                for column, value in enumerate(values):
                    if isinstance(value, int):
                        sheet.write_number(row, column, value)
                    else:
                        sheet.write_string(row, column, neutralised(str(value)))
                row += 1
            if table.note:
                sheet.write_string(row, 0, neutralised(table.note), note)
                row += 1
            row += 1
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 12, 14)
    workbook.close()
    return buffer.getvalue()


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


def chart_geometry(chart: Chart, width: int = 360) -> list[tuple[str, int | None, int, int]]:
    """(label, value, bar width now, bar width last week) scaled to the largest value shown."""
    largest = max([b.value or 0 for b in chart.bars] + [b.previous or 0 for b in chart.bars] + [1])
    return [
        (
            bar.label,
            bar.value,
            (bar.value or 0) * width // largest,
            (bar.previous or 0) * width // largest,
        )
        for bar in chart.bars
    ]


def _html(summary: Summary) -> str:
    return _TEMPLATES.get_template("summary.html").render(
        summary=summary, geometry=chart_geometry, small=SMALL_MARK
    )
