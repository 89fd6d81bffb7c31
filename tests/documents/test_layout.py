"""DOCX tables laid out the same by Word and LibreOffice: the grid, the cells and the table carry the same widths,
no column narrower than its longest word; page numbers in the footer."""

from __future__ import annotations

import io

from docx import Document as open_docx
from docx.oxml.ns import qn

from opora.documents.layout import fit_widths, longest_word_mm
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
