"""Table layout and page furniture shared by the DOCX renderers (printed forms and reports).

Word lays a table out from its cells' widths, LibreOffice from the table grid (``w:tblGrid``); python-docx
writes a grid of equal columns whatever the cells say, so a six-column table came out with six equal columns in
LibreOffice and words broke inside («корреспонде/нции»). :func:`layout_table` writes the same widths into the
grid, every cell and the table's own width, with a fixed layout, so both programs draw the same table.

:func:`fit_widths` chooses the widths: each column at least as wide as its longest word (measured in DejaVu
Serif, the font LibreOffice substitutes for Times New Roman here and a wider one, so Word has room to spare),
the rest shared by the relative weights the document asks for.

:func:`add_table` writes a whole table as one piece of WordprocessingML (issue 18): python-docx's per-cell API
(``table.rows[r].cells``, ``add_run``, a proxy object and a schema-ordered insert for every property) cost about
1.3 s of CPU for the ≈1 700 cells of an annual report; the same XML, element for element and attribute for
attribute, written as one string and parsed once by lxml takes a few milliseconds.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable

#: the horizontal padding of a cell on each side (Word's default 0.19 cm), mm
CELL_PADDING_MM = 1.9
_FONTS = {
    False: "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    True: "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
}
_PT_MM = 25.4 / 72


@functools.cache
def _length(text: str, bold: bool) -> float:
    """The advance of ``text`` in the 100-point font (the same word is measured once per process)."""
    return float(_font(bold).getlength(text))


@functools.cache
def _font(bold: bool) -> Any:
    from PIL import ImageFont

    path = _FONTS[bold]
    if not os.path.exists(path):
        return None
    return ImageFont.truetype(path, 100)


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of ``text`` set in ``size_pt`` points (DejaVu Serif; 0.6 em a character without the font)."""
    font = _font(bold)
    if font is None:
        return len(text) * 0.6 * size_pt * _PT_MM
    return _length(text, bold) / 100 * size_pt * _PT_MM


_SPACES = re.compile(r"[ \t\n\r\u2009]+")  # not U+00A0: «530 487» and «116,92 %» never break
_BREAKS = re.compile(r"(?<=[-‐/–])(?=\w)")


def words(text: str) -> list[str]:
    """The pieces a line may not break inside: words, a hyphenated word split after its hyphens
    («Социально-|бытовые»), as LibreOffice and Word break it."""
    return [piece for word in _SPACES.split(text) for piece in _BREAKS.split(word) if piece]


def longest_word_mm(text: str, size_pt: float, bold: bool = False) -> float:
    return max((text_width_mm(w, size_pt, bold) for w in words(text)), default=0.0)


def _minimums(header: Sequence[str], rows: Sequence[Sequence[str]], size_pt: float) -> list[float]:
    """Each column's width that holds its longest word (the header's in bold) with the cell's padding."""
    minimum = []
    for i in range(len(header)):
        pieces = [longest_word_mm(header[i], size_pt, bold=True)]
        pieces += [longest_word_mm(r[i], size_pt, bold=True) for r in rows if i < len(r) and r[i]]
        minimum.append(max(pieces) + 2 * CELL_PADDING_MM + 0.8)
    return minimum


def fit_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    weights: Sequence[float] | None,
    total_mm: float,
    size_pt: float,
) -> list[float]:
    """Column widths (mm) summing to ``total_mm``: no column narrower than its longest word (plus padding), the
    room left shared in proportion to ``weights`` (even when None). When even the words do not fit, the minimums
    are scaled down together."""
    n = len(header)
    if not weights or len(weights) != n or any(w <= 0 for w in weights):
        weights = [1.0] * n
    minimum = _minimums(header, rows, size_pt)
    if sum(minimum) >= total_mm:
        return [total_mm * m / sum(minimum) for m in minimum]
    # a column whose share is under its minimum gets the minimum; the others share what is left by weight
    fixed: set[int] = set()
    while True:
        free = total_mm - sum(minimum[i] for i in fixed)
        weight = sum(weights[i] for i in range(n) if i not in fixed)
        widths = [minimum[i] if i in fixed else free * weights[i] / weight for i in range(n)]
        short = {i for i in range(n) if i not in fixed and widths[i] < minimum[i]}
        if not short:
            break
        fixed |= short
    return widths


def fit_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    weights: Sequence[float] | None,
    total_mm: float,
    sizes: Sequence[float] = (10, 9, 8),
) -> tuple[float, list[float]]:
    """(font size, column widths): the first of ``sizes`` at which every column holds its longest word."""
    for size in sizes:
        if min_width_mm(header, rows, size) <= total_mm:
            break
    return size, fit_widths(header, rows, weights, total_mm, size)


