"""Every printed form and every report DOCX, converted to PDF by LibreOffice and read back with pdftotext: no column
header, service name or row label broken inside a word, and page numbers on the pages.

Skipped only where LibreOffice is not installed on a developer's machine; under CI (``CI`` or
``OPORA_REQUIRE_SOFFICE`` set, as ``.ci/run`` does) a missing ``soffice`` or ``pdftotext`` fails.
One ``soffice`` call converts all the files (a start of LibreOffice costs seconds).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.http import Http404
from django.utils import translation
from docx import Document as open_docx

from opora.billing.models import Charge, FeeDecision
from opora.billing.printing import fee_decision_document, receipt_document
from opora.delivery.models import Delivery, UrgentAct
from opora.delivery.printing import monthly_act_document, urgent_act_document
from opora.delivery.queries import monthly_act_lines
from opora.demo.builder import build_demo
from opora.documents.render import to_docx
from opora.lib.periods import Period
from opora.org.models import Department
from opora.programmes.models import Contract, Programme
from opora.programmes.printing import contract_document, programme_document
from opora.reports.registry import all_generators, build_report, system_actor
from opora.reports.render import render

pytestmark = pytest.mark.django_db

REQUIRED = bool(os.environ.get("CI") or os.environ.get("OPORA_REQUIRE_SOFFICE"))


def tools() -> tuple[str, str]:
    soffice, pdftotext = shutil.which("soffice") or shutil.which("libreoffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        message = "LibreOffice (soffice) and poppler-utils (pdftotext) are needed to check the printed documents"
        if REQUIRED:
            pytest.fail(message + " (required under CI)")
        pytest.skip(message)
    return soffice, pdftotext


def to_pdf(files: list[Path], out: Path, soffice: str) -> None:
    profile = out / "profile"  # a profile of its own: never the user's, never one locked by another soffice
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",  # noqa: S603
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def pdf_text(pdf: Path, pdftotext: str) -> str:
    text = subprocess.run(
        [pdftotext, str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,  # noqa: S603
        timeout=60,
    ).stdout
    return re.sub(r"-\n", "-", text)  # a hyphenated word broken after its hyphen is whole


WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def table_words(data: bytes) -> set[str]:
    """The words of the tables' cells (headers, service names, labels), hyphenated ones whole: four letters and
    more."""
    return {
        w
        for table in open_docx(io.BytesIO(data)).tables
        for row in table.rows
        for cell in row.cells
        for w in WORD.findall(cell.text)
        if len(w) >= 4
    }


def printed_words(text: str) -> set[str]:
    """The words of the PDF's text, and each hyphenated one also without its hyphens (pdftotext joins a word
    broken after its hyphen, dropping the hyphen)."""
    found = set(WORD.findall(text))
    return found | {w.replace("-", "") for w in found}


def broken_words(data: bytes, text: str) -> list[str]:
    """The table words not found whole in the text (a hyphenated one may break after a hyphen, nowhere else)."""
    printed = printed_words(text)

    def whole(w: str) -> bool:
        return w in printed or w.replace("-", "") in printed or all(p in printed for p in w.split("-"))

    return sorted(w for w in table_words(data) if not whole(w))


def documents() -> dict[str, bytes]:
    """Every printed form of the demo (the programme with most services) and every report of 2020."""
    programme = max(Programme.objects.prefetch_related("items"), key=lambda p: p.items.count())
    line = Delivery.objects.filter(service__list="additional").select_related("recipient").order_by("id").first()
    assert line is not None
    department = Department.objects.get(pk=line.department_id)
    month = line.date.replace(day=1)
    files = {
        "programme": to_docx(programme_document(programme)),
        "contract": to_docx(contract_document(Contract.objects.order_by("id").first())),
        "fee_decision": to_docx(fee_decision_document(FeeDecision.objects.order_by("id").first())),
        "urgent_act": to_docx(urgent_act_document(UrgentAct.objects.order_by("id").first())),
        "monthly_act": to_docx(
            monthly_act_document(monthly_act_lines(line.recipient, department.pk, month), department, None)
        ),
    }
    charge = Charge.objects.order_by("id").first()
    if charge is not None:
        files["receipt"] = to_docx(receipt_document(charge))
    org = programme.organisation
    for generator in all_generators():
        try:
            doc = build_report(generator.id, [org], Period.year_of(2020), actor=system_actor([org]))
        except Http404:  # plan_execution needs a plan the small demo may not have
            continue
        files[f"report_{generator.id}"] = render(doc, "docx")
    return files


def test_libreoffice_prints_every_document_without_broken_words_and_with_page_numbers(tmp_path, settings):
    soffice, pdftotext = tools()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo("small", 2020)
    with translation.override("ru"):
        files = documents()
    assert {"programme", "contract", "monthly_act", "report_annual", "report_state_assignment"} <= set(files)
    paths = []
    for name, data in files.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(data)
        paths.append(path)
    to_pdf(paths, tmp_path, soffice)
    problems = []
    for name, data in files.items():
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists(), f"LibreOffice made no PDF of {name}"
        text = pdf_text(pdf, pdftotext)
        pages = re.findall(r"Страница (\d+) из (\d+)", text)
        if not pages or pages[0] != ("1", pages[0][1]) or len(pages) != int(pages[0][1]):
            problems.append(f"{name}: page numbers {pages[:3]}…")
        broken = broken_words(data, text)
        if broken:
            problems.append(f"{name}: broken inside a word: {', '.join(broken[:10])}")
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_word_broken_in_a_narrow_column(tmp_path):
    """The check itself: a table squeezed into narrow columns does break its words, and the check says so."""
    soffice, pdftotext = tools()
    from docx import Document as new_docx

    from opora.documents.layout import layout_table

    docx = new_docx()
    table = docx.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Периодичность", "корреспонденции", "предоставления"], strict=True):
        cell.text = text
    layout_table(table, [12, 12, 12])
    buf = io.BytesIO()
    docx.save(buf)
    (tmp_path / "narrow.docx").write_bytes(buf.getvalue())
    to_pdf([tmp_path / "narrow.docx"], tmp_path, soffice)
    broken = broken_words(buf.getvalue(), pdf_text(tmp_path / "narrow.pdf", pdftotext))
    assert broken == ["Периодичность", "корреспонденции", "предоставления"]
