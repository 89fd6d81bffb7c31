"""Every renderer reads the same ReportDocument with known values and shows them formatted (or typed)."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.utils import translation

from opora.reports import charts, formatting
from opora.reports.model import (
    Chart,
    Column,
    Period,
    ReportDocument,
    ReportTable,
    Row,
    Section,
    Series,
    Text,
)
from opora.reports.render import FORMATS, filename, render
from opora.reports.render import json as json_render
from opora.reports.render.xlsx import sheet_title


def known_document() -> ReportDocument:
    totals = ReportTable(
        id="totals", title="Итоги года", label_heading="Показатель",
        columns=[Column("services_total", "Услуг всего", "int"), Column("income", "Доход", "money"),
                 Column("services_pct", "Исполнение", "percent"), Column("load", "Нагрузка", "decimal"),
                 Column("comment", "Примечание", "text")],
        rows=[Row("all", "Всего", {"services_total": 530487, "income": Decimal("1234.5"),
                                   "services_pct": Decimal("116.915"), "load": Decimal("11.6716"),
                                   "comment": "по журналу"})],
    )
    by_dept = ReportTable(
        id="state_assignment", title="Выполнение государственного задания: отделения социального обслуживания",
        label_heading="Отделение",
        columns=[Column("services_plan", "План", "int"), Column("services_fact", "Факт", "int"),
                 Column("services_pct", "%", "percent")],
        rows=[Row("home1", "ОСО №1", {"services_plan": 446000, "services_fact": 521491,
                                      "services_pct": Decimal("116.9262")}),
              Row("day", "Дневное пребывание", {"services_plan": 1000, "services_fact": 137,
                                                "services_pct": Decimal("13.7")}),
              Row("empty", "Без плана", {"services_plan": 0, "services_fact": 5, "services_pct": None}),
              Row("total", "Итого", {"services_plan": 447000, "services_fact": 521633,
                                     "services_pct": Decimal("116.6964")}, is_total=True)],
        note="Процент округлён по правилам арифметики.",
    )
    pie = Chart(id="by_category", title="Получатели по категориям", kind="pie",
                categories=["Пенсионеры", "Инвалиды"], series=[Series("2020", [500, 282])])
    bars = Chart(id="plan_fact", title="План и факт", kind="bar", categories=["ОСО №1", "Дневное пребывание"],
                 series=[Series("План", [446000, 1000]), Series("Факт", [521491, 137])])
    return ReportDocument(
        report_id="test", title="Анализ работы", organisation_code="kcson", organisation_name="КЦСОН Тестовый",
        period=Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), "2020 год"),
        previous_period=Period(datetime.date(2019, 1, 1), datetime.date(2019, 12, 31), "2019 год"),
        sections=[Section("1. Итоги", [totals, Text("Текст раздела.")]),
                  Section("2. Государственное задание", [by_dept, bars, pie])],
        notes=["Данные из журнала."],
    )


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


def test_it_formats_numbers_in_the_active_language():
    assert formatting.integer(530487) == "530\u00a0487"
    assert formatting.percent(Decimal("116.915")) == "116,92\u00a0%"
    assert formatting.money(Decimal("1234.555")) == "1\u00a0234,56"
    assert formatting.money(Decimal("-1234567.5")) == "-1\u00a0234\u00a0567,50"
    assert formatting.integer(999) == "999"
    assert formatting.integer(1000) == "1\u00a0000"
    assert formatting.day(datetime.date(2020, 12, 31)) == "31.12.2020"
    assert formatting.cell(None, "int") == ""
    with translation.override("uk"):
        assert formatting.integer(530487) == "530\u00a0487"
        assert formatting.percent(Decimal("116.925")) == "116,93\u00a0%"
    with translation.override("en"):
        assert formatting.integer(530487) == "530,487"
        assert formatting.percent(Decimal("116.915")) == "116.92%"
        assert formatting.money(Decimal("1234.5")) == "1,234.50"


def test_it_renders_json_in_the_exchange_shape_with_typed_numbers():
    raw = render(known_document(), "json")
    data = json.loads(raw)
    assert data["report"] == "test"
    assert data["organisation"] == "kcson"
    assert data["period"] == {"start": "2020-01-01", "end": "2020-12-31"}
    totals = data["tables"]["totals"]
    assert totals["title"] == "Итоги года"
    assert totals["columns"] == ["services_total", "income", "services_pct", "load", "comment"]
    row = totals["rows"][0]
    assert row == {"key": "all", "services_total": 530487, "income": 1234.5, "services_pct": 116.92,
                   "load": 11.67, "comment": "по журналу"}
    assert type(row["services_total"]) is int and type(row["income"]) is float
    # money and percentages are written with two decimals, as numbers (not strings)
    text = raw.decode()
    assert '"income":1234.50' in text and '"services_pct":116.92' in text and '"load":11.67' in text
    sa = data["tables"]["state_assignment"]["rows"]
    assert [r["key"] for r in sa] == ["home1", "day", "empty", "total"]
    assert sa[0]["services_pct"] == 116.93 and sa[1]["services_pct"] == 13.70 and sa[2]["services_pct"] is None
    assert '"services_pct":13.70' in text
    assert data["labels"]["tables"]["state_assignment"]["rows"]["total"] == "Итого"
    assert data["charts"][0]["series"][1]["values"] == [521491, 137]
    assert json_render.to_data(known_document()) == data


def test_it_renders_html_with_formatted_numbers_and_inline_svg_charts():
    page = render(known_document(), "html").decode()
    assert "530\u00a0487" in page and "116,92\u00a0%" in page and "1\u00a0234,50" in page and "116,93\u00a0%" in page
    assert page.count("<svg") == 2
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert 'class="total"' in page


def test_it_renders_an_editable_docx_with_formatted_numbers_and_chart_pictures():
    from docx import Document

    doc = Document(io.BytesIO(render(known_document(), "docx")))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "530\u00a0487" in cells and "116,92\u00a0%" in cells and "1\u00a0234,50" in cells and "11,67" in cells
    assert "116,93\u00a0%" in cells and "13,70\u00a0%" in cells
    assert len(doc.tables) == 2
    total_row = doc.tables[1].rows[-1]
    assert total_row.cells[0].text == "Итого" and all(r.bold for c in total_row.cells for r in c.paragraphs[0].runs)
    assert len(doc.inline_shapes) == 2  # the two charts as pictures
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Анализ работы", "1. Итоги", "2. Государственное задание"]
    section = doc.sections[0]
    assert abs(section.page_width.mm - 210) < 1 and abs(section.page_height.mm - 297) < 1


def test_the_docx_tables_keep_their_fitted_widths_texts_and_alignment():
    """The tables written at once (documents/layout.add_table) read back with python-docx as laid out: the widths
    fit_table chose in the grid and in every cell, every text as formatted, headers bold and centred, figures
    right-aligned, text columns left-aligned, the total row bold."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from opora.documents.layout import fit_table
    from opora.reports.render.docx import TEXT_W

    source = known_document()
    doc = Document(io.BytesIO(render(source, "docx")))
    blocks = [b for s in source.sections for b in s.blocks if isinstance(b, ReportTable)]
    assert len(doc.tables) == len(blocks)
    for table, block in zip(doc.tables, blocks, strict=True):
        header = [block.label_heading] + [c.label for c in block.columns]
        rows = [[r.label] + [formatting.cell(r.values.get(c.field), c.kind) for c in block.columns]
                for r in block.rows]
        ncols = len(header)
        weights = [0.34] + [0.66 / (ncols - 1)] * (ncols - 1)
        size, widths = fit_table(header, rows, weights, TEXT_W, sizes=(10, 9, 8, 7))
        assert [c.width.mm for c in table.columns] == pytest.approx(widths, abs=0.02)
        assert [[c.text for c in r.cells] for r in table.rows] == [header, *rows]
        for r, row in enumerate(table.rows):
            assert [c.width.mm for c in row.cells] == pytest.approx(widths, abs=0.02)
            for i, cell in enumerate(row.cells):
                p = cell.paragraphs[0]
                assert p.runs[0].font.size.pt == size
                if r == 0:
                    assert p.runs[0].bold and p.alignment == WD_ALIGN_PARAGRAPH.CENTER
                    continue
                source_row = block.rows[r - 1]
                assert p.runs[0].bold == source_row.is_total
                if i:
                    kind = block.columns[i - 1].kind
                    assert p.alignment == (WD_ALIGN_PARAGRAPH.LEFT if kind == "text" else WD_ALIGN_PARAGRAPH.RIGHT)
                else:
                    assert p.alignment is None


