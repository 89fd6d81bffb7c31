"""The report as an editable DOCX (python-docx): A4 portrait, Times New Roman, headings, tables with a bold
repeated header row and bold total rows, numbers right-aligned and formatted in the active language, charts as
PNG pictures drawn with Pillow, paragraphs and notes."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from opora.documents.layout import CellText, add_table, fit_table, min_width_mm, page_numbers
from opora.documents.render import SIGNATURE_LINE, date_line, set_style_font
from opora.reports import charts, formatting
from opora.reports.model import Chart, ReportDocument, ReportTable, Section, Text

FONT = "Times New Roman"
SIZE = 12
TABLE_SIZE = 10
PAGE_W, PAGE_H = 210, 297
MARGINS = (20, 10, 20, 20)  # left, right, top, bottom, mm
TEXT_W = PAGE_W - MARGINS[0] - MARGINS[1]
CHART_W = 160  # mm; the PNG is 1200 × 700 px


def _setup(docx: Any) -> None:
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.left_margin, section.right_margin = Mm(MARGINS[0]), Mm(MARGINS[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS[2]), Mm(MARGINS[3])
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        style = docx.styles[name]
        set_style_font(style, FONT)
        if name != "Normal":
            style.font.color.rgb = None
    docx.styles["Normal"].font.size = Pt(SIZE)
    docx.styles["Normal"].paragraph_format.space_after = Pt(2)
    docx.styles["Heading 1"].font.size = Pt(15)
    docx.styles["Heading 2"].font.size = Pt(13)
    docx.styles["Heading 3"].font.size = Pt(12)


def _para(docx: Any, text: str, *, bold: bool = False, italic: bool = False, align: Any = None,
          size: float | None = None, keep_with_next: bool = False) -> Any:
    p = docx.add_paragraph()
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    return p


Texts = tuple[list[str], list[list[str]]]


def _texts(block: ReportTable, known: dict[int, Texts] | None = None) -> Texts:
    """(the header, the rows) of a table as printed; formatted once per render when ``known`` keeps them."""
    if known is not None and id(block) in known:
        return known[id(block)]
    texts = ([block.label_heading] + [c.label for c in block.columns],
             [[row.label] + [formatting.cell(row.values.get(c.field), c.kind) for c in block.columns]
              for row in block.rows])
    if known is not None:
        known[id(block)] = texts
    return texts


def _too_wide(block: ReportTable, known: dict[int, Texts] | None = None) -> bool:
    """Whether the table's words do not fit a portrait page even at 8 pt (it is printed on a landscape one)."""
    return min_width_mm(*_texts(block, known), 8) > TEXT_W


def _table(docx: Any, block: ReportTable, section_title: str = "", text_w: float = TEXT_W,
           known: dict[int, Texts] | None = None) -> None:
    if block.title and block.title.strip() != section_title.strip():  # never the same heading twice
        _para(docx, block.title, bold=True, keep_with_next=True)
    ncols = len(block.columns) + 1
    header_texts, texts = _texts(block, known)
    label_share = 0.34 if ncols > 2 else 0.6
    weights = [label_share] + [(1 - label_share) / max(ncols - 1, 1)] * (ncols - 1)
    size, widths = fit_table(header_texts, texts, weights, text_w, sizes=(10, 9, 8, 7))
    # one piece of XML for the whole table (documents/layout.add_table): the header bold and centred, repeated on
    # every page; a total row bold; figures right-aligned, text columns left-aligned
    rows = [[CellText(text, bold=True, align="center") for text in header_texts]]
    for row, row_texts in zip(block.rows, texts, strict=True):
        rows.append([CellText(row.label, bold=row.is_total)] + [
            CellText(row_texts[i], bold=row.is_total, align="left" if col.kind == "text" else "right")
            for i, col in enumerate(block.columns, start=1)])
    add_table(docx, rows, widths, size)
    if block.note:
        _para(docx, block.note, italic=True, size=10)
    docx.add_paragraph()


def _orient(docx: Any, *, landscape: bool) -> float:
    """Start a new section on a new page, landscape or portrait; return its text width (mm)."""
    section = docx.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    section.page_width, section.page_height = Mm(width), Mm(height)
    return width - MARGINS[0] - MARGINS[1]


def _chart(docx: Any, block: Chart) -> None:
    picture = charts.png(block)
    p = docx.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run().add_picture(io.BytesIO(picture), width=Mm(min(CHART_W, TEXT_W)))
    # the picture carries its title, its key of abbreviations and its note: no caption repeats them


def _wide(section: Section, known: dict[int, Texts] | None = None) -> bool:
    return any(isinstance(b, ReportTable) and _too_wide(b, known) for b in section.blocks)


def _heading(docx: Any, text: str, level: int) -> Any:
    """``docx.add_heading(text, level)`` without python-docx's look-up of the style by name (it reads every style
    of the document to tell whether the style is the default one, each time): the same paragraph."""
    p = docx.add_paragraph()
    if text:
        p.add_run(text)
    p._p.style = docx.styles[f"Heading {level}"].style_id  # one look-up by name, not the default's scan
    return p


def render(doc: ReportDocument) -> bytes:
    docx = new_docx()
    _setup(docx)
    known: dict[int, Texts] = {}  # each table's texts, formatted once
    landscape = bool(doc.sections) and _wide(doc.sections[0], known)
    if landscape:
        first = docx.sections[0]
        first.orientation = WD_ORIENT.LANDSCAPE
        first.page_width, first.page_height = Mm(PAGE_H), Mm(PAGE_W)
    page_numbers(docx.sections[0])
    _para(docx, doc.organisation_name, align=WD_ALIGN_PARAGRAPH.CENTER)
    _heading(docx, doc.title, 1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    period = doc.period.label
    if doc.previous_period:
        period += " (" + _("compared with %(previous)s") % {"previous": doc.previous_period.label} + ")"
    _para(docx, period, align=WD_ALIGN_PARAGRAPH.CENTER)
    text_w: float = PAGE_H - MARGINS[0] - MARGINS[1] if landscape else TEXT_W
    for section in doc.sections:
        # a section with a table too wide for a portrait page is printed on landscape pages (the first one with
        # the title on its page, not after an empty one); a new page only where the orientation changes, so
        # sections side by side with the same orientation share their pages (as in the PDF), and what follows the
        # last section (notes, signatures) stays on its pages
        wide = _wide(section, known)
        if wide != landscape:
            text_w, landscape = _orient(docx, landscape=wide), wide
        if section.title:
            _heading(docx, section.title, 2)
        for block in section.blocks:
            if isinstance(block, ReportTable):
                _table(docx, block, section.title, text_w, known)
            elif isinstance(block, Chart):
                _chart(docx, block)
            elif isinstance(block, Text):
                _para(docx, block.text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if doc.notes:
        _heading(docx, _("Notes"), 2)
        for i, note in enumerate(doc.notes, start=1):
            _para(docx, f"{i}. {note}", size=10)
    for role, name in doc.signatures:
        p = _para(docx, f"{role} {SIGNATURE_LINE} / {name or SIGNATURE_LINE} /")
        p.paragraph_format.space_before = Pt(18)
        p.paragraph_format.keep_with_next = True
        _para(docx, date_line(), size=SIZE - 1)
    buf = io.BytesIO()
    docx.core_properties.title = doc.title
    docx.save(buf)
    return buf.getvalue()
