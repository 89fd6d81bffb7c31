"""PDF with ReportLab, shared by the reports (reports/render/pdf.py) and the printed forms (documents/render.py).

WeasyPrint laid an annual report out in 1–5 s of CPU (HTML → CSS boxes → pages, 57 % of it page layout); ReportLab's
platypus lays out the same content from the renderers' own model in a fraction of that (issue 18: a first download
under 1 s). What the DOCX renderers do, the PDF does too, from the same pieces of :mod:`opora.documents.layout`:

- DejaVu Serif (found by fontconfig, the font the column widths are measured in: :func:`fit_table`), embedded as
  subsets with their Unicode maps, so Cyrillic is copied and searched as text;
- tables with the widths :func:`~opora.documents.layout.fit_table` chooses (no column narrower than its longest
  word), borders, a shaded bold header row repeated on every page, bold total rows, figures right-aligned; a cell's
  words wrap between words and after a hyphen («Социально-|бытовые»), never inside a word;
- «Страница N из M» centred under every page (the page count is known when the last page is done: the pages wait
  in the canvas until then);
- portrait and landscape pages in one document.
"""

from __future__ import annotations

import functools
import io
import os
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from opora.documents.layout import CELL_PADDING_MM

FAMILY = "OporaSerif"
BOLD, ITALIC, BOLD_ITALIC = f"{FAMILY}-Bold", f"{FAMILY}-Italic", f"{FAMILY}-BoldItalic"
_FACES = {  # our name: (fontconfig pattern, the file's usual path)
    FAMILY: ("DejaVu Serif:style=Book", "DejaVuSerif.ttf"),
    BOLD: ("DejaVu Serif:style=Bold", "DejaVuSerif-Bold.ttf"),
    ITALIC: ("DejaVu Serif:style=Italic", "DejaVuSerif-Italic.ttf"),
    BOLD_ITALIC: ("DejaVu Serif:style=Bold Italic", "DejaVuSerif-BoldItalic.ttf"),
}
_FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
              "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts"]
# binary streams, not ASCII85 (pure Python without ReportLab's optional accelerator: a quarter of a second for the
# four charts of an annual report)
rl_config.useA85 = 0
#: one PDF laid out at a time in a process: ReportLab keeps each embedded font's subsets for the document being written
#: in the shared font object (a weak dictionary per document), never promised safe across threads; a render takes a
#: few tens of milliseconds, so the server's threads lose little by waiting
_BUILDING = threading.Lock()
HEADER_SHADE = colors.HexColor("#e4e9f0")
GRID = colors.HexColor("#555555")


def _fc_match(pattern: str) -> str:
    try:
        return subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True,  # noqa: S603,S607
                              timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def font_file(name: str) -> str:
    """The TTF file of one of our faces: fontconfig's answer when it is that DejaVu file, else the usual places."""
    pattern, file = _FACES[name]
    found = _fc_match(pattern)
    if os.path.basename(found).lower() == file.lower() and os.path.exists(found):
        return found
    for folder in _FONT_DIRS:
        path = os.path.join(folder, file)
        if os.path.exists(path):
            return path
    raise RuntimeError(f"the font {file} (DejaVu Serif, package fonts-dejavu-core) is not installed")


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Serif's four faces as one family, once per process."""
    for name in _FACES:
        pdfmetrics.registerFont(TTFont(name, font_file(name)))
    pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)


def text(value: str) -> str:
    """Plain text as a Paragraph's markup (escaped; line breaks kept)."""
    return escape(value).replace("\n", "<br/>")