def test_it_renders_xlsx_with_a_sheet_per_table_numeric_cells_and_native_charts():
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(known_document(), "xlsx")))
    assert len(wb.sheetnames) == 2
    assert all(len(name) <= 31 for name in wb.sheetnames)
    totals, sa = wb[wb.sheetnames[0]], wb[wb.sheetnames[1]]
    assert totals["B4"].value == 530487 and totals["B4"].number_format == "#,##0"
    assert totals["C4"].value == pytest.approx(1234.5) and totals["C4"].number_format == "#,##0.00"
    assert totals["D4"].value == pytest.approx(116.915) and totals["D4"].number_format == '#,##0.00"\u00a0%"'
    assert sa["A7"].value == "Итого" and sa["C7"].value == 521633 and sa["C7"].font.b
    assert len(sa._charts) == 2  # both charts of the section, on the sheet of their data
    kinds = sorted(type(c).__name__ for c in sa._charts)
    assert kinds == ["BarChart", "PieChart"]


def test_it_makes_unique_valid_sheet_names():
    taken: set[str] = set()
    a = sheet_title("Выполнение государственного задания: отделения", taken)
    b = sheet_title("Выполнение государственного задания: отделения", taken)
    assert len(a) <= 31 and len(b) <= 31 and a != b and ":" not in a


