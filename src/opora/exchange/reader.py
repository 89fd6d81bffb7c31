"""Reading the exchange files: `NAME.csv` (UTF-8 with or without BOM, or Windows-1251; `,` or `;`) or
`NAME.xlsx` (first sheet). Every row comes out as (file line number, list of cell strings)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Table:
    """A file's rows, to be read once either as `rows` or, where every row counts, as `cells` with `line()`
    naming the line of the row last read (asked only for a problem). Both skip blank rows except that
    `cells` may hand out a row of blank cells (the reader of `cells` then skips it)."""

    name: str  # the file's name as printed in problems, e.g. "deliveries.csv"
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line number in the file, cells); the header is line 1
    size: int  # a cheap estimate of the number of data rows (for the progress bar)
    cells: Iterator[list[str]]
    line: Callable[[], int]


def find_file(directory: Path, name: str) -> Path | None:
    """`NAME.csv` or `NAME.xlsx` in the directory (case-insensitive), or None."""
    wanted = {f"{name}.csv", f"{name}.xlsx"}
    found = sorted(p for p in directory.iterdir() if p.is_file() and p.name.lower() in wanted)
    return found[0] if found else None


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped); anything that is not valid UTF-8 is read as Windows-1251."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def detect_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _clean_header(cells: list[str]) -> list[str]:
    return [c.strip().lower() for c in cells]


def read_csv(path: Path) -> Table:
    text = decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(first_line))
    try:
        header = _clean_header(next(reader))
    except StopIteration:
        header = []

    def rows() -> Iterator[tuple[int, list[str]]]:
        for cells in reader:
            # blank rows are skipped (the usual row has a first cell, so the join is rarely needed)
            if not any(cells) or (not cells[0].strip() and not "".join(cells).strip()):
                continue
            yield reader.line_num, cells

    # cells: the csv reader itself (no Python step per row), empty lines filtered out in C
    return Table(path.name, header, rows(), max(0, text.count("\n") - 1), filter(None, reader),
                 lambda: reader.line_num)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    try:
        header = _clean_header([_cell(v) for v in next(it)])
    except StopIteration:
        header = []
    while header and not header[-1]:
        header.pop()
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(it, start=2):
                cells = [_cell(v) for v in values[:width]]
                if any(c.strip() for c in cells) or any(v not in (None, "") for v in values[width:]):
                    cells += [_cell(v) for v in values[width:]]
                    yield number, cells
        finally:
            book.close()

    where = [1]
    numbered = rows()

    def cells() -> Iterator[list[str]]:
        for where[0], row in numbered:
            yield row

    return Table(path.name, header, numbered, max(0, (sheet.max_row or 1) - 1), cells(), lambda: where[0])


def read_table(path: Path) -> Table:
    return read_xlsx(path) if path.suffix.lower() == ".xlsx" else read_csv(path)