@functools.cache
def style(size: float = 12, *, bold: bool = False, italic: bool = False,
          align: Literal["left", "center", "right", "justify"] = "left", space_before: float = 0,
          space_after: float = 2, keep_with_next: bool = False, leading: float | None = None) -> ParagraphStyle:
    """A paragraph style (cached: platypus reads a style, never changes it). Words wrap between words and after a
    hyphen, never inside a word (``splitLongWords`` off: a word wider than its cell, which the widths never make,
    would stick out rather than break)."""
    register_fonts()
    font = {(False, False): FAMILY, (True, False): BOLD, (False, True): ITALIC, (True, True): BOLD_ITALIC}
    return ParagraphStyle(
        f"opora-{size}-{bold}-{italic}-{align}-{space_before}-{space_after}-{keep_with_next}-{leading}",
        fontName=font[(bold, italic)], fontSize=size, leading=leading or size * 1.2,
        alignment={"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}[align],
        spaceBefore=space_before, spaceAfter=space_after, keepWithNext=int(keep_with_next),
        splitLongWords=0, embeddedHyphenation=1, hyphenationMinWordLength=2,
    )


def para(value: str, size: float = 12, **kwargs: Any) -> Paragraph:
    """A paragraph of plain text."""
    return Paragraph(text(value), style(size, **kwargs))


def rich(markup: str, size: float = 12, **kwargs: Any) -> Paragraph:
    """A paragraph of ReportLab's markup (``<b>``, ``<i>``): the caller escapes the text in it (:func:`text`)."""
    return Paragraph(markup, style(size, **kwargs))


class Picture(Flowable):
    """A Pillow image drawn ``width_mm`` × ``height_mm``, centred, handed to the PDF as it is (platypus's ``Image``
    reads a file: a PNG written and read back would cost ≈25 ms a chart)."""

    def __init__(self, image: Any, width_mm: float, height_mm: float) -> None:
        super().__init__()
        self.image, self.width, self.height = image, width_mm * mm, height_mm * mm
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        from reportlab.lib.utils import ImageReader

        self.canv.drawImage(ImageReader(self.image), 0, 0, self.width, self.height)


def room(height_mm: float) -> CondPageBreak:
    """A new page unless ``height_mm`` is left on this one: put before a heading, it keeps the heading with the
    start of what follows (platypus's ``keepWithNext`` would move a whole table that does not fit the rest of the
    page onto the next one, leaving the page half empty)."""
    return CondPageBreak(height_mm * mm)


def space(points: float) -> Spacer:
    """Vertical room (points)."""
    return Spacer(1, points)


# --- tables -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: ``wrap`` False draws the text on one line (a figure: cheap, never wrapped, the column is as
    wide as its longest word); ``span`` spreads it over the next ``span - 1`` cells of its row too."""

    text: str
    bold: bool = False
    italic: bool = False
    align: Literal["left", "center", "right"] = "left"
    wrap: bool = True
    span: int = 1


def table(rows: Sequence[Sequence[Cell]], widths_mm: Sequence[float], size: float, *,
          header_rows: int = 1) -> LongTable:
    """A bordered table: the first ``header_rows`` rows shaded and repeated on every page it runs onto."""
    padding = CELL_PADDING_MM * mm
    data: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FAMILY),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.2),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header_rows:
        commands += [("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_SHADE),
                     ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE")]
    for r, row in enumerate(rows):
        cells: list[Any] = []
        for c, cell in enumerate(row):
            if cell.wrap:
                cells.append(Paragraph(text(cell.text), style(size, bold=cell.bold, italic=cell.italic,
                                                               align=cell.align, space_after=0)))
            else:
                cells.append(cell.text)
                if cell.align != "left":
                    commands.append(("ALIGN", (c, r), (c, r), cell.align.upper()))
                if cell.bold or cell.italic:
                    face = BOLD_ITALIC if cell.bold and cell.italic else BOLD if cell.bold else ITALIC
                    commands.append(("FONTNAME", (c, r), (c, r), face))
            if cell.span > 1:
                commands.append(("SPAN", (c, r), (c + cell.span - 1, r)))
        data.append(cells)
    return LongTable(data, colWidths=[w * mm for w in widths_mm], repeatRows=header_rows,
                     style=TableStyle(commands), hAlign="CENTER", splitByRow=1)


# --- the document -----------------------------------------------------------------------------------------------

#: the margins (left, right, top, bottom), mm
Margins = tuple[float, float, float, float]


def landscape_page() -> list[Flowable]:
    """What starts a new landscape page."""
    return [NextPageTemplate("landscape"), PageBreak()]


def portrait_page() -> list[Flowable]:
    """What starts a new portrait page."""
    return [NextPageTemplate("portrait"), PageBreak()]


def text_width_mm(margins: Margins, *, wide: bool = False) -> float:
    width = (297 if wide else 210) - margins[0] - margins[1]
    return float(width)


def _numbered_canvas(footer: Callable[[int, int], str], size: float, margins: Margins) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps every page until the document is done, then writes each with «Page N of M» under it."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 — ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self.setFont(FAMILY, size)
                self.setFillColor(colors.black)
                self.drawCentredString(self._pagesize[0] / 2, margins[3] * mm / 2, footer(number, total))
                super().showPage()
            super().save()

    return NumberedCanvas


def build(story: list[Flowable], *, title: str, margins: Margins, first_landscape: bool = False,
          language: str = "") -> bytes:
    """The flowables laid out on A4 pages (the first one landscape when asked) with numbered pages; the PDF."""
    register_fonts()
    template = _("Page {page} of {pages}")
    buf = io.BytesIO()
    left, right, top, bottom = (m * mm for m in margins)
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
                          title=title, lang=language or None, creator="Opora", author="", subject="")
    templates = []
    for name, size in (("portrait", A4), ("landscape", landscape(A4))):
        frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=size))
    if first_landscape:
        templates.reverse()  # the first template is the first page's
    doc.addPageTemplates(templates)
    canvas = _numbered_canvas(lambda n, m: template.format(page=n, pages=m), 9, margins)
    with _BUILDING:
        doc.build(story or [Spacer(1, 1)], canvasmaker=canvas)
    return buf.getvalue()
