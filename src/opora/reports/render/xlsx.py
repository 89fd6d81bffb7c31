"""The report as an XLSX workbook (openpyxl): one sheet per table, numbers stored as numbers with number formats,
and native Excel charts (PieChart, BarChart) on the sheet of the table they belong to.

A chart belongs to the last table before it in its section (or gets a sheet of its own); its data is written
beside that table and the chart is anchored under it. Every string goes through :func:`opora.lib.xlsx.put`: text,
never a formula. Percentages are stored as the figures shown (116.92 with
the format ``#,##0.00" %"``, the space a no-break space in ru and uk and none in en, as :mod:`opora.lib.formats`
writes them), the same numbers as in the JSON. Grouping and the decimal mark of ``#,##0.00`` are the reader's
Excel locale's.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from opora.lib import formats
from opora.lib.xlsx import (  # every string as text, never a formula
    fit_columns,
    print_setup,
    put,
    short_title,
    wrapped_lines,
)
from opora.reports.model import Chart, Kind, ReportDocument, ReportTable, Value

FORMATS: dict[str, str] = {"int": "#,##0", "money": "#,##0.00", "decimal": "#,##0.00"}


def number_formats(lang: str | None = None) -> dict[str, str]:
    """The Excel number format of each kind; the percent sign as :func:`opora.lib.formats.percent` puts it."""
    before_pct = formats.SEPARATORS[formats.language(lang)][2]
    return {**FORMATS, "percent": f'#,##0.00"{before_pct}%"'}
_BAD = re.compile(r"[\[\]:*?/\\]")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")
_BOLD = Font(bold=True)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a short title: no ``[]:*?/\\``, at most 31 characters; of a long «Home care:
    recipients by category» the part after the colon («Recipients by category»)."""
    head, colon, tail = name.partition(":")
    if colon and len(name) > 31 and len(tail.strip()) >= 8:
        name = tail.strip()[:1].upper() + tail.strip()[1:]
    base = short_title(_BAD.sub(" ", name).strip().strip("'"))[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _number(value: Value, kind: Kind) -> int | float | str | None:
    if value is None or isinstance(value, str):
        return value
    if kind in ("int", "decimal") and isinstance(value, int):
        return int(value)  # a count in a mixed column (e.g. services beside income) stays a whole number
    return float(value)


def _write_table(ws: Worksheet, table: ReportTable) -> tuple[int, int]:
    """Write the table at the top of the sheet; return (last row, last column)."""
    put(ws, 1, 1, table.title).font = Font(bold=True, size=12)
    head = 3
    headings = [table.label_heading] + [c.label for c in table.columns]
    for j, text in enumerate(headings, start=1):
        cell = put(ws, head, j, text)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    r = head
    kinds = number_formats()
    for row in table.rows:
        r += 1
        label = put(ws, r, 1, row.label)
        label.border = _BORDER
        if row.is_total:
            label.font = _BOLD
        for j, col in enumerate(table.columns, start=2):
            cell = put(ws, r, j, _number(row.values.get(col.field), col.kind))
            cell.border = _BORDER
            if col.kind in kinds:
                cell.number_format = (kinds["int"] if col.kind == "decimal" and isinstance(cell.value, int)
                                      else kinds[col.kind])
            if row.is_total:
                cell.font = _BOLD
    fit_columns(ws, first_row=head, last_row=r, minimum=10, maximum=60)
    widths = [ws.column_dimensions[get_column_letter(j)].width or 10 for j in range(1, len(headings) + 1)]
    # the header row as tall as its longest wrapped heading (LibreOffice does not grow it by itself)
    ws.row_dimensions[head].height = 15 * max(wrapped_lines(text, w) for text, w in zip(headings, widths, strict=True))
    if table.note:  # the note wraps across the table's width, inside the printed area
        r += 2
        note = put(ws, r, 1, table.note)
        note.font = Font(italic=True)
        note.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(headings))
        ws.row_dimensions[r].height = 15 * wrapped_lines(table.note, sum(widths))
    ws.freeze_panes = ws.cell(row=head + 1, column=2)
    # printed: landscape, fitted to the width, the header row on every page, the table only (a chart's data beside
    # it stays on the screen)
    print_setup(ws, header_rows=f"{head}:{head}", area=f"A1:{get_column_letter(len(headings))}{r}")
    return r, len(headings)


def _write_chart(ws: Worksheet, chart: Chart, top: int, left: int) -> int:
    """Write the chart's data at (top, left), add the native chart under the data; return the next free row."""
    put(ws, top, left, chart.title).font = _BOLD
    head = top + 1
    for i, s in enumerate(chart.series, start=1):
        put(ws, head, left + i, s.name).font = _BOLD
    for k, category in enumerate(chart.categories, start=1):
        put(ws, head + k, left, category)
        for i, s in enumerate(chart.series, start=1):
            v = s.values[k - 1] if k - 1 < len(s.values) else None
            cell = put(ws, head + k, left + i, None if v is None else _number(v, "int"))
            cell.number_format = FORMATS["int"] if isinstance(v, int) else FORMATS["decimal"]
    last = head + len(chart.categories)
    cats = Reference(ws, min_col=left, min_row=head + 1, max_row=last)
    data = Reference(ws, min_col=left + 1, max_col=left + max(len(chart.series), 1), min_row=head, max_row=last)
    native: PieChart | BarChart
    if chart.kind == "pie":
        native = PieChart()
        native.add_data(Reference(ws, min_col=left + 1, min_row=head, max_row=last), titles_from_data=True)
    else:
        native = BarChart()
        native.type = "col"
        native.grouping = "clustered"
        native.add_data(data, titles_from_data=True)
        native.y_axis.numFmt = "#,##0"
        native.y_axis.delete = False
        native.x_axis.delete = False
    native.set_categories(cats)
    native.title = chart.title
    native.width, native.height = 18, 9
    anchor_row = last + 2
    ws.add_chart(native, f"{get_column_letter(left)}{anchor_row}")
    return anchor_row + 20


def render(doc: ReportDocument) -> bytes:
    wb = Workbook(write_only=False)
    first = wb.active
    taken: set[str] = set()
    sheet_of_table: Worksheet | None = None
    chart_place: dict[str, tuple[int, int]] = {}  # sheet title → (next free row, chart column)
    used_first = False
    for section in doc.sections:
        sheet_of_table = None
        for block in section.blocks:
            if isinstance(block, ReportTable):
                ws = first if not used_first else wb.create_sheet()
                used_first = True
                ws.title = sheet_title(block.title or block.id, taken)
                last_row, last_col = _write_table(ws, block)
                chart_place[ws.title] = (3, last_col + 2)
                sheet_of_table = ws
            elif isinstance(block, Chart):
                if sheet_of_table is None:
                    ws = first if not used_first else wb.create_sheet()
                    used_first = True
                    ws.title = sheet_title(block.title or block.id, taken)
                    chart_place[ws.title] = (1, 1)
                    sheet_of_table = ws
                ws = sheet_of_table
                top, left = chart_place[ws.title]
                chart_place[ws.title] = (_write_chart(ws, block, top, left), left)
    if not used_first:
        first.title = sheet_title(doc.title, taken)
    wb.properties.title = doc.title
    wb.properties.subject = f"{doc.organisation_name} · {doc.period.label}"
    wb.properties.creator = _("Opora")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
