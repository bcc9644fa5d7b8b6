"""The weekly summary as an Excel workbook a youth worker can read and print.

A first sheet gives the week in words and the key figures beside last week; then a sheet per
section, its tables with coloured headers and a native Excel bar chart beside them (drawn from
the chart's figures, written under the tables). Every sheet prints landscape, one page wide.
Texts are string cells, so nothing is ever a formula and no apostrophe shows.
"""

from __future__ import annotations

import io
import re
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from bot.reports.summary_model import CellValue, Chart, Section, Summary, Table

BLUE, LIGHT_BLUE, GREY = "#0B5394", "#9FB8D6", "#555555"
LABEL_WIDTH, VALUE_WIDTH = 38, 14
CHART_WIDTH, BAR_HEIGHT = 560, 26  # pixels


class _Styles:
    def __init__(self, workbook: Workbook) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 16, "font_color": BLUE})
        self.subtitle = workbook.add_format({"italic": True, "font_color": GREY})
        self.caption = workbook.add_format({"bold": True, "font_size": 12})
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#E8EEF4", "bottom": 1, "text_wrap": True}
        )
        self.label = workbook.add_format({"text_wrap": True})
        self.number = workbook.add_format({"num_format": "#,##0", "align": "right"})
        self.mark = workbook.add_format({"align": "right", "font_color": GREY})
        self.note = workbook.add_format({"italic": True, "font_color": GREY})


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        candidate, n = f"{name} {n}", n + 1
    used.add(candidate.lower())
    return candidate


def _printable(sheet: Worksheet) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many long as it takes
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.set_footer("&C&P / &N")


def _value(sheet: Worksheet, row: int, column: int, value: CellValue, styles: _Styles) -> None:
    if isinstance(value, int):
        sheet.write_number(row, column, value, styles.number)
    else:
        sheet.write_string(row, column, value, styles.mark if column else styles.label)


def _table(sheet: Worksheet, row: int, table: Table, styles: _Styles) -> int:
    """Write ``table`` from ``row``; return the first free row after it."""
    sheet.write_string(row, 0, table.title, styles.caption)
    row += 1
    for column, header in enumerate(table.headers):
        sheet.write_string(row, column, header, styles.header)
    row += 1
    for values in table.rows:
        for column, value in enumerate(values):
            _value(sheet, row, column, value, styles)
        row += 1
    if table.note:
        sheet.write_string(row, 0, table.note, styles.note)
        row += 1
    return row + 1


def _chart(
    workbook: Workbook,
    sheet: Worksheet,
    row: int,
    chart: Chart,
    styles: _Styles,
) -> Any:
    """The chart's figures under the tables, and an Excel bar chart drawn from them. A hidden
    count has no bar: its label says why ("Luonto: < 5")."""
    headers = chart.series
    sheet.write_string(row, 0, chart.title, styles.caption)
    first = row + 2
    sheet.write_string(row + 1, 0, "", styles.header)
    sheet.write_string(row + 1, 1, headers[0], styles.header)
    with_previous = any(bar.previous is not None for bar in chart.bars)
    if with_previous:
        sheet.write_string(row + 1, 2, headers[1], styles.header)
    for offset, bar in enumerate(chart.bars):
        at = first + offset
        hidden = not isinstance(bar.value, int)
        label = f"{bar.label}: {bar.value}" if hidden and bar.value is not None else bar.label
        sheet.write_string(at, 0, label, styles.label)
        for column, value in ((1, bar.value), (2, bar.previous if with_previous else None)):
            if isinstance(value, int):
                sheet.write_number(at, column, value, styles.number)
            elif value is not None:
                sheet.write_string(at, column, value, styles.mark)
    last = first + len(chart.bars) - 1
    name = sheet.get_name().replace("'", "''")
    drawn = workbook.add_chart({"type": "bar"})
    series = [(1, headers[0], BLUE)] + ([(2, headers[1], LIGHT_BLUE)] if with_previous else [])
    for column, series_name, colour in series:
        drawn.add_series(
            {
                "name": series_name,
                "categories": f"='{name}'!$A${first + 1}:$A${last + 1}",
                "values": [name, first, column, last, column],
                "fill": {"color": colour},
                "data_labels": {"value": True},
                "gap": 60,
            }
        )
    drawn.set_title({"name": chart.title, "name_font": {"size": 12}})
    drawn.set_y_axis({"reverse": True})  # the first row on top, as in the table
    drawn.set_x_axis({"min": 0, "major_gridlines": {"visible": True}})
    drawn.set_legend({"position": "bottom" if with_previous else "none"})
    drawn.set_size({"width": CHART_WIDTH, "height": 90 + BAR_HEIGHT * len(chart.bars)})
    return drawn


def _section(
    workbook: Workbook, sheet: Worksheet, summary: Summary, section: Section, styles: _Styles
) -> None:
    sheet.write_string(0, 0, section.title, styles.title)
    sheet.write_string(1, 0, f"{summary.title}. {summary.period}", styles.subtitle)
    row = 3
    widest = 1
    for table in section.tables:
        row = _table(sheet, row, table, styles)
        widest = max(widest, len(table.headers))
    sheet.set_column(0, 0, LABEL_WIDTH)
    sheet.set_column(1, widest - 1, VALUE_WIDTH)
    if section.chart and section.chart.bars:
        drawn = _chart(workbook, sheet, row, section.chart, styles)
        sheet.insert_chart(3, widest + 1, drawn, {"x_offset": 10})
    _printable(sheet)


def _change(now: CellValue, before: CellValue) -> str:
    if not isinstance(now, int) or not isinstance(before, int):
        return ""  # a hidden figure has no difference to show
    difference = now - before
    return f"+{difference}" if difference > 0 else ("0" if difference == 0 else f"−{-difference}")


def _overview(sheet: Worksheet, summary: Summary, styles: _Styles) -> None:
    sheet.write_string(0, 0, summary.title, styles.title)
    sheet.write_string(1, 0, summary.period, styles.subtitle)
    row = 3
    sheet.write_string(row, 0, summary.key_title, styles.caption)
    row += 1
    for column, header in enumerate(summary.key_headers):
        sheet.write_string(row, column, header, styles.header)
    row += 1
    for section in summary.sections:
        if not section.key_rows or not section.tables:
            continue
        for label, now, before in (r[:3] for r in section.tables[0].rows[: section.key_rows]):
            sheet.write_string(row, 0, f"{section.title}: {label}", styles.label)
            _value(sheet, row, 1, now, styles)
            _value(sheet, row, 2, before, styles)
            sheet.write_string(row, 3, _change(now, before), styles.mark)
            row += 1
    if summary.note:
        sheet.write_string(row + 1, 0, summary.note, styles.note)
    sheet.set_column(0, 0, LABEL_WIDTH + 12)
    sheet.set_column(1, 3, VALUE_WIDTH)
    _printable(sheet)


def write_workbook(summary: Summary) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    styles = _Styles(workbook)
    used: set[str] = set()
    _overview(workbook.add_worksheet(_sheet_name(summary.overview_name, used)), summary, styles)
    for section in summary.sections:
        sheet = workbook.add_worksheet(_sheet_name(section.title, used))
        _section(workbook, sheet, summary, section, styles)
    workbook.close()
    return buffer.getvalue()
