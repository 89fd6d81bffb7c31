"""Renderers of :class:`opora.documents.model.Document`: DOCX (python-docx), HTML (a Django template), PDF (ReportLab).

- DOCX: A4, Times New Roman 12 pt, tables in the "Table Grid" style with a bold repeated header row and a bold
  total row, signature lines ``role ____________ / name /`` each followed by a date line.
- HTML: ``documents/document.html`` with its print CSS inline and no external resources (fonts DejaVu Serif, then
  Times New Roman), so it can be shown in the browser or printed as is.
- PDF: the DOCX's page drawn with ReportLab (documents/pdf.py; nothing is fetched, the network is never touched).
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from opora.documents.layout import Align, CellText, add_table, fit_table, page_numbers
from opora.documents.model import Document, Fields, Heading, Paragraph, Signatures, Table

FONT = "Times New Roman"
SIZE = 12
TABLE_SIZE = 10  # the size of table text: a six-column table of the programme fits A4 without breaking a word
SIGNATURE_LINE = "____________"

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def date_line() -> str:
    """The blank for a hand-written date under a signature."""
    return _("«____» ______________ 20____")


def _widths(columns: int, widths: list[float] | None, total_mm: float) -> list[float]:
    if not widths or len(widths) != columns or any(w <= 0 for w in widths):
        return [total_mm / columns] * columns
    s = sum(widths)
    return [total_mm * w / s for w in widths]


# --- DOCX -------------------------------------------------------------------------------------------------------

def set_style_font(style: Any, font: str) -> None:
    """Give a python-docx style the font for every script (Word otherwise keeps its theme font for Cyrillic)."""
    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)


def _set_font(docx: Any) -> None:
    style = docx.styles["Normal"]
    set_style_font(style, FONT)
    style.font.size = Pt(SIZE)
    style.paragraph_format.space_after = Pt(2)
    style.paragraph_format.space_before = Pt(0)


def _para(docx: Any, text: str, *, bold: bool = False, align: str = "left", size: float | None = None,
          italic: bool = False, keep_with_next: bool = False) -> Any:
    p = docx.add_paragraph()
    p.alignment = _ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    run = p.add_run(text)
    run.bold = bold
    run.italic = italic
    if size:
        run.font.size = Pt(size)
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    return p


_FIGURE = re.compile(r"^[-+−]?\d[\d\u00a0 .,]*(\u00a0?%)?$")


def is_figure(text: str) -> bool:
    """A number, an amount or a percentage (right-aligned in a table)."""
    return bool(_FIGURE.match(text.strip()))


def _cell(text: str, bold: bool = False, header: bool = False, first: bool = False) -> CellText:
    """A cell of a form's table: the header centred, a figure right-aligned (not in the first column, which holds
    the row's number: № 1, 2, 3)."""
    align: Align | None = "center" if header else ("right" if is_figure(text) and not first else None)
    return CellText(text, bold=bold, align=align)


def _docx_table(docx: Any, block: Table, text_width_mm: float) -> None:
    ncols = len(block.columns)
    body = [*block.rows, *([block.total] if block.total is not None else [])]
    size, widths = fit_table(block.columns, body, block.widths, text_width_mm, sizes=(TABLE_SIZE, 9, 8))
    rows = [[_cell(name, bold=True, header=True) for name in block.columns]]
    rows += [[_cell(values[i] if i < len(values) else "", first=i == 0) for i in range(ncols)]
             for values in block.rows]
    if block.total is not None:
        rows.append([_cell(block.total[i] if i < len(block.total) else "", bold=True, first=i == 0)
                     for i in range(ncols)])
    table = add_table(docx, rows, widths, size)  # one piece of XML (documents/layout.add_table)
    for r, values in enumerate(block.rows, start=1):
        if not _is_group(values, ncols):
            continue
        # a row naming a group (a type of services) spans the row, in italics
        cells = table.rows[r].cells
        merged = cells[1].merge(cells[ncols - 1])
        for p in merged.paragraphs[1:]:  # the merged empty cells leave empty paragraphs behind
            p._p.getparent().remove(p._p)
        for run in merged.paragraphs[0].runs:
            run.italic = True
    docx.add_paragraph()


def _is_group(values: list[str], ncols: int) -> bool:
    """A row with only its second cell filled (as the 874н form names a type of services above its rows)."""
    return ncols >= 4 and bool(values[1:2] and values[1]) and not any(
        v for i, v in enumerate(values) if i != 1)


def to_docx(doc: Document) -> bytes:
    """The document as a DOCX file (bytes)."""
    docx = new_docx()
    section = docx.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    text_width_mm = 210 - 25 - 15
    _set_font(docx)
    page_numbers(section)
    docx.core_properties.title = doc.title
    for line in doc.header:
        _para(docx, line, align="center", size=SIZE - 1)
    if doc.header:
        docx.add_paragraph()
    _para(docx, doc.title, bold=True, align="center", size=SIZE + 2, keep_with_next=True)
    if doc.subtitle:
        _para(docx, doc.subtitle, align="center", keep_with_next=True)
    docx.add_paragraph()
    for block in doc.blocks:
        if isinstance(block, Heading):
            size = {1: SIZE + 2, 2: SIZE + 1}.get(block.level, SIZE)
            p = _para(docx, block.text, bold=True, size=size, italic=block.level >= 3, keep_with_next=True,
                      align="center" if block.level == 1 else "left")
            p.paragraph_format.space_before = Pt(8)
        elif isinstance(block, Paragraph):
            _para(docx, block.text, bold=block.bold, align=block.align)
        elif isinstance(block, Fields):
            for label, value in block.items:
                p = docx.add_paragraph()
                p.add_run(f"{label}: ")
                p.add_run(value).bold = True
        elif isinstance(block, Table):
            _docx_table(docx, block, text_width_mm)
        elif isinstance(block, Signatures):
            for role, name in block.items:
                p = docx.add_paragraph()
                p.paragraph_format.space_before = Pt(14)
                p.paragraph_format.keep_with_next = True
                p.add_run(f"{role} ").bold = False
                p.add_run(f"{SIGNATURE_LINE} / {name or SIGNATURE_LINE} /")
                _para(docx, date_line(), size=SIZE - 1)
    buf = io.BytesIO()
    docx.save(buf)
    return buf.getvalue()


