"""The shared printable documents: model, DOCX/HTML/PDF renderers, HTTP response (formats: tests/lib)."""

from __future__ import annotations

import io
import re

import pytest
from django.http import Http404
from docx import Document as open_docx

from opora.documents.http import document_response
from opora.documents.model import Document, Fields, Heading, Paragraph, Signatures, Table
from opora.documents.render import to_docx, to_html, to_pdf


def sample() -> Document:
    return Document(
        title="АКТ о предоставлении социальных услуг",
        subtitle="за декабрь 2020 г.",
        header=["КЦСОН Тестовый", "г. Тестовск, ул. Ленина, 1"],
        blocks=[
            Heading("1. Получатель", level=2),
            Fields([("Ф.И.О.", "Фёдорова Алёна Петровна"), ("Дата рождения", "01.05.1940")]),
            Paragraph("Услуги оказаны в полном объёме.", align="justify"),
            Table(columns=["№", "Услуга", "Кол-во", "Сумма"],
                  rows=[["1", "Покупка продуктов", "8", "1 234,50"], ["2", "Уборка жилого помещения", "4", "600,00"]],
                  total=["", "Итого", "12", "1 834,50"], widths=[1, 6, 2, 2]),
            Signatures([("Получатель социальных услуг", "Фёдорова А. П."), ("Директор", "Петрова А. А.")]),
        ],
    )


def docx_text(data: bytes) -> tuple[str, list[list[list[str]]]]:
    d = open_docx(io.BytesIO(data))
    text = "\n".join(p.text for p in d.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    return text, tables


def test_it_renders_a_docx_that_python_docx_opens():
    data = to_docx(sample())
    text, tables = docx_text(data)
    assert "АКТ о предоставлении социальных услуг" in text
    assert "КЦСОН Тестовый" in text
    assert "Фёдорова Алёна Петровна" in text
    assert "Получатель социальных услуг ____________ / Фёдорова А. П. /" in text
    assert tables[0][0] == ["№", "Услуга", "Кол-во", "Сумма"]
    assert tables[0][1] == ["1", "Покупка продуктов", "8", "1 234,50"]
    assert tables[0][-1] == ["", "Итого", "12", "1 834,50"]


def test_it_makes_the_header_and_total_rows_bold_in_docx():
    d = open_docx(io.BytesIO(to_docx(sample())))
    table = d.tables[0]
    assert all(r.bold for c in table.rows[0].cells for p in c.paragraphs for r in p.runs)
    assert all(r.bold for c in table.rows[-1].cells for p in c.paragraphs for r in p.runs if r.text)
    assert not any(r.bold for c in table.rows[1].cells for p in c.paragraphs for r in p.runs)
    section = d.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert d.styles["Normal"].font.name == "Times New Roman"


def test_it_renders_html_without_external_resources():
    html = to_html(sample())
    assert "Покупка продуктов" in html and "1 834,50" in html
    assert "http://" not in html and "https://" not in html and "<link" not in html and "src=" not in html


def pages(pdf: bytes) -> int:
    """The number of pages of a PDF (its page objects: ReportLab writes them uncompressed)."""
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_it_renders_a_pdf():
    data = to_pdf(sample())
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(data) > 3000
    assert pages(data) == 1
    long = sample()
    table = long.blocks[3]
    assert isinstance(table, Table)
    table.rows = [[str(i), f"Услуга {i}", "1", "1,00"] for i in range(200)]
    long_pdf = to_pdf(long)
    assert pages(long_pdf) > 1
    assert len(long_pdf) > len(data)


def test_it_serves_documents_with_cyrillic_filenames(db):
    response = document_response(sample(), "docx", "Акт декабрь")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''" in disposition.lower()
    assert "%D0%90%D0%BA%D1%82" in disposition  # "Акт", percent-encoded
    assert ".docx" in disposition
    text, _ = docx_text(response.content)
    assert "Покупка продуктов" not in text  # that's in the table, not a paragraph
    pdf = document_response(sample(), "pdf", "act.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="act.pdf"' in pdf["Content-Disposition"]
    with pytest.raises(Http404):
        document_response(sample(), "odt", "x")
