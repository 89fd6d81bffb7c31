"""Table layout and page furniture shared by the DOCX renderers (printed forms and reports).

Word lays a table out from its cells' widths, LibreOffice from the table grid (``w:tblGrid``); python-docx
writes a grid of equal columns whatever the cells say, so a six-column table came out with six equal columns in
LibreOffice and words broke inside («корреспонде/нции»). :func:`layout_table` writes the same widths into the
grid, every cell and the table's own width, with a fixed layout, so both programs draw the same table.

:func:`fit_widths` chooses the widths: each column at least as wide as its longest word (measured in DejaVu
Serif, the font LibreOffice substitutes for Times New Roman here and a wider one, so Word has room to spare),
the rest shared by the relative weights the document asks for.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

#: the horizontal padding of a cell on each side (Word's default 0.19 cm), mm
CELL_PADDING_MM = 1.9
_FONTS = {
    False: "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    True: "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
}
_PT_MM = 25.4 / 72


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
    return float(font.getlength(text)) / 100 * size_pt * _PT_MM


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