# --- HTML and PDF -----------------------------------------------------------------------------------------------

def _block_context(block: Any) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text, "level": min(max(block.level, 1), 4)}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text, "bold": block.bold, "align": block.align}
    if isinstance(block, Fields):
        return {"kind": "fields", "items": block.items}
    if isinstance(block, Table):
        ncols = len(block.columns)
        widths = [round(w, 2) for w in _widths(ncols, block.widths, 100.0)] if block.widths else None
        rows = [[r[i] if i < len(r) else "" for i in range(ncols)] for r in block.rows]
        total = [block.total[i] if i < len(block.total) else "" for i in range(ncols)] if block.total else None
        return {"kind": "table", "columns": block.columns, "rows": rows, "total": total, "widths": widths}
    if isinstance(block, Signatures):
        return {"kind": "signatures", "items": block.items}
    raise TypeError(f"unknown block {block!r}")


def to_html(doc: Document) -> str:
    """The document as a self-contained HTML page (print CSS inline, no external resources)."""
    return render_to_string("documents/document.html", {
        "doc": doc,
        "blocks": [_block_context(b) for b in doc.blocks],
        "signature_line": SIGNATURE_LINE,
        "date_line": date_line(),
    })


def _pdf_table(story: list[Any], block: Table, text_width_mm: float) -> None:
    """The DOCX's table (the same widths and size, a group row spanning the row in italics) in the PDF."""
    from opora.documents import pdf

    ncols = len(block.columns)
    body = [*block.rows, *([block.total] if block.total is not None else [])]
    size, widths = fit_table(block.columns, body, block.widths, text_width_mm, sizes=(TABLE_SIZE, 9, 8))

    def cell(text: str, *, bold: bool = False, first: bool = False) -> pdf.Cell:
        return pdf.Cell(text, bold=bold, align="right" if is_figure(text) and not first else "left")

    rows = [[pdf.Cell(name, bold=True, align="center") for name in block.columns]]
    for values in block.rows:
        if _is_group(values, ncols):
            rows.append([cell(values[0], first=True), pdf.Cell(values[1], italic=True, span=ncols - 1),
                         *(pdf.Cell("") for _i in range(ncols - 2))])
        else:
            rows.append([cell(values[i] if i < len(values) else "", first=i == 0) for i in range(ncols)])
    if block.total is not None:
        rows.append([cell(block.total[i] if i < len(block.total) else "", bold=True, first=i == 0)
                     for i in range(ncols)])
    story.append(pdf.table(rows, widths, size))
    story.append(pdf.space(SIZE))


def to_pdf(doc: Document) -> bytes:
    """The document as a PDF (ReportLab, documents/pdf.py): the DOCX's page — A4, DejaVu Serif 12 pt (Times New
    Roman's stand-in), the same tables, signatures and date lines, «Страница N из M» under every page."""
    from opora.documents import pdf  # imported when a PDF is asked for: ReportLab and the fonts load once

    margins = (25.0, 15.0, 20.0, 20.0)
    text_width_mm = pdf.text_width_mm(margins)
    story: list[Any] = [pdf.para(line, SIZE - 1, align="center", space_after=0) for line in doc.header]
    if doc.header:
        story.append(pdf.space(SIZE))
    story.append(pdf.para(doc.title, SIZE + 2, bold=True, align="center", keep_with_next=True))
    if doc.subtitle:
        story.append(pdf.para(doc.subtitle, SIZE, align="center", keep_with_next=True))
    story.append(pdf.space(SIZE))
    for block in doc.blocks:
        if isinstance(block, Heading):
            size = {1: SIZE + 2, 2: SIZE + 1}.get(block.level, SIZE)
            story.append(pdf.room(40))  # the heading and the first lines under it on one page
            story.append(pdf.para(block.text, size, bold=True, italic=block.level >= 3,
                                  align="center" if block.level == 1 else "left", space_before=8))
        elif isinstance(block, Paragraph):
            align = block.align if block.align in ("left", "center", "right", "justify") else "left"
            story.append(pdf.para(block.text, SIZE, bold=block.bold, align=align))
        elif isinstance(block, Fields):
            for label, value in block.items:
                story.append(pdf.rich(f"{pdf.text(label)}: <b>{pdf.text(value)}</b>", SIZE))
        elif isinstance(block, Table):
            _pdf_table(story, block, text_width_mm)
        elif isinstance(block, Signatures):
            for role, name in block.items:
                story.append(pdf.para(f"{role} {SIGNATURE_LINE} / {name or SIGNATURE_LINE} /", SIZE,
                                      space_before=14, keep_with_next=True))
                story.append(pdf.para(date_line(), SIZE - 1))
    return pdf.build(story, title=doc.title, margins=margins)
