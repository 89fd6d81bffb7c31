"""The report as PDF with ReportLab (documents/pdf.py): the DOCX renderer's document — A4 portrait, a section with a
table too wide for it on landscape pages (sections side by side with the same orientation share their pages), the
same column widths and font sizes (:func:`opora.reports.render.docx._texts`, :func:`opora.documents.layout.fit_table`),
a shaded bold header row repeated on every page, bold total rows, figures right-aligned in the active language's
format (``530 487``, ``116,92 %``), the charts as the same PNG pictures (their titles, keys and notes inside),
«Страница N из M» under every page, the signatures with their date lines. Nothing is fetched.

WeasyPrint (the HTML page through CSS layout) took 1–5 s of CPU for an annual report; this takes a tenth of it
(docs/benchmarks.md, "PDF first downloads (branch pdf)")."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, Spacer

from opora.documents import pdf
from opora.documents.layout import fit_table
from opora.documents.render import SIGNATURE_LINE, date_line
from opora.reports import charts
from opora.reports.model import Block, Chart, ReportDocument, ReportTable, Text
from opora.reports.render.docx import CHART_W, MARGINS, PAGE_H, SIZE, TEXT_W, Texts, _texts, _wide

CHART_H = CHART_W * charts.PNG_SIZE[1] / charts.PNG_SIZE[0]
#: the room (mm) a heading needs under it on its page, or it starts the next one: a table's title and a few rows
#: (documents/pdf.room)
KEEP_TABLE = 40


def _room(block: Block | None) -> float:
    """The room a section's heading and its first block need on the page (mm)."""
    if isinstance(block, Chart):
        return CHART_H + 15
    return KEEP_TABLE + 10 if isinstance(block, ReportTable) else 25


def _table(story: list[Flowable], block: ReportTable, section_title: str, text_w: float,
           known: dict[int, Texts]) -> None:
    if block.title and block.title.strip() != section_title.strip():  # never the same heading twice
        story.append(pdf.room(KEEP_TABLE))
        story.append(pdf.para(block.title, SIZE, bold=True, space_before=4))
    header_texts, texts = _texts(block, known)
    ncols = len(header_texts)
    label_share = 0.34 if ncols > 2 else 0.6
    weights = [label_share] + [(1 - label_share) / max(ncols - 1, 1)] * (ncols - 1)
    size, widths = fit_table(header_texts, texts, weights, text_w, sizes=(10, 9, 8, 7))
    rows = [[pdf.Cell(t, bold=True, align="center") for t in header_texts]]
    kinds = [c.kind for c in block.columns]
    for row, row_texts in zip(block.rows, texts, strict=True):
        bold = row.is_total
        cells = [pdf.Cell(row_texts[0], bold=bold)]
        cells += [pdf.Cell(t, bold=bold) if kind == "text" else pdf.Cell(t, bold=bold, align="right", wrap=False)
                  for t, kind in zip(row_texts[1:], kinds, strict=True)]
        rows.append(cells)
    story.append(pdf.table(rows, widths, size))
    if block.note:
        story.append(Spacer(1, 2))
        story.append(pdf.para(block.note, 10, italic=True))
    story.append(Spacer(1, SIZE))


def _chart(story: list[Flowable], block: Chart) -> None:
    width = min(CHART_W, TEXT_W)
    # the picture charts.png draws, handed over as it is drawn (no PNG written and read back)
    story.append(pdf.Picture(charts.draw(block).image, width, CHART_H * width / CHART_W))
    story.append(Spacer(1, SIZE / 2))


def render(doc: ReportDocument) -> bytes:
    known: dict[int, Texts] = {}  # each table's texts, formatted once
    first_wide = bool(doc.sections) and _wide(doc.sections[0], known)
    story: list[Flowable] = [
        pdf.para(doc.organisation_name, SIZE, align="center"),
        pdf.para(doc.title, 15, bold=True, align="center", space_before=4, space_after=4),
    ]
    period = doc.period.label
    if doc.previous_period:
        period += " (" + _("compared with %(previous)s") % {"previous": doc.previous_period.label} + ")"
    story.append(pdf.para(period, SIZE, align="center", space_after=8))
    landscape = first_wide
    for n, section in enumerate(doc.sections):
        # a section with a table too wide for a portrait page is printed on landscape pages (the first one with
        # the title on its page), the next narrow section on portrait pages again; sections side by side with the
        # same orientation share their pages
        wide = first_wide if n == 0 else _wide(section, known)
        if wide != landscape:
            story += pdf.landscape_page() if wide else pdf.portrait_page()
            landscape = wide
        text_w = PAGE_H - MARGINS[0] - MARGINS[1] if wide else TEXT_W
        if section.title:
            story.append(pdf.room(_room(section.blocks[0] if section.blocks else None)))
            story.append(pdf.para(section.title, 13, bold=True, space_before=8, space_after=4))
        for block in section.blocks:
            if isinstance(block, ReportTable):
                _table(story, block, section.title, text_w, known)
            elif isinstance(block, Chart):
                _chart(story, block)
            elif isinstance(block, Text):
                story.append(pdf.para(block.text, SIZE, align="justify", space_after=4))
    if doc.notes:
        story.append(pdf.para(_("Notes"), 13, bold=True, keep_with_next=True, space_before=8, space_after=4))
        for i, note in enumerate(doc.notes, start=1):
            story.append(pdf.para(f"{i}. {note}", 10))
    for role, name in doc.signatures:
        story.append(pdf.para(f"{role} {SIGNATURE_LINE} / {name or SIGNATURE_LINE} /", SIZE, space_before=18,
                              keep_with_next=True))
        story.append(pdf.para(date_line(), SIZE - 1))
    return pdf.build(story, title=doc.title, margins=MARGINS, first_landscape=first_wide, language=doc.language)