def test_it_renders_a_pdf():
    pdf = render(known_document(), "pdf")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000


def test_it_draws_charts_as_svg_and_png():
    doc = known_document()
    for chart in doc.charts():
        picture = charts.png(chart)
        assert picture.startswith(b"\x89PNG")
        assert charts.svg(chart).startswith("<svg")


def test_it_embeds_the_pie_and_the_bars_in_the_docx_as_pillow_png_pictures_of_the_chart_size():
    from docx import Document
    from PIL import Image

    doc = Document(io.BytesIO(render(known_document(), "docx")))
    parts = [rel.target_part for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert len(parts) == 2
    sizes = []
    for part in parts:
        assert part.content_type == "image/png"
        with Image.open(io.BytesIO(part.blob)) as image:
            assert image.format == "PNG"
            sizes.append(image.size)
            colours = {colour for _n, colour in image.getcolors(maxcolors=1 << 20) or []}
            assert (0x2F, 0x6D, 0xB5) in colours and (0xE0, 0x7B, 0x39) in colours  # the palette's first two
    assert sizes == [charts.PNG_SIZE, charts.PNG_SIZE] == [(1200, 700)] * 2
    assert all(abs(shape.width.mm - 160) < 1 for shape in doc.inline_shapes)


def test_it_draws_a_chart_picture_without_matplotlib():
    # how fast is measured by benchmarks/reports_warm.py, not here: a wall-clock bound fails on a loaded machine
    import sys

    doc = known_document()
    for chart in doc.charts():
        assert charts.png(chart)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "matplotlib" not in sys.modules


def test_it_names_files_and_knows_the_formats():
    assert filename(known_document(), "docx") == "test_kcson_2020-01-01_2020-12-31.docx"
    assert FORMATS == ["json", "html", "docx", "xlsx", "pdf"]
    with pytest.raises(ValueError):
        render(known_document(), "odt")


def test_it_renders_json_and_html_without_importing_matplotlib():
    doc = known_document()
    import sys

    assert render(doc, "json") and render(doc, "html")
    assert "matplotlib" not in sys.modules


def test_docx_turns_the_page_only_where_the_orientation_changes():
    """Sections too wide for a portrait page side by side share their landscape pages: no empty portrait section
    between them (which printed as a blank page); the DOCX's sections follow the PDF's pages."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    def wide(n: int) -> ReportTable:
        columns = [Column(f"c{i}", f"Показатель номер {i} года", "int") for i in range(14)]
        return ReportTable(id=f"wide{n}", title=f"Широкая {n}", label_heading="Отделение", columns=columns,
                           rows=[Row("a", "Отделение социального обслуживания на дому", {c.field: 123456
                                                                                          for c in columns})])

    source = known_document()
    source.sections = [source.sections[0], Section("2. Широкая", [wide(1)]), Section("3. Широкая", [wide(2)]),
                       Section("4. Узкая", [Text("Текст.")])]
    doc = Document(io.BytesIO(render(source, "docx")))
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert [s.page_width > s.page_height for s in doc.sections] == [False, True, False]