def min_width_mm(header: Sequence[str], rows: Sequence[Sequence[str]], size_pt: float) -> float:
    return sum(_minimums(header, rows, size_pt))


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def layout_table(table: Any, widths_mm: Sequence[float]) -> None:
    """Give the table a fixed layout, its grid, every cell and its own width the same ``widths_mm``."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), _twips(sum(widths_mm)))
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), _twips(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _field(paragraph: Any, instruction: str, size_pt: float) -> None:
    """A simple field (PAGE, NUMPAGES) whose value Word and LibreOffice compute when they lay the page out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(round(size_pt * 2)))
    r_pr.append(sz)
    run.append(r_pr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def page_numbers(section: Any, size_pt: float = 9) -> None:
    """«Страница 2 из 5» centred in the footer of every page of the section."""
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    template = _("Page {page} of {pages}")
    before, _sep, rest = template.partition("{page}")
    middle, _sep2, after = rest.partition("{pages}")
    for text, instruction in ((before, "PAGE"), (middle, "NUMPAGES"), (after, "")):
        if text:
            p.add_run(text).font.size = Pt(size_pt)
        if instruction:
            _field(p, instruction, size_pt)


# --- a table written at once ------------------------------------------------------------------------------------

Align = Literal["left", "center", "right", "both"]


@dataclass(frozen=True, slots=True)
class CellText:
    """One cell of :func:`add_table`: one paragraph with one run. ``bold``/``italic`` None leave the run's
    property unset (the style's), False writes it off explicitly — as python-docx's ``run.bold = False`` does;
    ``align`` None leaves the paragraph's alignment unset."""

    text: str
    bold: bool | None = None
    italic: bool | None = None
    align: Align | None = None


def _toggle(tag: str, value: bool | None) -> str:
    if value is None:
        return ""
    return f"<w:{tag}/>" if value else f'<w:{tag} w:val="0"/>'


def _run_content(text: str) -> str:
    """``text`` as python-docx's ``add_run(text)`` writes it: a tab as ``w:tab``, a line break as ``w:br``, the
    rest in ``w:t`` (``xml:space="preserve"`` when it starts or ends with white space); no ``w:t`` when empty."""
    out = []
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(out)


def _cell_xml(cell: CellText, width_twips: int, size: str) -> str:
    jc = f'<w:jc w:val="{cell.align}"/>' if cell.align else ""
    return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width_twips}"/></w:tcPr>'
            f'<w:p><w:pPr><w:spacing w:after="0"/>{jc}</w:pPr>'
            f'<w:r><w:rPr>{_toggle("b", cell.bold)}{_toggle("i", cell.italic)}<w:sz w:val="{size}"/></w:rPr>'
            f"{_run_content(cell.text)}</w:r></w:p></w:tc>")


def add_table(docx: Any, rows: Sequence[Sequence[CellText]], widths_mm: Sequence[float], size_pt: float, *,
              header_rows: int = 1, style: str = "Table Grid") -> DocxTable:
    """Append to the document's body a centred table in ``style`` with a fixed layout: ``widths_mm`` in its grid,
    every cell and its own width (as :func:`layout_table`), the first ``header_rows`` rows repeated on every page,
    each cell one paragraph without space after and one run of ``size_pt`` points. The XML is what python-docx's
    ``add_table`` + ``layout_table`` + per-cell ``add_run`` wrote, built as one string (see the module's
    docstring); the python-docx table is returned for whatever else the caller does with it (merged cells)."""
    cell_twips = [Mm(w).twips for w in widths_mm]  # as python-docx's cell.width = Mm(w)
    size = ST_HpsMeasure.convert_to_xml(Pt(size_pt))
    style_id = docx.styles[style].style_id
    parts = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>",
        f'<w:tblStyle w:val="{escape(style_id)}"/><w:tblW w:type="dxa" w:w="{_twips(sum(widths_mm))}"/>',
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>',
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1"'
        ' w:val="04A0"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths_mm),
        "</w:tblGrid>",
    ]
    for r, row in enumerate(rows):
        if len(row) != len(widths_mm):
            raise ValueError(f"row {r} has {len(row)} cells for {len(widths_mm)} columns")
        parts.append('<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>' if r < header_rows else "<w:tr>")
        parts.extend(_cell_xml(cell, twips, size) for cell, twips in zip(row, cell_twips, strict=True))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    tbl = parse_xml("".join(parts))
    body = docx.element.body
    body._insert_tbl(tbl)  # before the body's last sectPr, as python-docx's add_table
    return DocxTable(tbl, docx._body)
