"""What every exported list must look like (lib/xlsx.list_workbook), checked on the file read back."""

from __future__ import annotations

import datetime
import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter


def shown_width(value: Any) -> int:
    if isinstance(value, datetime.date):
        return 10  # DD.MM.YYYY
    return max((len(line) for line in str(value).splitlines()), default=0) if value is not None else 0


def assert_laid_out_for_print(content: bytes) -> list[tuple[Any, ...]]:
    """Columns as wide as their widest cell (a heading may wrap by words; at most 50 characters), landscape A4
    fitted to the width, the header row repeated on every page and frozen on screen, dates as DD.MM.YYYY.
    Returns the rows."""
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (
        1, 0, True)
    assert ws.print_title_rows.replace("$", "") == "1:1"  # the header row on every printed page
    assert ws.freeze_panes == "A2"
    assert ws.oddFooter.center.text == "&P / &N"  # page numbers
    headings = rows[0]
    assert all(ws.cell(1, j).font.bold for j in range(1, len(headings) + 1))
    for j, heading in enumerate(headings, start=1):
        width = ws.column_dimensions[get_column_letter(j)].width
        widest = max(shown_width(r[j - 1]) for r in rows[1:]) if rows[1:] else 0
        longest_word = max(len(w) for w in str(heading).split())
        assert min(widest, 48) + 2 <= width + 0.01 <= 52, (heading, width, widest)  # fits the cells
        assert width >= longest_word, (heading, width)  # a heading wraps between words only
        assert width <= max(widest, len(str(heading)), 8) + 2.01, (heading, width, widest)  # and no wider
    for r in range(2, len(rows) + 1):
        for j in range(1, len(headings) + 1):
            cell = ws.cell(r, j)
            if isinstance(cell.value, datetime.datetime):
                assert cell.number_format == "DD.MM.YYYY"
    return rows
