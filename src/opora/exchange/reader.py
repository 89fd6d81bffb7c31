"""Reading the exchange files: `NAME.csv` (UTF-8 with or without BOM, or Windows-1251; `,` or `;`) or
`NAME.xlsx` (first sheet). Every row comes out as (file line number, list of cell strings).

A bad file is refused with :class:`FileRefused` (a translated message naming the file, and the line where there is
one), never a traceback, and within bounded time and memory: the limits below are checked before the expensive
step (the file's size before reading it, the zip's declared uncompressed sizes before parsing an XLSX, the length
of each physical CSV line before the csv module splits it, the header's width, each cell's length). The encoding
is detected, not guessed: UTF-8 (with or without BOM) or Windows-1251; KOI8-R, CP866, ISO 8859-5, Mac Cyrillic,
UTF-16/32 and binary data are named and refused. Control characters (NUL and the other C0/C1 codes except tab and
line breaks) are refused in any text. A CSV cell starting with an apostrophe before `=`, `+`, `-`, `@`, a tab or
CR is read without that apostrophe (the escape `opora export` writes, lib/xlsx.csv_cell).
"""

from __future__ import annotations

import csv
import datetime
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from opora.lib import xlsx

# An apostrophe before a formula-like character: a cell escaped by the export (lib/xlsx.csv_cell) may be there.
_QUOTED = re.compile("'['=+\\-@\t\r]")
MB = 1024 * 1024
MAX_COLUMNS = 100  # the widest exchange file has 16 columns
MAX_FIELD = 10_000  # characters in one cell
MAX_LINE = MAX_COLUMNS * (MAX_FIELD + 3)  # characters in one physical CSV line


def max_file_bytes() -> int:
    return int(getattr(settings, "OPORA_IMPORT_MAX_FILE_MB", 200)) * MB


def max_xlsx_bytes() -> int:
    """The most an XLSX may inflate to (all its parts, as the zip declares them)."""
    return int(getattr(settings, "OPORA_IMPORT_MAX_XLSX_MB", 500)) * MB


class FileRefused(Exception):
    """A file that cannot be read: ``file`` (its name), ``line`` (0: the whole file), ``column``, ``message``."""

    def __init__(self, file: str, message: str, line: int = 0, column: str = ""):
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.message, self.line, self.column = file, message, line, column


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> tuple[int, str] | None:
    """(offset, "U+0000") of the first control character (other than tab, CR, LF) in the text, or None."""
    m = _CONTROL.search(text)
    return None if m is None else (m.start(), f"U+{ord(m.group()):04X}")


def _control_refused(file: str, code: str, line: int) -> FileRefused:
    return FileRefused(file, _("The text contains the control character %(code)s; save the file without it.")
                       % {"code": code}, line)


def _too_long(file: str, line: int, column: str = "") -> FileRefused:
    return FileRefused(file, _("A cell is longer than %(limit)s characters (the limit of a cell).")
                       % {"limit": MAX_FIELD}, line, column)


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


# The single-byte Cyrillic encodings a file may come in; only Windows-1251 is accepted, the others are named.
_CYRILLIC_8BIT = {"cp1251": "Windows-1251", "koi8_r": "KOI8-R", "cp866": "CP866 (DOS)",
                  "iso8859_5": "ISO 8859-5", "mac_cyrillic": "Mac Cyrillic"}
# the most frequent letters of Russian and Ukrainian text: right text has most of its letters among them
_FREQUENT = frozenset("оеаинтсрвлі")
_CYRILLIC_LETTER = re.compile("[а-яёіїєґ]")
_WIDE = re.compile("[^\x00-\x7f]")


def _frequent_share(text: str) -> tuple[float, int]:
    """The share of the most frequent letters among the characters outside ASCII (a wrong encoding turns the
    bytes of the right one into rarer letters or into symbols), and the number of Cyrillic letters."""
    wide = len(_WIDE.findall(text))
    if not wide:
        return 0.0, 0
    letters = _CYRILLIC_LETTER.findall(text.lower())
    return sum(1 for c in letters if c in _FREQUENT) / wide, len(letters)


