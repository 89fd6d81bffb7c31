"""DOCX tables laid out the same by Word and LibreOffice: the grid, the cells and the table carry the same widths,
no column narrower than its longest word; page numbers in the footer."""

from __future__ import annotations

import io

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from opora.documents.layout import CellText, add_table, fit_widths, longest_word_mm
from opora.documents.model import Document, Table
from opora.documents.render import to_docx

SERVICES = Table(
    columns=["№", "Социальная услуга", "Объем", "Периодичность", "Срок предоставления", "Отметка о выполнении"],
    rows=[
        [
            "1",
            "Содействие в отправке почтовой корреспонденции",
            "8 услуг в месяц",
            "по мере необходимости",
            "17.09.2020 – 16.09.2021",
            "",
        ]
    ],
    widths=[0.6, 5, 2.2, 2.2, 2.4, 1.8],
)


def test_the_grid_and_the_cells_carry_the_same_fitted_widths():
    d = open_docx(io.BytesIO(to_docx(Document(title="Программа", blocks=[SERVICES]))))
    table = d.tables[0]._tbl
    grid = [int(c.get(qn("w:w"))) for c in table.tblGrid.findall(qn("w:gridCol"))]
    cells = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in table.tr_lst[0].tc_lst]
    assert grid == cells and len(set(grid)) > 3  # not six equal columns
    assert table.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert abs(sum(grid) - 170 * 1440 / 25.4) < 10  # the text width of the page
    assert grid[1] == max(grid)  # the service's name gets the most room


def test_no_column_is_narrower_than_its_longest_word():
    widths = fit_widths(SERVICES.columns, SERVICES.rows, SERVICES.widths, 170, 10)
    for i, width in enumerate(widths):
        words = [longest_word_mm(SERVICES.columns[i], 10, bold=True)] + [
            longest_word_mm(r[i], 10) for r in SERVICES.rows
        ]
        assert width >= max(words), SERVICES.columns[i]


def test_the_footer_numbers_the_pages():
    d = open_docx(io.BytesIO(to_docx(Document(title="Программа", blocks=[SERVICES]))))
    footer = d.sections[0].footer._element
    assert [f.get(qn("w:instr")) for f in footer.iter(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]


def _per_cell_table(rows, widths_mm, size_pt):
    """The reference: the same table made the way python-docx's API makes it, cell by cell (as the renderers did
    before add_table), with layout_table and the header row repeated."""
    from docx import Document as new_docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    from opora.documents.layout import layout_table

    aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
              "right": WD_ALIGN_PARAGRAPH.RIGHT, "both": WD_ALIGN_PARAGRAPH.JUSTIFY}
    d = new_docx()
    table = d.add_table(rows=len(rows), cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    for r, row in enumerate(rows):
        for cell, spec in zip(table.rows[r].cells, row, strict=True):
            p = cell.paragraphs[0]
            if spec.align is not None:
                p.alignment = aligns[spec.align]
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run(spec.text)
            run.bold = spec.bold
            run.italic = spec.italic
            run.font.size = Pt(size_pt)
    layout_table(table, widths_mm)
    return table._tbl


ROWS = [
    [CellText("Отделение", bold=True, align="center"), CellText("План", bold=True, align="center"),
     CellText("Примечание", bold=True, align="center")],
    [CellText("ОСО №1", bold=False), CellText("446\u00a0000", bold=False, align="right"),
     CellText(" по журналу\tстр. 2\n& <ещё> ", bold=False, italic=True, align="left")],
    [CellText("Итого", bold=True), CellText("521\u00a0491", bold=True, align="right"), CellText("")],
]
WIDTHS = [61.3, 37.45, 71.25]


def test_the_table_written_at_once_is_the_per_cell_api_s_table_element_for_element():
    from lxml import etree

    d = open_docx()
    fast = add_table(d, ROWS, WIDTHS, 9)._tbl
    slow = _per_cell_table(ROWS, WIDTHS, 9)
    assert etree.tostring(fast, method="c14n") == etree.tostring(slow, method="c14n")


def test_the_table_written_at_once_reads_back_with_its_widths_texts_and_styles():
    d = open_docx()
    add_table(d, ROWS, WIDTHS, 9)
    buf = io.BytesIO()
    d.save(buf)
    table = open_docx(io.BytesIO(buf.getvalue())).tables[0]
    assert table.style.name == "Table Grid"
    assert [c.width.mm for c in table.columns] == pytest.approx(WIDTHS, abs=0.02)
    for row, specs in zip(table.rows, ROWS, strict=True):
        assert [c.width.mm for c in row.cells] == pytest.approx(WIDTHS, abs=0.02)
        assert [c.text for c in row.cells] == [s.text for s in specs]
        for cell, spec in zip(row.cells, specs, strict=True):
            run = cell.paragraphs[0].runs[0]
            assert (run.bold, run.italic, run.font.size.pt) == (spec.bold, spec.italic, 9)
            assert cell.paragraphs[0].paragraph_format.space_after == 0
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert table.rows[1]._tr.trPr is None
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # right