class EncodingRefused(ValueError):
    pass


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM is dropped) or Windows-1251. Any other encoding raises EncodingRefused
    naming it: UTF-16/32 (by BOM or NUL bytes), binary data, or a single-byte Cyrillic encoding other than
    Windows-1251 (told apart by the share of the most frequent letters, which only the right encoding gives)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EncodingRefused(_("The file is in UTF-16 (or UTF-32); save it as UTF-8 or Windows-1251."))
    if data.startswith(b"PK\x03\x04"):
        raise EncodingRefused(_("This is an XLSX (zip) file with the extension .csv; name it .xlsx."))
    if data[:65536].count(b"\x00") * 20 > len(data[:65536]):  # over 5 %: not text (a few NULs are named below)
        raise EncodingRefused(_("The file is not text (it has NUL bytes: binary data or UTF-16 without BOM); "
                                "save it as UTF-8 or Windows-1251."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    sample = data[:1_000_000]
    scores: dict[str, float] = {}
    for codec in _CYRILLIC_8BIT:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        share, count = _frequent_share(text)
        if count:
            scores[codec] = share
    best = max(scores, key=lambda c: (scores[c], c == "cp1251"), default=None)
    if best is None:
        raise EncodingRefused(_("The file is neither UTF-8 nor Windows-1251 (its encoding is unknown); save it as "
                                "UTF-8."))
    if best != "cp1251" and scores[best] > scores.get("cp1251", 0.0) + 0.05:
        raise EncodingRefused(_("The file seems to be in %(encoding)s, which is not accepted; save it as UTF-8 or "
                                "Windows-1251.") % {"encoding": _CYRILLIC_8BIT[best]})
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        raise EncodingRefused(_("The file is neither UTF-8 nor Windows-1251 (its encoding is unknown); save it as "
                                "UTF-8.")) from None


def detect_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _clean_header(cells: list[str]) -> list[str]:
    return [c.strip().lower() for c in cells]


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > max_file_bytes():
        raise FileRefused(path.name, _("The file is larger than %(limit)s MB (the limit of an imported file).")
                          % {"limit": max_file_bytes() // MB})


def _bounded_lines(name: str, text: str) -> Iterator[str]:
    """The text's physical lines for the csv module, each refused past MAX_LINE characters before it is cut out
    (no copy of the whole text is made)."""
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # old Mac line ends
    start, end_of_text, find = 0, len(text), text.find
    physical = 0
    while start < end_of_text:
        physical += 1
        end = find("\n", start)
        end = end_of_text if end < 0 else end + 1
        if end - start > MAX_LINE:
            raise FileRefused(name, _("A line is longer than %(limit)s characters (the limit of a line).")
                              % {"limit": MAX_LINE}, physical)
        yield text[start:end]
        start = end


def _guarded(name: str, reader: Iterable[list[str]], line: Callable[[], int]) -> Iterator[list[str]]:
    """The csv reader's rows, its errors (a cell over the limit, a broken quote) turned into FileRefused."""
    try:
        yield from reader
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _too_long(name, line()) from None
        raise FileRefused(name, _("The line cannot be read as CSV (%(error)s).") % {"error": exc}, line()) \
            from None


def read_csv(path: Path) -> Table:
    name = path.name
    _check_size(path)
    try:
        text = decode(path.read_bytes())
    except EncodingRefused as exc:
        raise FileRefused(name, str(exc)) from None
    bad = control_character(text)
    if bad is not None:
        raise _control_refused(name, bad[1], text.count("\n", 0, bad[0]) + 1)
    first_line = text[:MAX_LINE + 1].split("\n", 1)[0]
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(_bounded_lines(name, text), delimiter=detect_delimiter(first_line))
    source = _guarded(name, reader, lambda: reader.line_num)
    if _QUOTED.search(text):  # a cell written by lib/xlsx.csv_cell: its apostrophe taken off (else no cost)
        source = ([xlsx.csv_value(c) for c in cells] for cells in source)
    try:
        header = _clean_header(next(source))
    except StopIteration:
        header = []
    if len(header) > MAX_COLUMNS:
        raise FileRefused(name, _("The header has %(count)s columns, more than %(limit)s (the limit of columns).")
                          % {"count": len(header), "limit": MAX_COLUMNS}, 1)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for cells in source:
            # blank rows are skipped (the usual row has a first cell, so the join is rarely needed)
            if not any(cells) or (not cells[0].strip() and not "".join(cells).strip()):
                continue
            yield reader.line_num, cells

    # cells: the csv reader's rows, empty lines filtered out in C
    return Table(name, header, rows(), max(0, text.count("\n") - 1), filter(None, source),
                 lambda: reader.line_num)


class _CellRefused(Exception):
    def __init__(self, message: str):
        self.message = message


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > MAX_FIELD:
            raise _CellRefused(_("A cell is longer than %(limit)s characters (the limit of a cell).")
                               % {"limit": MAX_FIELD})
        bad = control_character(value)
        if bad is not None:
            raise _CellRefused(_("The text contains the control character %(code)s; save the file without it.")
                               % {"code": bad[1]})
        return value
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _not_xlsx(name: str) -> FileRefused:
    return FileRefused(name, _("The file is not a readable XLSX workbook (damaged, truncated or of another "
                               "format)."))


def _check_zip(path: Path) -> None:
    """Before openpyxl parses anything: a zip, whose parts declare no more than the limit once inflated."""
    try:
        with zipfile.ZipFile(path) as z:
            inflated = sum(info.file_size for info in z.infolist())
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_xlsx(path.name) from None
    if "[Content_Types].xml" not in names:
        raise _not_xlsx(path.name)
    if inflated > max_xlsx_bytes():
        raise FileRefused(path.name, _("The workbook inflates to %(size)s MB, more than %(limit)s MB (the limit of "
                                       "an unpacked XLSX).") % {"size": inflated // MB,
                                                                "limit": max_xlsx_bytes() // MB})


def read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    name = path.name
    _check_size(path)
    _check_zip(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # no padding of every row to a width the file claims
        it = sheet.iter_rows(values_only=True)
        first = next(it, ())
    except FileRefused:
        raise
    except Exception:  # openpyxl and the XML parser raise many kinds on a broken workbook
        raise _not_xlsx(name) from None
    if len(first) > MAX_COLUMNS and any(v not in (None, "") for v in first[MAX_COLUMNS:]):
        raise FileRefused(name, _("The header has %(count)s columns, more than %(limit)s (the limit of columns).")
                          % {"count": len(first), "limit": MAX_COLUMNS}, 1)
    try:
        header = _clean_header([_cell(v) for v in first[:MAX_COLUMNS]])
    except _CellRefused as exc:
        raise FileRefused(name, exc.message, 1) from None
    while header and not header[-1]:
        header.pop()
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for number, values in enumerate(it, start=2):  # noqa: B007  (the number is the line of a problem)
                if len(values) > MAX_COLUMNS and any(v not in (None, "") for v in values[MAX_COLUMNS:]):
                    raise FileRefused(name, _("The row has more than %(limit)s cells (the limit of columns).")
                                      % {"limit": MAX_COLUMNS}, number)
                cells = [_cell(v) for v in values[:width]]
                if any(c.strip() for c in cells) or any(v not in (None, "") for v in values[width:]):
                    cells += [_cell(v) for v in values[width:]]
                    yield number, cells
        except _CellRefused as exc:
            raise FileRefused(name, exc.message, number) from None
        except FileRefused:
            raise
        except Exception:  # a workbook damaged further in
            raise FileRefused(name, _("The workbook is damaged from this row on."), number + 1) from None
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
